/**
 * One ECDSA P-256 certificate for the sample generators (scripts/gen-chain-samples.ts,
 * scripts/gen-sslmode-samples.ts): the key pair is made here and lives only as long as the run.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
let serial = 0x1000;

export interface Issued {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  name: string;
}

export async function issue(opts: {
  subject: string;
  issuer?: Issued;
  ca: boolean;
  pathLen?: number;
  from: string;
  to: string;
  dns?: string[];
  ip?: string[];
  /** Default: the next of a counter from 0x1000. */
  serial?: number;
}): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(opts.ca, opts.pathLen, true),
    new x509.KeyUsagesExtension(
      opts.ca
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
        : x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (opts.issuer)
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(opts.issuer.keys.publicKey));
  if (!opts.ca) {
    extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]));
    const names = [
      ...(opts.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
      ...(opts.ip ?? []).map((value) => ({ type: 'ip' as const, value })),
    ];
    if (names.length) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: (opts.serial ?? serial++).toString(16).padStart(4, '0'),
    subject: opts.subject,
    issuer: opts.issuer ? opts.issuer.cert.subject : opts.subject,
    notBefore: new Date(opts.from),
    notAfter: new Date(opts.to),
    signingAlgorithm: alg,
    publicKey: keys.publicKey,
    signingKey: opts.issuer ? opts.issuer.keys.privateKey : keys.privateKey,
    extensions,
  });
  return { cert, keys, name: opts.subject };
}
