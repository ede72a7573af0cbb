/**
 * `tls-lab chain` and `tls-lab sslmode` as real processes (bin/tls-lab.mjs, as `npx tls-lab` runs them): the
 * issue #21 example on one screen with the verdict first and exit 0, no colour codes into a pipe, and hostile
 * input (garbage, a directory, token-soup JSON, a bad date) ending in one sentence and exit 2, no stack trace.
 * The many-input properties run in-process (tests/unit/cli/hostile.test.ts); these few prove the real entry.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../kit/programs/run-cli.ts';

const AZ = fileURLToPath(new URL('../../fixtures/public-ca/azure/', import.meta.url));
const LEAF = `${AZ}leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem`;
const dir = mkdtempSync(join(tmpdir(), 'tls-lab-cli-process-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const STACK = /\n\s+at .+:\d+:\d+/;

describe('tls-lab chain as a process', () => {
  it('the issue #21 example: under 25 lines, verdict on line 1, no colour into a pipe, exit 0', async () => {
    const r = await runCli([
      'chain',
      LEAF,
      `${AZ}int_azure-rsa-tls-issuing-ca-07_by-digicert-g2_xsign.pem`,
      `${AZ}int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem`,
      '--trust',
      'mozilla',
      '--host',
      'www.microsoft.com',
      '--at',
      '2024-01-15',
      '--profile',
      'openssl-3',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThan(25);
    expect(lines[0]).toBe(
      'VALID for openssl-3: www.microsoft.com -> Microsoft Azure RSA TLS Issuing CA 07 -> DigiCert Global Root G2',
    );
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('a failing chain exits 1 with the OpenSSL error line first', async () => {
    const r = await runCli(['chain', LEAF, '--at', '2024-01-15', '--profile', 'openssl-3']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(
      'NOT VALID for openssl-3: error 20 at 0 depth lookup: unable to get local issuer certificate',
    );
  });

  for (const [what, args, message] of [
    ['a garbage file', () => [file('garbage.pem', '\u0000\u0001garbage')], /holds no certificate: /],
    ['a directory', () => [dir], /it is a directory/],
    ['a bad date', () => [LEAF, '--at', '15/01/2024'], /--at "15\/01\/2024" is not an ISO 8601 date/],
  ] as const) {
    it(`${what}: one sentence on stderr, exit 2`, async () => {
      const r = await runCli(['chain', ...args()]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^tls-lab chain: /);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(STACK);
    });
  }
});

describe('tls-lab sslmode as a process', () => {
  it('token-soup JSON: one sentence naming the field, exit 2', async () => {
    const r = await runCli([
      'sslmode',
      file('soup.json', '{"client":{"driver":[],"conninfo":{}},"server":7}'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tls-lab sslmode: .*soup\.json: server must be an object, got 7\n/);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('a pg_hba.conf the server cannot load: the client error and the server log, exit 1, no stack trace', async () => {
    const r = await runCli([
      'sslmode',
      file(
        'hba.json',
        JSON.stringify({
          client: { driver: 'libpq', conninfo: 'host=127.0.0.1' },
          server: { ssl: true, hba: ['host'] },
        }),
      ),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('\n  LOG:  end-of-line before database specification\n');
    expect(r.stdout).toContain('\n  FATAL:  could not load pg_hba.conf\n');
    expect(r.stdout).not.toMatch(STACK);
  });

  it('the outcome first, exit 1 for a connection that fails', async () => {
    const r = await runCli([
      'sslmode',
      file(
        'fails.json',
        JSON.stringify({
          client: { driver: 'libpq', version: '17', conninfo: 'host=127.0.0.1 sslmode=require' },
          server: { ssl: false, hba: ['host all all 127.0.0.1/32 trust'] },
        }),
      ),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      'FAILS (libpq 17, sslmode require):',
      '  connection to server at "127.0.0.1", port 5432 failed: server does not support SSL, but SSL was required',
    ]);
  });
});
