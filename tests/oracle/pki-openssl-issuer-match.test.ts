/**
 * Which certificate OpenSSL 3 takes as an issuer (ossl_x509_likely_issued, crypto/x509/v3_purp.c), against the
 * REAL `openssl verify`, on certificates the openssl CLI makes here:
 * - X509_check_akid: an authority key identifier naming the issuer's issuer and serial (Microsoft AD CS writes
 *   them) rules out an intermediate re-issued with the same key and name under a new serial;
 * - check_sig_alg_match: of two intermediates with one name, the one whose key type cannot have made the child's
 *   signature is skipped (an EC one sent before the RSA one that signed).
 * Fails (does not skip) without openssl.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opensslProfile, opensslVerify, scratch } from '../kit/programs/openssl-verify.ts';

const work = scratch();
afterAll(work.dispose);
// An hour on: the certificates made below are valid from the second they are made.
const at = new Date(Date.now() + 3600_000);
let serial = 0x1000;

const openssl = (...args: string[]) =>
  execFileSync('openssl', args, { cwd: work.dir, stdio: ['ignore', 'pipe', 'pipe'] });
const read = (name: string) => readFileSync(join(work.dir, `${name}.pem`), 'utf8');

function key(name: string, type: 'rsa' | 'ec'): void {
  const opt =
    type === 'rsa'
      ? ['RSA', '-pkeyopt', 'rsa_keygen_bits:2048']
      : ['EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  openssl('genpkey', '-algorithm', ...opt, '-out', `${name}.key`);
}

/** Certificate `name` (key `name.key`, or `keyOf`'s) for /CN=cn, signed by `issuer` (self-signed when absent). */
function cert(name: string, cn: string, ext: string, issuer?: string, keyOf = name): void {
  writeFileSync(join(work.dir, `${name}.ext`), `[e]\n${ext}\n`);
  openssl(
    'req',
    '-new',
    '-key',
    `${keyOf}.key`,
    '-subj',
    `/CN=${cn}`,
    '-out',
    `${name}.csr`,
    '-config',
    '/dev/null',
  );
  const signer = issuer ? ['-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`] : ['-signkey', `${keyOf}.key`];
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    ...signer,
    '-set_serial',
    String(serial++),
    '-days',
    '30',
    '-extfile',
    `${name}.ext`,
    '-extensions',
    'e',
    '-out',
    `${name}.pem`,
  );
}

const CA =
  'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash';
const LEAF =
  'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:leaf.example.com';

// Without key identifiers (OpenSSL 3's x509 adds both unless told not to), only the names and key types tell the
// two intermediates apart.
const NO_KEY_IDS =
  'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\nsubjectKeyIdentifier=none\nauthorityKeyIdentifier=none';

async function bothSay(leaf: string, served: string[], anchors: string[]) {
  const c = { leaf: read(leaf), served: served.map(read), anchors: anchors.map(read), at };
  const real = opensslVerify(work.dir, c);
  expect(await opensslProfile(c)).toEqual(real);
  return real;
}

describe('openssl-3 profile: which certificate is the issuer, as `openssl verify` decides', () => {
  beforeAll(() => {
    key('root', 'rsa');
    cert('root', 'Root', `${CA}\nauthorityKeyIdentifier=keyid`);
  });

  it('an authority key identifier with issuer and serial rules out the same key re-issued under a new serial', async () => {
    key('inter', 'rsa');
    cert('inter', 'Inter', `${CA}\nauthorityKeyIdentifier=keyid`, 'root');
    cert('leaf-akid', 'leaf', `${LEAF}\nauthorityKeyIdentifier=keyid:always,issuer:always`, 'inter', 'root');
    cert('inter-renewed', 'Inter', `${CA}\nauthorityKeyIdentifier=keyid`, 'root', 'inter');
    expect(await bothSay('leaf-akid', ['inter'], ['root'])).toEqual({ valid: true });
    const renewed = await bothSay('leaf-akid', ['inter-renewed'], ['root']);
    expect(renewed).toMatchObject({ valid: false, number: 20, depth: 0 });
  });

  it('of two intermediates with one name, the one whose key type cannot have signed is skipped', async () => {
    key('dup-ec', 'ec');
    cert('dup-ec', 'Dup', NO_KEY_IDS, 'root');
    key('dup-rsa', 'rsa');
    cert('dup-rsa', 'Dup', NO_KEY_IDS, 'root');
    cert(
      'leaf-dup',
      'leaf',
      `${LEAF}\nsubjectKeyIdentifier=none\nauthorityKeyIdentifier=none`,
      'dup-rsa',
      'root',
    );
    expect(await bothSay('leaf-dup', ['dup-ec', 'dup-rsa'], ['root'])).toEqual({ valid: true });
  });
});
