/**
 * The openssl-3 profile against the REAL `openssl verify` (as libpq runs it: tests/kit/programs/openssl-verify.ts) on
 * chains whose intermediate has a key or signs with a hash that WebCrypto lacks, all made here by the openssl CLI:
 * brainpool P256r1/P384r1/P512r1, secp256k1, P-224, P-192 (which security level 2 refuses), an id-RSASSA-PSS key, and
 * ECDSA with SHA-224. Same verdict, first error number, text and depth. One algorithm this engine still lacks (RSA
 * with SHA-224) must be reported as not checked, never as a signature that does not verify.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeChain } from '../../src/lib/pki/index.ts';
import { opensslProfile, opensslVerify, scratch, type VerifyCase } from '../kit/programs/openssl-verify.ts';
import { runCli } from '../kit/programs/run-cli.ts';
import { opensslCa } from '../kit/programs/openssl-ca.ts';

const work = scratch();
afterAll(() => work.dispose());

const { certificate, CA_EXT, LEAF_EXT } = opensslCa(work.dir);
const AT = new Date(Date.UTC(2025, 5, 1, 12));

/** Root (P-256) -> an intermediate with a key of `kind` -> a P-256 leaf the intermediate signs with `md`. */
function chain(id: string, kind: string, md: string): VerifyCase {
  const root = certificate(`${id}-root`, 'ec:P-256', CA_EXT);
  const inter = certificate(`${id}-inter`, kind, CA_EXT, `${id}-root`);
  const leaf = certificate(`${id}-leaf`, 'ec:P-256', LEAF_EXT, `${id}-inter`, md);
  return { leaf, served: [inter], anchors: [root], at: AT, host: 'leaf.example.com', authLevel: 2 };
}

describe('the openssl-3 profile on key algorithms WebCrypto lacks, against openssl verify', () => {
  it.each([
    ['brainpoolP256r1', 'ec:brainpoolP256r1', 'sha256'],
    ['brainpoolP384r1', 'ec:brainpoolP384r1', 'sha384'],
    ['brainpoolP512r1', 'ec:brainpoolP512r1', 'sha512'],
    ['secp256k1', 'ec:secp256k1', 'sha256'],
    ['P-224', 'ec:secp224r1', 'sha256'],
    ['P-224 signing with SHA-224', 'ec:secp224r1', 'sha224'],
    ['P-192 (security level 2 refuses it)', 'ec:prime192v1', 'sha256'],
    ['P-256 signing with SHA-224', 'ec:P-256', 'sha224'],
    ['an id-RSASSA-PSS key (PSS signatures)', 'rsa-pss', 'sha256'],
  ])('%s: the same verdict', async (_name, kind, md) => {
    const c = chain(kind.replace(/[^a-z0-9]/gi, ''), kind, md);
    const real = opensslVerify(work.dir, c);
    expect(await opensslProfile(c)).toEqual(real);
  });

  it('RSA with SHA-224, which this engine cannot check: "not checked here", where openssl says OK', async () => {
    const c = chain('rsa224', 'rsa', 'sha224');
    expect(opensslVerify(work.dir, c)).toEqual({ valid: true });
    const a = await analyzeChain({
      certificates: c.leaf + c.served.join(''),
      trustAnchors: c.anchors.join(''),
      time: c.at,
      profile: 'openssl-3',
    });
    expect(a.verdict.valid).toBe(false);
    expect(a.verdict.error).toMatchObject({ code: 'NOT_CHECKED', notChecked: true, depth: 0 });
    expect(a.verdict.error?.message).toMatch(
      /^OpenSSL 3 checks the signature on "rsa224-leaf", and this engine cannot/,
    );
    expect(a.notSupported).toEqual(['signature-algorithm']);
    const cli = await runCli([
      'chain',
      join(work.dir, 'rsa224-leaf.pem'),
      join(work.dir, 'rsa224-inter.pem'),
      '--trust',
      join(work.dir, 'rsa224-root.pem'),
      '--at',
      '2025-06-01T12:00:00Z',
    ]);
    expect(cli.code).toBe(1);
    expect(cli.stdout.split('\n')[0]).toMatch(
      /^NOT CHECKED for openssl-3: OpenSSL 3 checks the signature on "rsa224-leaf", and this engine cannot/,
    );
  });
});
