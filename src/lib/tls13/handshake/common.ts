/** What the TLS 1.3 client and server share: signatures, the summary, the established phase (KeyUpdate, tickets). */
import { AlertDescription, AlertLevel, NamedGroup, SignatureScheme } from '../../tls12/wire/code-points.ts';
import { knownSignatureScheme } from '../../tls12/crypto/signature-schemes.ts';
import { signWithScheme, verifyWithScheme } from '../../tls12/crypto/signatures.ts';
import type { PrivateKey, PublicKey } from '../../tls12/crypto/keys.ts';
import { TlsAlert } from '../../tls12/handshake/alerts.ts';
import { onAlert, unexpected } from '../../tls12/handshake/common.ts';
import type { Role } from '../../tls12/handshake/event-log.ts';
import { certificateVerifyContent } from '../signed-content.ts';
import { TLS13 } from './config.ts';
import type { Connection13, Received13 } from './connection.ts';
import { keyLogLines13, type HandshakeSummary13 } from './event-log.ts';
import { nextTrafficSecret, protection } from './secrets.ts';
import type { Negotiated13, Traffic } from './states.ts';
import { tls13KeyLogLines } from '../key-schedule.ts';

/**
 * RFC 8446 §4.2.3 / §4.4.3: in 1.3 RSA signs with PSS only, and an ECDSA scheme names its curve.
 */
export function schemeFitsKey13(key: PublicKey | PrivateKey, scheme: number): boolean {
  const info = knownSignatureScheme(scheme);
  if (!info || info.keyType !== key.kind) return false;
  if (key.kind === 'rsa') return info.padding === 'pss';
  if (key.kind === 'ed25519') return true;
  if (key.kind !== 'ec') return false;
  const S = SignatureScheme.values;
  return (
    (scheme === S.ecdsa_secp256r1_sha256 && key.curve === 'P-256') ||
    (scheme === S.ecdsa_secp384r1_sha384 && key.curve === 'P-384')
  );
}

/** Our CertificateVerify signature over the transcript so far (RFC 8446 §4.4.3). */
export function signCertificateVerify(
  conn: Connection13,
  hs: Negotiated13,
  key: PrivateKey,
  scheme: number,
  deterministic: boolean,
): Promise<Uint8Array> {
  return signTranscript(conn, conn.transcriptHash(hs.suite), key, scheme, deterministic);
}

/** Our CertificateVerify signature over a given transcript hash (RFC 8446 §4.4.3). */
export function signTranscript(
  conn: Connection13,
  transcriptHash: Uint8Array,
  key: PrivateKey,
  scheme: number,
  deterministic: boolean,
): Promise<Uint8Array> {
  const content = certificateVerifyContent(conn.role, transcriptHash);
  return signWithScheme(key, scheme, content, conn.random, deterministic);
}

/** Checks the peer's CertificateVerify (before it joins the transcript); decrypt_error when it does not verify. */
export async function checkCertificateVerify(
  conn: Connection13,
  hs: Negotiated13,
  key: PublicKey,
  offered: readonly number[],
  cv: { signatureScheme: number; signature: Uint8Array },
): Promise<void> {
  const name = SignatureScheme.format(cv.signatureScheme);
  if (!offered.includes(cv.signatureScheme) || !schemeFitsKey13(key, cv.signatureScheme))
    throw new TlsAlert(
      'illegal_parameter',
      `the ${conn.peer} signed with ${name}, which we did not offer for its key (RFC 8446 §4.4.3)`,
    );
  const content = certificateVerifyContent(conn.peer, conn.transcriptHash(hs.suite));
  if (!(await verifyWithScheme(key, cv.signatureScheme, content, cv.signature)))
    throw new TlsAlert(
      'decrypt_error',
      `the ${conn.peer} CertificateVerify ${name} signature does not verify with its certificate key`,
    );
}

export function summarise13(hs: Negotiated13, keyLog: string[]): HandshakeSummary13 {
  return {
    version: TLS13,
    cipherSuite: hs.suite.code,
    cipherSuiteName: hs.suite.name,
    group: hs.group,
    groupName: NamedGroup.format(hs.group),
    signatureScheme: hs.signatureScheme ?? 0,
    signatureSchemeName: SignatureScheme.format(hs.signatureScheme ?? 0),
    ...(hs.clientSignatureScheme !== undefined ? { clientSignatureScheme: hs.clientSignatureScheme } : {}),
    helloRetryRequest: hs.helloRetryRequest,
    ...(hs.alpn !== undefined ? { alpn: hs.alpn } : {}),
    ...(hs.serverName !== undefined ? { serverName: hs.serverName } : {}),
    serverCertificates: hs.serverCertificates,
    clientCertificates: hs.clientCertificates,
    clientRandom: hs.clientRandom,
    // As the observer writes a 1.3 summary: no extended master secret and no 1.2 master secret in TLS 1.3.
    extendedMasterSecret: false,
    masterSecret: new Uint8Array(0),
    keyLog,
  };
}

export { keyLogLines13, tls13KeyLogLines };

/**
 * Once established: application data, NewSessionTicket (shown, not kept: we do not resume), KeyUpdate
 * (RFC 8446 §4.6.3: our read side moves on; update_requested is answered with our own KeyUpdate), alerts.
 * Returns the traffic secrets (changed by a KeyUpdate) or the reason the connection closed.
 */
export async function established13(
  conn: Connection13,
  hs: Negotiated13,
  traffic: Traffic,
  item: Received13,
): Promise<Traffic | string> {
  switch (item.kind) {
    case 'application_data':
      return traffic;
    case 'alert':
      return onAlert(conn, item);
    case 'change_cipher_spec':
      throw new TlsAlert('unexpected_message', 'ChangeCipherSpec after the handshake (RFC 8446 §5)');
    case 'handshake':
      break;
  }
  const m = item.message;
  if (m.type === 'new_session_ticket' && conn.role === 'client') return traffic;
  if (m.type !== 'key_update')
    throw unexpected('application data, NewSessionTicket or KeyUpdate', item as never);
  const peer: Role = conn.peer;
  const names = { client: 'client_application_traffic_secret', server: 'server_application_traffic_secret' };
  const read = traffic[peer];
  const nextRead = await nextTrafficSecret(conn, hs.suite, names[peer], read.secret, read.n);
  conn.setRead(await protection(conn, hs.suite, nextRead.name, nextRead.value));
  let next: Traffic = { ...traffic, [peer]: { secret: nextRead.value, n: read.n + 1 } };
  if (m.message.requestUpdate === 1) {
    conn.sendHandshake({ type: 'key_update', message: { requestUpdate: 0 } }, { transcript: false });
    const mine = traffic[conn.role];
    const nextWrite = await nextTrafficSecret(conn, hs.suite, names[conn.role], mine.secret, mine.n);
    conn.setWrite(await protection(conn, hs.suite, nextWrite.name, nextWrite.value));
    next = { ...next, [conn.role]: { secret: nextWrite.value, n: mine.n + 1 } };
  }
  return next;
}

/** close_notify is a warning alert; 1.3 does not require the answer, we give it as OpenSSL does. */
export const CLOSE_NOTIFY = {
  level: AlertLevel.values.warning,
  description: AlertDescription.values.close_notify,
};
