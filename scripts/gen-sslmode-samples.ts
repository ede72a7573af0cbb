/**
 * Generates src/lib/sslmode/samples/server-pki.ts, the sslmode Lab's sample server certificates (ECDSA P-256; the
 * private keys are thrown away at the end of the run, so nobody can sign with these CAs again):
 * - Root A issues db.example.test (SAN DNS:db.example.test, IP:127.0.0.1), an expired one, and shop.example.test:
 *   a valid certificate for ANOTHER name from the same CA (the attack that verify-ca lets through and
 *   verify-full refuses). Root B is unrelated. A self-signed db.example.test. Self-signed localhost leaves with a CN
 *   alone and with three names (the counts in libpq's host-name text).
 * - A public-CA-shaped hierarchy for the managed-service presets: Sample Public Root G2 -> Sample Cloud TLS
 *   Issuing CA 07 -> *.postgres.database.azure.com (served with its intermediate, as Azure serves its chain), and
 *   www.example.org from the same issuing CA (what any customer of that public CA can obtain).
 * Re-run with `npx tsx scripts/gen-sslmode-samples.ts` (every certificate changes; names and dates do not).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issue, type Issued } from './issue-ec.ts';

const OUT = join(import.meta.dirname, '..', 'src', 'lib', 'sslmode', 'samples', 'server-pki.ts');
const FROM = '2024-01-01T00:00:00Z';
const TO = '2124-01-01T00:00:00Z';
const db = { dns: ['db.example.test'], ip: ['127.0.0.1'], from: FROM, to: TO, ca: false };
const ca = { ca: true, from: FROM, to: TO };

const rootA = await issue({ serial: 0x5a01, subject: 'CN=Sample Root A', ...ca });
const rootB = await issue({ serial: 0x5a02, subject: 'CN=Sample Root B', ...ca });
const good = await issue({ serial: 0x5a03, subject: 'CN=db.example.test', issuer: rootA, ...db });
const expired = await issue({
  serial: 0x5a04,
  subject: 'CN=db.example.test',
  issuer: rootA,
  ...db,
  from: '2020-01-01T00:00:00Z',
  to: '2021-01-01T00:00:00Z',
});
const selfSigned = await issue({ serial: 0x5a05, subject: 'CN=db.example.test', ...db });
const otherName = await issue({
  serial: 0x5a06,
  subject: 'CN=shop.example.test',
  issuer: rootA,
  ...db,
  dns: ['shop.example.test'],
  ip: [],
});
// Self-signed localhost certificates: a CN alone, and three names (two DNS, one IP), for libpq's name counts.
const localhostCn = await issue({ serial: 0x5a07, subject: 'CN=localhost', ca: false, from: FROM, to: TO });
const localhostThree = await issue({
  serial: 0x5a08,
  subject: 'CN=localhost',
  ca: false,
  from: FROM,
  to: TO,
  dns: ['localhost', 'localhost.localdomain'],
  ip: ['::1'],
});
const publicRoot = await issue({
  serial: 0x5a10,
  subject: 'CN=Sample Public Root G2,O=Sample Trust Inc,C=US',
  ...ca,
});
const issuing = await issue({
  serial: 0x5a11,
  subject: 'CN=Sample Cloud TLS Issuing CA 07,O=Sample Cloud Corporation,C=US',
  issuer: publicRoot,
  ...ca,
});
const cloudLeaf = await issue({
  serial: 0x5a12,
  subject: 'CN=*.postgres.database.azure.com,O=Sample Cloud Corporation,C=US',
  issuer: issuing,
  ...db,
  dns: ['*.postgres.database.azure.com'],
  ip: [],
});
const publicOther = await issue({
  serial: 0x5a13,
  subject: 'CN=www.example.org,O=Example Org,C=US',
  issuer: issuing,
  ...db,
  dns: ['www.example.org'],
  ip: [],
});

const pem = (m: Issued) => m.cert.toString('pem').replace(/\r\n/g, '\n') + '\n';
const constant = (doc: string, name: string, text: string) =>
  `${doc ? `/** ${doc} */\n` : ''}export const ${name} = \`${text}\`;\n`;

const header = `/**
 * Sample public certificates for examples, the troubleshooter's reproductions and the UI: ECDSA P-256, made by
 * scripts/gen-sslmode-samples.ts (private keys discarded). Valid 2024-01-01 to 2124-01-01 unless named otherwise.
 * Root A issues the db.example.test leaves (SAN DNS:db.example.test, IP:127.0.0.1) and shop.example.test; Root B
 * is unrelated. Two self-signed localhost leaves: a CN alone, and three names (DNS:localhost,
 * DNS:localhost.localdomain, IP:::1). The public-CA-shaped chain (Sample Public Root G2 -> Sample Cloud TLS
 * Issuing CA 07 -> leaf) has the shape of a managed service's chain: a public root, an issuing intermediate the
 * server sends, a wildcard leaf.
 */
`;
await writeFile(
  OUT,
  header +
    constant('', 'SAMPLE_ROOT_A', pem(rootA)) +
    constant('', 'SAMPLE_ROOT_B', pem(rootB)) +
    constant('', 'SAMPLE_LEAF_GOOD', pem(good)) +
    constant('Valid 2020-01-01 to 2021-01-01.', 'SAMPLE_LEAF_EXPIRED', pem(expired)) +
    constant('', 'SAMPLE_LEAF_SELF_SIGNED', pem(selfSigned)) +
    constant(
      'Issued by Root A for shop.example.test only: valid, from the right CA, for another name.',
      'SAMPLE_LEAF_OTHER_NAME',
      pem(otherName),
    ) +
    constant(
      'Self-signed, CN=localhost and no subjectAltName: the certificate many self-made setups serve.',
      'SAMPLE_LEAF_LOCALHOST_CN',
      pem(localhostCn),
    ) +
    constant(
      'Self-signed, CN=localhost with SAN DNS:localhost, DNS:localhost.localdomain, IP:::1: three names libpq counts.',
      'SAMPLE_LEAF_LOCALHOST_THREE',
      pem(localhostThree),
    ) +
    constant('A public-CA-shaped root (self-signed).', 'SAMPLE_PUBLIC_ROOT', pem(publicRoot)) +
    constant(
      'The issuing intermediate under Sample Public Root G2.',
      'SAMPLE_CLOUD_ISSUING_CA',
      pem(issuing),
    ) +
    constant('The wildcard leaf the managed service presents.', 'SAMPLE_CLOUD_LEAF', pem(cloudLeaf)) +
    constant(
      'www.example.org from the same issuing CA: any customer of the public CA can have one.',
      'SAMPLE_CLOUD_OTHER_NAME',
      pem(publicOther),
    ) +
    `/** The server's certificate file under the managed-service preset: the leaf, then its issuing CA. */
export const SAMPLE_CLOUD_CHAIN = SAMPLE_CLOUD_LEAF + SAMPLE_CLOUD_ISSUING_CA;
/** What the attacker with a certificate from the same public CA serves. */
export const SAMPLE_CLOUD_OTHER_NAME_CHAIN = SAMPLE_CLOUD_OTHER_NAME + SAMPLE_CLOUD_ISSUING_CA;
`,
);
console.log(`wrote ${OUT}`);
