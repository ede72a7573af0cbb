/**
 * A real capture of a real connection opens with every record decrypted: real `tcpdump -i lo -U -w` records
 * `tls-lab handshake --starttls postgres --pg-user alice --tls 1.2 --keylog K` (TLS 1.3: cli-handshake-tls13) against a throw-away PostgreSQL 15; then
 * `tls-lab handshake --pcap FILE --keylog K` shows every record opened, both Finished verified, and
 * AuthenticationOk ... ReadyForQuery inside the tunnel. tcpdump must be installed (scripts/system-deps.sh) and
 * capturing on lo needs root (CI runs as root): when either is missing the test fails and says so.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type Postgres } from '../kit/programs/postgres-cli.ts';
import { tcpdump, waitForCapture } from '../kit/programs/tcpdump.ts';
import { runCli } from '../kit/programs/run-cli.ts';
import { postgresConnectArgs } from '../kit/pure/captures.ts';
import { testPki } from '../kit/pure/pki.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { eventLogFromJson, type EventLogEntry } from '../../src/lib/tls12/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'tls-lab-tcpdump-'));
let pg: Postgres;

beforeAll(async () => {
  const pki = await testPki();
  pg = await startPostgres(pki.rsa.certPem, pki.rsa.keyPem);
});

afterAll(() => pg?.stop());

/** The client's close_notify (its last record) is in the file: the capture holds the whole connection. */
async function closedInFile(file: string, keys: string): Promise<boolean> {
  const io = memoryIo();
  await main(['handshake', '--pcap', file, '--keylog', keys], io);
  return io.stdout().includes('C -> S  alert close_notify');
}

describe('tcpdump -i lo of tls-lab --starttls postgres --keylog, opened with --pcap --keylog', () => {
  it('every record decrypted, AuthenticationOk and ReadyForQuery inside the tunnel', async () => {
    const file = join(dir, 'tls-lab-postgres.pcap');
    const keys = join(dir, 'tls-lab-postgres.keys.log');
    const capture = await tcpdump(file, pg.port);
    let live;
    try {
      live = await runCli(postgresConnectArgs(pg.port, ['--tls', '1.2', '--keylog', keys]));
      // tcpdump -U writes each packet as it sees it; wait until the closing packets are in the file.
      await waitForCapture(() => closedInFile(file, keys));
    } finally {
      await capture.stop();
    }
    expect(live.code, `${live.stderr}\n${pg.log()}`).toBe(0);
    expect(existsSync(file), capture.stderr()).toBe(true);
    expect(readFileSync(keys, 'utf8')).toMatch(/^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\n$/);

    const r = await runCli(['handshake', '--pcap', file, '--keylog', keys]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^HANDSHAKE COMPLETE: TLSv1.2, .*; every record decrypted$/);
    expect(r.stdout).toContain(`-> 127.0.0.1:${pg.port}, SNI (none), PostgreSQL SSLRequest`);
    const at = (text: string) => lines.findIndex((l) => l.startsWith(text));
    const order = [
      '  C -> S  PostgreSQL SSLRequest',
      "  S -> C  PostgreSQL SSL response 'S'",
      '  C -> S  client_hello',
      '  S -> C  finished',
      '  C -> S  PostgreSQL StartupMessage [in TLS]',
      '  S -> C  PostgreSQL AuthenticationOk [in TLS]',
      '  S -> C  PostgreSQL ReadyForQuery (I) [in TLS]',
    ].map(at);
    expect(
      order.every((i) => i > 0),
      r.stdout,
    ).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(r.stdout).not.toContain('[not opened]');
    expect(r.stdout).toContain('client Finished: verified; server Finished: verified');

    const json = await runCli(['handshake', '--pcap', file, '--keylog', keys, '--json']);
    const log: EventLogEntry[] = eventLogFromJson(
      JSON.stringify((JSON.parse(json.stdout) as { eventLog: unknown }).eventLog),
    );
    const encrypted = log.filter((e) => e.kind === 'record' && e.encrypted);
    expect(encrypted.length).toBeGreaterThan(3);
    for (const e of encrypted)
      if (e.kind === 'record') expect(e.plaintext && !e.error, `${e.from} ${e.seq}`).toBe(true);
  });
});
