/**
 * The openssl-3 profile against the REAL `openssl verify` (as libpq runs it: tests/kit/programs/openssl-verify.ts) on
 * chains whose intermediate has a key or signs with a hash that WebCrypto lacks, all made here by the openssl CLI:
 * brainpool P256r1/P384r1/P512r1, secp256k1, P-224, P-192 (which security level 2 refuses), an id-RSASSA-PSS key, and
 * ECDSA with SHA-224. Same verdict, first error number, text and depth. One algorithm this engine still lacks (RSA
 * with SHA-224) must be reported as not checked, never as a signature that does not verify.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeChain } from '../../src/lib/pki/index.ts';
import { opensslProfile, opensslVerify, scratch, type VerifyCase } from '../kit/programs/openssl-verify.ts';
import { runCli } from '../kit/programs/run-cli.ts';

const work = scratch();
afterAll(() => work.dispose());

const CA_EXT =
  'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash';
const LEAF_EXT =
  'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' +
  'subjectKeyIdentifier=hash\nsubjectAltName=DNS:leaf.example.com';
const AT = new Date(Date.UTC(2025, 5, 1, 12));

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: work.dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A fresh key of `kind` in NAME.key: `ec:CURVE`, `rsa` or `rsa-pss` (2048 bits). */
function key(name: string, kind: string): void {
  const out = ['-out', `${name}.key`];
  if (kind.startsWith('ec:'))
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${kind.slice(3)}`, ...out);
  else
    openssl(
      'genpkey',
      '-algorithm',
      kind === 'rsa' ? 'RSA' : 'RSA-PSS',
      '-pkeyopt',
      'rsa_keygen_bits:2048',
      ...out,
    );
}

/**
 * NAME.pem for a fresh key of `kind`, signed by `issuer`'s key (self-signed without one) with digest `md`, valid
 * from 2024-01-01 to 2034-01-01: `openssl ca` sets the dates, so no verdict depends on today's date.
 */
function certificate(name: string, kind: string, ext: string, issuer?: string, md = 'sha256'): string {
  key(name, kind);
  openssl('req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-out', `${name}.csr`);
  const file = (suffix: string, text: string) => writeFileSync(join(work.dir, `${name}.${suffix}`), text);
  file('ext', `[e]\n${ext}\n`);
  file('db', '');
  file('srl', '01\n');
  file(
    'cnf',
    `[ca]\ndefault_ca=c\n[c]\ndatabase=${name}.db\nnew_certs_dir=.\nserial=${name}.srl\ndefault_md=${md}\n` +
      'policy=p\nunique_subject=no\nemail_in_dn=no\npreserve=yes\n[p]\ncommonName=supplied\n',
  );
  const signer = issuer
    ? ['-cert', `${issuer}.pem`, '-keyfile', `${issuer}.key`]
    : ['-selfsign', '-keyfile', `${name}.key`];
  openssl(
    'ca',
    '-batch',
    '-config',
    `${name}.cnf`,
    '-in',
    `${name}.csr`,
    '-out',
    `${name}.pem`,
    '-notext',
    '-startdate',
    '20240101000000Z',
    '-enddate',
    '20340101000000Z',
    '-md',
    md,
    '-extfile',
    `${name}.ext`,
    '-extensions',
    'e',
    ...signer,
  );
  return readFileSync(join(work.dir, `${name}.pem`), 'utf8');
}

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
