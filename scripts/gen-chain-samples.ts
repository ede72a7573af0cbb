/**
 * Generates the Chain Lab's teaching chains into fixtures/generated-chains/ (committed; re-run to refresh:
 * `npx tsx scripts/gen-chain-samples.ts`). ECDSA P-256 keys made here and thrown away: only certificates are
 * written. Validity is fixed (not relative to today) so each sample's verdict at its stated date never changes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issue, type Issued } from './issue-ec.ts';

const OUT = join(import.meta.dirname, '..', 'fixtures', 'generated-chains');

const pem = (...certs: Issued[]) => certs.map((c) => c.cert.toString('pem')).join('\n') + '\n';

const root = await issue({
  subject: 'CN=TLS Lab Sample Root CA,O=TLS Lab',
  ca: true,
  from: '2024-01-01T00:00:00Z',
  to: '2044-01-01T00:00:00Z',
});
const inter = await issue({
  subject: 'CN=TLS Lab Sample Issuing CA,O=TLS Lab',
  issuer: root,
  ca: true,
  pathLen: 0,
  from: '2024-01-01T00:00:00Z',
  to: '2034-01-01T00:00:00Z',
});
const leaf = await issue({
  subject: 'CN=db.example.com',
  issuer: inter,
  ca: false,
  from: '2025-01-01T00:00:00Z',
  to: '2027-12-31T00:00:00Z',
  dns: ['db.example.com'],
  ip: ['127.0.0.1'],
});
const expired = await issue({
  subject: 'CN=db.example.com',
  issuer: inter,
  ca: false,
  from: '2024-01-01T00:00:00Z',
  to: '2025-01-01T00:00:00Z',
  dns: ['db.example.com'],
});
const otherHost = await issue({
  subject: 'CN=other.example.com',
  issuer: inter,
  ca: false,
  from: '2025-01-01T00:00:00Z',
  to: '2027-12-31T00:00:00Z',
  dns: ['other.example.com'],
});
const selfSigned = await issue({
  subject: 'CN=db.example.com',
  ca: false,
  from: '2025-01-01T00:00:00Z',
  to: '2027-12-31T00:00:00Z',
  dns: ['db.example.com'],
});
// pathLen violation: the issuing CA has pathLenConstraint 0, yet it signed another CA.
const subCa = await issue({
  subject: 'CN=TLS Lab Sample Sub CA,O=TLS Lab',
  issuer: inter,
  ca: true,
  from: '2024-06-01T00:00:00Z',
  to: '2030-01-01T00:00:00Z',
});
const deepLeaf = await issue({
  subject: 'CN=db.example.com',
  issuer: subCa,
  ca: false,
  from: '2025-01-01T00:00:00Z',
  to: '2027-12-31T00:00:00Z',
  dns: ['db.example.com'],
});
// Wrong order: a two-level chain (root -> level 1 -> level 2 -> leaf) served as leaf, level 1, level 2.
const level1 = await issue({
  subject: 'CN=TLS Lab Sample Policy CA,O=TLS Lab',
  issuer: root,
  ca: true,
  pathLen: 1,
  from: '2024-01-01T00:00:00Z',
  to: '2034-01-01T00:00:00Z',
});
const level2 = await issue({
  subject: 'CN=TLS Lab Sample Server CA,O=TLS Lab',
  issuer: level1,
  ca: true,
  pathLen: 0,
  from: '2024-01-01T00:00:00Z',
  to: '2034-01-01T00:00:00Z',
});
const orderLeaf = await issue({
  subject: 'CN=db.example.com',
  issuer: level2,
  ca: false,
  from: '2025-01-01T00:00:00Z',
  to: '2027-12-31T00:00:00Z',
  dns: ['db.example.com'],
});
const unrelatedRoot = await issue({
  subject: 'CN=Unrelated Example Root,O=Elsewhere',
  ca: true,
  from: '2024-01-01T00:00:00Z',
  to: '2044-01-01T00:00:00Z',
});

const files: Record<string, string> = {
  'root.pem': pem(root),
  'good-chain.pem': pem(leaf, inter),
  'missing-intermediate.pem': pem(leaf),
  'wrong-order.pem': pem(orderLeaf, level1, level2),
  'extra-certificates.pem': pem(leaf, unrelatedRoot, inter, root),
  'self-signed.pem': pem(selfSigned),
  'expired-leaf.pem': pem(expired, inter),
  'host-mismatch.pem': pem(otherHost, inter),
  'pathlen-violation.pem': pem(deepLeaf, subCa, inter),
};
await mkdir(OUT, { recursive: true });
for (const [name, text] of Object.entries(files)) await writeFile(join(OUT, name), text);
console.log(`wrote ${Object.keys(files).length} files to ${OUT}`);
