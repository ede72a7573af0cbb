/**
 * The real `openssl verify` (OpenSSL 3.0 CLI at /usr/bin/openssl) and the openssl-3 profile, side by side, for
 * the oracle tests: same pass/fail, same first error number, text and depth. Fails (does not skip) without
 * openssl.
 *
 *   openssl verify -no-CApath -no-CAstore -CAfile ANCHORS [-untrusted SERVED] -attime T -purpose sslserver
 *     [-auth_level N] [-verify_hostname H | -verify_ip IP] LEAF
 *
 * -no-CApath / -no-CAstore: otherwise the system store (/etc/ssl/certs) is trusted as well.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeChain } from '../../../src/lib/pki/index.ts';
import { parseIp } from '../../../src/lib/pki/paths/names.ts';

export interface Outcome {
  valid: boolean;
  number?: number;
  depth?: number;
  message?: string;
}

export interface VerifyCase {
  leaf: string;
  served: string[];
  anchors: string[];
  at: Date;
  host?: string;
  /** `-auth_level N` (libpq on Debian: 2); omitted when undefined. */
  authLevel?: number;
  /** Pass an IP literal host as `-verify_ip` (what an IP peer name sets) instead of `-verify_hostname`. */
  ipAsVerifyIp?: boolean;
}

/** A scratch directory for the PEM files; remove it with `dispose`. */
export function scratch(): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tls-lab-verify-'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export function opensslVerify(dir: string, c: VerifyCase): Outcome {
  const f = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const args = [
    'verify',
    '-no-CApath',
    '-no-CAstore',
    '-CAfile',
    f('anchors.pem', c.anchors.join('')),
    '-attime',
    String(Math.floor(c.at.getTime() / 1000)),
    '-purpose',
    'sslserver',
  ];
  if (c.authLevel !== undefined) args.push('-auth_level', String(c.authLevel));
  if (c.served.length) args.push('-untrusted', f('served.pem', c.served.join('')));
  if (c.host) {
    const asIp = c.ipAsVerifyIp && parseIp(c.host) !== null;
    args.push(asIp ? '-verify_ip' : '-verify_hostname', c.host);
  }
  args.push(f('leaf.pem', c.leaf));
  let out: string;
  try {
    out = execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: string };
    if (err.code === 'ENOENT')
      throw new Error('openssl CLI not found: this oracle test needs /usr/bin/openssl');
    out = `${err.stdout ?? ''}\n${err.stderr ?? ''}`;
  }
  const m = /error (\d+) at (\d+) depth lookup: (.*)/.exec(out);
  if (m) return { valid: false, number: Number(m[1]), depth: Number(m[2]), message: m[3]?.trim() };
  if (/: OK\s*$/m.test(out)) return { valid: true };
  throw new Error(`unexpected openssl output: ${out}`);
}

/** The openssl-3 profile's answer in the same shape. */
export async function opensslProfile(c: VerifyCase): Promise<Outcome> {
  const a = await analyzeChain({
    certificates: c.leaf + c.served.join(''),
    trustAnchors: c.anchors.join(''),
    time: c.at,
    profile: 'openssl-3',
    ...(c.host ? { hostname: c.host } : {}),
    ...(c.authLevel !== undefined ? { opensslAuthLevel: c.authLevel } : {}),
  });
  const e = a.verdict.error;
  return a.verdict.valid
    ? { valid: true }
    : {
        valid: false,
        ...(e?.number !== undefined ? { number: e.number } : {}),
        ...(e?.depth !== undefined ? { depth: e.depth } : {}),
        ...(e ? { message: e.message } : {}),
      };
}
