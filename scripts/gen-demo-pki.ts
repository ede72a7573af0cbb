/**
 * Generates the Handshake Lab's demo PKI into fixtures/demo-pki/ (committed; re-run to refresh:
 * `npx tsx scripts/gen-demo-pki.ts`). These private keys are PUBLIC DEMO KEYS, shipped in the app so the
 * in-browser server can sign and a "recognisable" run is byte-for-byte repeatable. Never use them elsewhere.
 * Validity is fixed: the server certificates are valid 2025-01-01 .. 2045-01-01, the expired one ended 2025-01-01.
 * Files that exist are kept (new keys would change every recognisable run); `--force` rewrites them all.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const OUT = join(import.meta.dirname, '..', 'fixtures', 'demo-pki');
const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
} as const;
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
let serial = 0x2000;

interface Issued {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  alg: typeof RSA | typeof EC;
}

async function issue(
  subject: string,
  alg: typeof RSA | typeof EC,
  issuer: Issued | null,
  opts: { ca?: boolean; from: string; to: string; dns?: string[]; ip?: string[] },
): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ext: x509.Extension[] = [
    new x509.BasicConstraintsExtension(!!opts.ca, undefined, true),
    new x509.KeyUsagesExtension(
      opts.ca
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
        : x509.KeyUsageFlags.digitalSignature | (alg === RSA ? x509.KeyUsageFlags.keyEncipherment : 0),
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (issuer) ext.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey));
  if (!opts.ca) {
    ext.push(
      new x509.ExtendedKeyUsageExtension([
        x509.ExtendedKeyUsage.serverAuth,
        x509.ExtendedKeyUsage.clientAuth,
      ]),
    );
    ext.push(
      new x509.SubjectAlternativeNameExtension([
        ...(opts.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
        ...(opts.ip ?? []).map((value) => ({ type: 'ip' as const, value })),
      ]),
    );
  }
  const signer = issuer ?? { keys, alg };
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16),
    subject,
    issuer: issuer ? issuer.cert.subject : subject,
    notBefore: new Date(opts.from),
    notAfter: new Date(opts.to),
    signingAlgorithm: signer.alg,
    publicKey: keys.publicKey,
    signingKey: signer.keys.privateKey,
    extensions: ext,
  });
  return { cert, keys, alg };
}

async function keyPem(keys: CryptoKeyPair): Promise<string> {
  const der = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}

const hosts = { dns: ['db.example.com', 'localhost'], ip: ['127.0.0.1'] };
const root = await issue('CN=TLS Lab Demo Root CA,O=TLS Lab (demo only)', RSA, null, {
  ca: true,
  from: '2025-01-01T00:00:00Z',
  to: '2050-01-01T00:00:00Z',
});
const rsa = await issue('CN=db.example.com,O=TLS Lab (demo only)', RSA, root, {
  from: '2025-01-01T00:00:00Z',
  to: '2045-01-01T00:00:00Z',
  ...hosts,
});
const ecdsa = await issue('CN=db.example.com,O=TLS Lab (demo only)', EC, root, {
  from: '2025-01-01T00:00:00Z',
  to: '2045-01-01T00:00:00Z',
  ...hosts,
});
const expired = await issue('CN=db.example.com,O=TLS Lab (demo only)', RSA, root, {
  from: '2023-01-01T00:00:00Z',
  to: '2025-01-01T00:00:00Z',
  ...hosts,
});
const otherHost = await issue('CN=other.example.com,O=TLS Lab (demo only)', RSA, root, {
  from: '2025-01-01T00:00:00Z',
  to: '2045-01-01T00:00:00Z',
  dns: ['other.example.com'],
});
const untrustedRoot = await issue('CN=Unknown Root CA,O=Somebody Else', RSA, null, {
  ca: true,
  from: '2025-01-01T00:00:00Z',
  to: '2050-01-01T00:00:00Z',
});
const untrusted = await issue('CN=db.example.com,O=Somebody Else', RSA, untrustedRoot, {
  from: '2025-01-01T00:00:00Z',
  to: '2045-01-01T00:00:00Z',
  ...hosts,
});
// A client certificate from a CA the lab's server does not trust (TLS 1.3 fault: the server sends unknown_ca).
const clientRoot = await issue('CN=Unknown Client CA,O=Somebody Else', RSA, null, {
  ca: true,
  from: '2025-01-01T00:00:00Z',
  to: '2050-01-01T00:00:00Z',
});
const clientUnknownCa = await issue('CN=app,O=Somebody Else', EC, clientRoot, {
  from: '2025-01-01T00:00:00Z',
  to: '2045-01-01T00:00:00Z',
  dns: ['app.example.com'],
});

await mkdir(OUT, { recursive: true });
const force = process.argv.includes('--force');
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );
const write = async (name: string, text: string) => {
  const path = join(OUT, name);
  if (force || !(await exists(path))) await writeFile(path, text);
};
await write('root.crt', root.cert.toString('pem') + '\n');
for (const [name, issued] of Object.entries({
  'server-rsa': rsa,
  'server-ecdsa': ecdsa,
  'server-expired': expired,
  'server-other-host': otherHost,
  'server-untrusted': untrusted,
  'client-unknown-ca': clientUnknownCa,
})) {
  await write(`${name}.crt`, issued.cert.toString('pem') + '\n');
  await write(`${name}.key`, await keyPem(issued.keys));
}
console.log(`wrote demo PKI to ${OUT}`);
