/**
 * The key schedule (../key-schedule.ts) as event log entries: each step becomes a secret entry with its inputs,
 * formula, source and `openssl kdf` command, and the traffic keys the record layer needs.
 */
import { bytesEqual } from '../../bytes/index.ts';
import { TlsAlert } from '../../tls12/handshake/alerts.ts';
import type { Role } from '../../tls12/handshake/event-log.ts';
import {
  computeApplicationSecrets,
  expandLabelStep,
  finishedKey,
  finishedTranscriptName,
  tls13KeyLogLines,
  trafficKeys,
  verifyData,
  type KeyStep,
} from '../key-schedule.ts';
import type { Negotiated13, Traffic } from './states.ts';
import type { Tls13Suite } from '../suites.ts';
import type { Connection13, Protection } from './connection.ts';
import { keyStepEntry } from './event-log.ts';
import { hashLength } from '../../tls12/crypto/hash.ts';

export function emitSteps(conn: Connection13, steps: readonly KeyStep[]): void {
  for (const s of steps) conn.emit(keyStepEntry(s, conn.role));
}

/** The record protection of one traffic secret (its write key and IV, shown as steps). */
export async function protection(
  conn: Connection13,
  suite: Tls13Suite,
  secretName: string,
  secret: Uint8Array,
): Promise<Protection> {
  const t = await trafficKeys(conn.provider, suite, secretName, secret);
  emitSteps(conn, t.steps);
  return { suite, keys: { key: t.key, iv: t.iv } };
}

/** The Finished verify_data `sender` must send over the transcript so far (RFC 8446 §4.4.4). */
export async function finishedFor(
  conn: Connection13,
  suite: Tls13Suite,
  sender: Role,
  handshakeTrafficSecret: Uint8Array,
): Promise<Uint8Array> {
  const base = `${sender}_handshake_traffic_secret`;
  const key = await finishedKey(conn.provider, suite.hash, base, handshakeTrafficSecret);
  const vd = await verifyData(conn.provider, suite.hash, `${sender}_finished.verify_data`, key.value, {
    name: finishedTranscriptName(sender, conn.transcript),
    value: conn.transcriptHash(suite),
  });
  emitSteps(conn, [key, vd]);
  return vd.value;
}

/** Checks the peer's Finished against our transcript (decrypt_error when it differs; RFC 8446 §4.4.4). */
export async function checkFinished(
  conn: Connection13,
  suite: Tls13Suite,
  peerSecret: Uint8Array,
  got: Uint8Array,
): Promise<void> {
  const expected = await finishedFor(conn, suite, conn.peer, peerSecret);
  if (!bytesEqual(expected, got))
    throw new TlsAlert(
      'decrypt_error',
      `the ${conn.peer} Finished verify_data does not match our transcript (RFC 8446 §4.4.4)`,
    );
}

/** application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length). */
export async function nextTrafficSecret(
  conn: Connection13,
  suite: Tls13Suite,
  name: string,
  secret: Uint8Array,
  n: number,
): Promise<KeyStep> {
  const step = await expandLabelStep(
    conn.provider,
    suite.hash,
    `${name}_${n + 1}`,
    { name: `${name}_${n}`, value: secret },
    'traffic upd',
    { name: '""', value: new Uint8Array(0) },
    hashLength(suite.hash),
  );
  emitSteps(conn, [step]);
  return step;
}

/**
 * The application traffic secrets once the server Finished is in the transcript (RFC 8446 §7.1), shown as
 * steps, with the connection's NSS key log lines and generation 0 of each direction's traffic secret.
 */
export async function applicationSecrets(
  conn: Connection13,
  hs: Negotiated13,
): Promise<{ traffic: Traffic; keyLog: string[] }> {
  const app = await computeApplicationSecrets(conn.provider, {
    hash: hs.suite.hash,
    handshakeSecret: hs.handshakeSecret,
    serverFinishedHash: conn.transcriptHash(hs.suite),
  });
  emitSteps(conn, app.steps);
  const handshake = {
    clientHandshakeTrafficSecret: hs.clientHandshakeSecret,
    serverHandshakeTrafficSecret: hs.serverHandshakeSecret,
  };
  return {
    keyLog: tls13KeyLogLines(hs.clientRandom, handshake, app),
    traffic: {
      client: { secret: app.clientApplicationTrafficSecret, n: 0 },
      server: { secret: app.serverApplicationTrafficSecret, n: 0 },
    },
  };
}
