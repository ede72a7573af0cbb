/**
 * Certificates made by the real openssl CLI in a scratch directory, for the oracle tests that compare our profiles
 * with `openssl verify`: keys of any kind openssl generates, signed with any digest, dated 2024-01-01 to 2034-01-01 by
 * `openssl ca` (so no verdict depends on today's date).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function opensslCa(dir: string) {
  const CA_EXT =
    'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash';
  const LEAF_EXT =
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' +
    'subjectKeyIdentifier=hash\nsubjectAltName=DNS:leaf.example.com';

  function openssl(...args: string[]): void {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
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
    const file = (suffix: string, text: string) => writeFileSync(join(dir, `${name}.${suffix}`), text);
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
    return readFileSync(join(dir, `${name}.pem`), 'utf8');
  }

  return { openssl, key, certificate, CA_EXT, LEAF_EXT };
}
