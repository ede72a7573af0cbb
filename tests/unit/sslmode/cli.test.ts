/** `tls-lab sslmode`: scenario files with "@file" PEMs, exit codes, --json and --diagnose. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/sslmode.ts';
import { SAMPLE_LEAF_GOOD, SAMPLE_ROOT_A } from '../../../src/content/sslmode/sample-pki.ts';

function capture(): { out: () => string } {
  let text = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return { out: () => text };
}

afterEach(() => {
  vi.restoreAllMocks();
});

function scenarioFile(conninfo: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sslmode-cli-'));
  writeFileSync(join(dir, 'leaf.pem'), SAMPLE_LEAF_GOOD);
  writeFileSync(join(dir, 'root.pem'), SAMPLE_ROOT_A);
  const path = join(dir, 'scenario.json');
  writeFileSync(
    path,
    JSON.stringify({
      client: { driver: 'libpq', version: '17', conninfo, files: { '/etc/ca.pem': '@root.pem' } },
      server: { ssl: true, certificateChain: '@leaf.pem', hba: ['hostssl all all 127.0.0.1/32 trust'] },
      time: '2026-01-01T00:00:00Z',
    }),
  );
  return path;
}

describe('tls-lab sslmode', () => {
  it('prints the outcome and exits 0 when the predicted connection succeeds', async () => {
    const c = capture();
    const code = await main([
      'sslmode',
      scenarioFile('host=127.0.0.1 user=app sslmode=verify-full sslrootcert=/etc/ca.pem'),
    ]);
    expect(code).toBe(0);
    expect(c.out()).toContain('RESULT: connected, encrypted (TLSv1.3); chain verified; host name verified');
  });
  it('exits 1 and prints the exact error when it fails; --json gives the ConnectionOutcome', async () => {
    const c = capture();
    const code = await main([
      'sslmode',
      scenarioFile('host=127.0.0.1 user=app sslmode=verify-full'),
      '--json',
    ]);
    expect(code).toBe(1);
    const outcome = JSON.parse(c.out());
    expect(outcome.error).toMatch(
      /^connection to server at "127.0.0.1", port 5432 failed: root certificate file ".*\/.postgresql\/root.crt" does not exist\n/,
    );
  });
  it('diagnoses an error text', async () => {
    const c = capture();
    expect(await main(['sslmode', '--diagnose', 'server does not support SSL, but SSL was required'])).toBe(
      0,
    );
    expect(c.out()).toContain('MEANING:');
  });
  it('exits 2 on a usage error', async () => {
    capture();
    expect(await main(['sslmode'])).toBe(2);
    expect(await main(['sslmode', '/no/such/file.json'])).toBe(2);
  });
});

describe('explainConnection reports the server certificate it reasoned about', () => {
  it('names, key type and expiry of the leaf', async () => {
    const { explainConnection } = await import('../../../src/lib/sslmode/index.ts');
    const out = await explainConnection({
      client: { driver: 'libpq', conninfo: 'host=127.0.0.1 sslmode=require' },
      server: { ssl: true, certificateChain: SAMPLE_LEAF_GOOD, hba: ['host all all 127.0.0.1/32 trust'] },
      time: '2026-01-01T00:00:00Z',
    });
    expect(out.serverCertificate).toEqual({
      subject: 'CN=db.example.test',
      keyType: 'EC P-256',
      notAfter: '2124-01-01T00:00:00.000Z',
      names: ['DNS:db.example.test', 'IP:127.0.0.1', 'CN=db.example.test'],
    });
  });
});
