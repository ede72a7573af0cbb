/**
 * Issue #18's TLS 1.3 half against the real thing: real libpq 18 (psycopg's bundled libpq, through
 * scripts/libpq18/psql-shim.py) connects with `sslmode=require sslkeylogfile=K` to a throw-away PostgreSQL 15,
 * real `tcpdump -i lo -U -w` records it, and `observeConnection` opens every record with K's TLS 1.3 secrets:
 * SSLRequest and 'S' in the clear, both Finished verified, AuthenticationOk ... ReadyForQuery in the tunnel. Real
 * `tshark -o tls.keylog_file:K` decrypts the same file, and the number of handshake messages it reads equals ours.
 * And libpq 18 with a client certificate from a CA the server's ssl_ca_file does not hold: psql prints the fault
 * preset's text, the capture shows libpq's Finished and StartupMessage before the server's unknown_ca, and the
 * observer's rule (fatalAlertOf) and `tls-lab handshake --pcap` call it a failed handshake.
 * tcpdump, tshark, root (capturing on lo) and the libpq 18 virtual environment are required: missing, the test
 * fails and says which.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLibpq18, SHIM } from '../kit/programs/libpq18.ts';
import { startPostgres, type Postgres } from '../kit/programs/postgres-cli.ts';
import { tcpdump, waitForCapture } from '../kit/programs/tcpdump.ts';
import { tsharkWithNoSettings } from '../kit/programs/tshark.ts';
import { testPki } from '../kit/pure/pki.ts';
import { makeOraclePki } from '../kit/pure/postgres-pki.ts';
import { tempFiles } from '../kit/programs/openssl-cli.ts';
import { runCli } from '../kit/programs/run-cli.ts';
import { fatalAlertOf } from '../../src/lib/tls12/handshake/event-log.ts';
import { PCAP_EXIT } from '../../src/cli/handshake-pcap.ts';
import { faultPresets } from '../../src/content/handshake/faults.ts';
import { openCapture, tlsConnections } from '../../src/lib/pcap/index.ts';
import { observeConnection, type Observation } from '../../src/lib/tls12/observe.ts';

const dir = mkdtempSync(join(tmpdir(), 'tls-lab-libpq18-tls13-'));
let pg: Postgres;

beforeAll(async () => {
  const pki = await testPki();
  pg = await startPostgres(pki.rsa.certPem, pki.rsa.keyPem);
});

afterAll(() => pg?.stop());

async function observe(file: string, keyLog: string): Promise<Observation> {
  const [c] = tlsConnections(openCapture(new Uint8Array(readFileSync(file))));
  if (!c) throw new Error(`${file}: no TLS connection in the capture`);
  return observeConnection([...c.chunks, ...c.gaps], { keyLog });
}

/** `psql -c 'select 1'` through libpq 18 (the shim), as alice over TLS (sslmode=require), with more conninfo. */
function selectOne(python: string, conninfo: string): SpawnSyncReturns<string> {
  return spawnSync(
    python,
    [
      SHIM,
      '-X',
      '-w',
      '-At',
      '-c',
      'select 1',
      `host=127.0.0.1 user=alice dbname=postgres sslmode=require ${conninfo}`,
    ],
    { encoding: 'utf8' },
  );
}

describe('libpq 18 with sslkeylogfile=, captured by tcpdump, observed', () => {
  it('every TLS 1.3 record opens; PostgreSQL inside the tunnel; tshark reads as many handshake messages', async () => {
    const { python, versions } = ensureLibpq18();
    expect(versions.libpq).toMatch(/^18\./);
    const file = join(dir, 'libpq18.pcap');
    const keys = join(dir, 'libpq18.keys.log');
    const capture = await tcpdump(file, pg.port);
    try {
      const psql = selectOne(python, `port=${pg.port} sslkeylogfile=${keys}`);
      expect(psql.stdout.trim(), psql.stderr).toBe('1');
      // tcpdump -U writes each packet as it sees it; wait until libpq's Terminate has been read back.
      await waitForCapture(async () => {
        if (!existsSync(file)) return false;
        const seen = await observe(file, readFileSync(keys, 'utf8')).catch(() => undefined);
        return seen?.eventLog.some((e) => e.kind === 'alert' && e.from === 'client') ?? false;
      });
    } finally {
      await capture.stop();
    }
    const keyLog = readFileSync(keys, 'utf8');
    expect(keyLog).toMatch(/^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]{64,96}$/m);

    const seen = await observe(file, keyLog);
    expect(seen.version).toBe(0x0304);
    expect(seen.decryption, seen.decryptionSummary).toMatchObject({
      status: 'decrypted',
      version: 'TLSv1.3',
      clientFinished: 'verified',
      serverFinished: 'verified',
    });
    const encrypted = seen.eventLog.filter((e) => e.kind === 'record' && e.encrypted);
    expect(encrypted.length).toBeGreaterThan(4);
    for (const e of encrypted)
      if (e.kind === 'record') expect(e.plaintext && !e.error, `${e.from} ${e.seq}: ${e.error}`).toBe(true);
    const pgLabels = seen.eventLog.flatMap((e) =>
      e.kind === 'postgres' ? [`${e.inTunnel} ${e.label}`] : [],
    );
    expect(pgLabels.slice(0, 3)).toEqual([
      'false SSLRequest',
      "false SSL response 'S'",
      'true StartupMessage',
    ]);
    expect(pgLabels).toContain('true AuthenticationOk');
    expect(pgLabels.some((l) => l.startsWith('true ReadyForQuery'))).toBe(true);

    // Real tshark with the same key log: its count of decrypted handshake messages equals the observer's.
    const tshark = tsharkWithNoSettings();
    const types = tshark(
      file,
      '-o',
      `tls.keylog_file:${keys}`,
      '-d',
      `tcp.port==${pg.port},pgsql`,
      '-Y',
      'tls.handshake.type',
      '-T',
      'fields',
      '-e',
      'tls.handshake.type',
    )
      .split(/[\n,]/)
      .filter((t) => t.trim() !== '');
    const ours = seen.eventLog.filter((e) => e.kind === 'message');
    expect(ours.length).toBeGreaterThan(6);
    expect(types.length).toBe(ours.length);
    expect(types.map(Number)).toEqual(ours.map((e) => (e.kind === 'message' ? e.msgType : -1)));
  });

  it('a client certificate the server refuses: unknown_ca after the client Finished and StartupMessage, a failed handshake', async () => {
    const { python } = ensureLibpq18();
    const clients = (await makeOraclePki('alice')).clients;
    const files = tempFiles({
      'client-ca.crt': clients.ca,
      'client.crt': clients.certs.untrusted.certPem,
      'client.key': clients.certs.untrusted.keyPem,
    });
    chmodSync(files['client.key']!, 0o600);
    chmodSync(dirname(files['client-ca.crt']!), 0o755);
    chmodSync(files['client-ca.crt']!, 0o644);
    const pki = await testPki();
    const asking = await startPostgres(pki.rsa.certPem, pki.rsa.keyPem, [
      `ssl_ca_file = '${files['client-ca.crt']}'`,
    ]);
    const file = join(dir, 'libpq18-refused.pcap');
    const keys = join(dir, 'libpq18-refused.keys.log');
    let psql: SpawnSyncReturns<string> | undefined;
    const capture = await tcpdump(file, asking.port);
    try {
      psql = selectOne(
        python,
        `port=${asking.port} sslcert=${files['client.crt']} sslkey=${files['client.key']} sslkeylogfile=${keys}`,
      );
      await waitForCapture(async () => {
        if (!existsSync(file) || !existsSync(keys)) return false;
        const seen = await observe(file, readFileSync(keys, 'utf8')).catch(() => undefined);
        return seen?.eventLog.some((e) => e.kind === 'alert' && e.from === 'server') ?? false;
      });
    } finally {
      await capture.stop();
      asking.stop();
    }
    // psql's text is the one the fault preset shows for this refusal.
    expect(psql?.status, psql?.stderr).toBe(2);
    const preset = faultPresets.find((f) => f.id === 'tls13-client-cert-unknown-ca');
    expect(psql?.stderr).toContain(`failed: ${preset?.libpq}`);

    const seen = await observe(file, readFileSync(keys, 'utf8'));
    expect(seen.decryption, seen.decryptionSummary).toMatchObject({
      status: 'decrypted',
      version: 'TLSv1.3',
      clientFinished: 'verified',
      serverFinished: 'verified',
    });
    // libpq's side of the handshake is complete after its Finished: the StartupMessage follows at once, and
    // only then does the server's alert (under its application keys) arrive.
    const story = seen.eventLog.flatMap((e) => {
      if (e.kind === 'message' && e.from === 'client') return [`client ${e.name}`];
      if (e.kind === 'postgres' && e.inTunnel) return [`${e.from} ${e.label}`];
      if (e.kind === 'alert') return [`${e.from} alert ${e.name}`];
      return [];
    });
    expect(story.slice(-5)).toEqual([
      'client certificate',
      'client certificate_verify',
      'client finished',
      'client StartupMessage',
      'server alert unknown_ca',
    ]);
    const alertRecord = seen.eventLog.findLast((e) => e.kind === 'record' && e.from === 'server');
    expect(alertRecord?.kind === 'record' && alertRecord.encrypted && !!alertRecord.plaintext).toBe(true);
    expect(fatalAlertOf(seen.eventLog)).toMatchObject({
      alert: { name: 'unknown_ca' },
      afterHandshake: false,
    });

    // The CLI reads the same file as a failed handshake, as the lab does (fatalAlertOf, the one rule).
    const r = await runCli(['handshake', '--pcap', file, '--keylog', keys]);
    expect(r.code, r.stderr).toBe(PCAP_EXIT.alert);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^HANDSHAKE FAILED: the server sent fatal alert unknown_ca \(48\); TLSv1\.3, .*; every record decrypted$/,
    );
  });
});
