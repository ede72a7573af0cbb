/**
 * The first line of `tls-lab chain --profile openssl-3` against the REAL `openssl verify` (OpenSSL 3 at
 * /usr/bin/openssl) on the Azure public chain: the error line our report leads with is the one openssl prints
 * on stderr, character for character ("error 20 at 0 depth lookup: unable to get local issuer certificate"),
 * and a chain openssl accepts ("FILE: OK") is VALID. Run as libpq runs it, without the host name (libpq compares
 * the name itself once the chain verified, in its own words; that rule is held to real psql by
 * tests/oracle/sslmode-libpq.test.ts):
 *   openssl verify -no-CApath -no-CAstore -CAfile ROOTS -untrusted SENT -attime EPOCH -purpose sslserver LEAF
 * Fails (does not skip) without openssl.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { requireProgram } from '../kit/programs/programs.ts';

const OPENSSL = requireProgram('openssl', ['/usr/bin/openssl']);
const AZ = fileURLToPath(new URL('../../fixtures/public-ca/azure/', import.meta.url));
const LEAF = `${AZ}leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem`;
const CA07_MS = `${AZ}int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem`;
const CA07_XSIGN = `${AZ}int_azure-rsa-tls-issuing-ca-07_by-digicert-g2_xsign.pem`;
const MS_ROOT = `${AZ}root_microsoft-rsa-root-ca-2017.pem`;
const G2 = `${AZ}root_digicert-global-root-g2.pem`;
const work = mkdtempSync(join(tmpdir(), 'tls-lab-cli-verify-'));

interface Case {
  name: string;
  leaf: string;
  sent: string[];
  roots: string[];
  at: string;
  host?: string;
  /** What libpq says of the host name once openssl verify accepted the chain (none: the name matches). */
  libpqHost?: string;
}

/** What openssl verify prints: its "error N at D depth lookup: TEXT" line, or "OK". */
function opensslVerify(c: Case): string {
  const roots = join(work, `${c.name}-roots.pem`);
  writeFileSync(roots, c.roots.map((f) => readFileSync(f, 'utf8')).join(''));
  const args = ['verify', '-no-CApath', '-no-CAstore', '-CAfile', roots];
  args.push('-attime', String(Math.floor(new Date(`${c.at}T00:00:00Z`).getTime() / 1000)));
  args.push('-purpose', 'sslserver');
  if (c.sent.length) {
    const untrusted = join(work, `${c.name}-sent.pem`);
    writeFileSync(untrusted, c.sent.map((f) => readFileSync(f, 'utf8')).join(''));
    args.push('-untrusted', untrusted);
  }
  args.push(c.leaf);
  try {
    const out = execFileSync(OPENSSL, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (/: OK\s*$/.test(out)) return 'OK';
    throw new Error(`unexpected openssl output: ${out}`);
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr ?? '';
    const line = stderr.split('\n').find((l) => /^error \d+ at \d+ depth lookup: /.test(l));
    if (!line) throw new Error(`unexpected openssl output: ${stderr}`, { cause: e });
    return line;
  }
}

async function oursFirstLine(c: Case): Promise<{ code: number; line: string }> {
  const io = memoryIo();
  const args = ['chain', c.leaf, ...c.sent, ...c.roots.flatMap((r) => ['--trust', r])];
  args.push('--at', c.at, '--profile', 'openssl-3');
  if (c.host) args.push('--host', c.host);
  const code = await main(args, io);
  return { code, line: io.stdout().split('\n')[0] ?? '' };
}

const CASES: Case[] = [
  {
    name: 'valid',
    leaf: LEAF,
    sent: [CA07_MS],
    roots: [MS_ROOT],
    at: '2024-01-15',
    host: 'www.microsoft.com',
  },
  { name: 'no-intermediate', leaf: LEAF, sent: [], roots: [MS_ROOT], at: '2024-01-15' },
  { name: 'wrong-root', leaf: LEAF, sent: [CA07_XSIGN], roots: [MS_ROOT], at: '2024-01-15' },
  { name: 'expired', leaf: LEAF, sent: [CA07_MS], roots: [MS_ROOT], at: '2025-01-15' },
  {
    name: 'host',
    leaf: LEAF,
    sent: [CA07_MS],
    roots: [MS_ROOT],
    at: '2024-01-15',
    host: 'example.org',
    libpqHost:
      'server certificate for "wwwqa.microsoft.com" (and 6 other names) does not match host name "example.org"',
  },
  { name: 'self-signed', leaf: MS_ROOT, sent: [], roots: [G2], at: '2024-01-15' },
];

describe('tls-lab chain line 1 = openssl verify’s own line', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const real = opensslVerify(c);
      const ours = await oursFirstLine(c);
      if (real === 'OK' && c.libpqHost) {
        expect(ours.code).toBe(1);
        expect(ours.line).toBe(`NOT VALID for openssl-3: ${c.libpqHost}`);
      } else if (real === 'OK') {
        expect(ours.code).toBe(0);
        expect(ours.line).toMatch(/^VALID for openssl-3: /);
      } else {
        expect(ours.code).toBe(1);
        expect(ours.line).toBe(`NOT VALID for openssl-3: ${real}`);
      }
    });
  }
});
