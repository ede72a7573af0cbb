/**
 * A throw-away PKI for the PostgreSQL oracle, generated fresh with WebCrypto + @peculiar/x509 (ECDSA P-256):
 *
 *   Root A ──> Intermediate (issued by A) ─┬─> leaf "good"     SAN DNS:db.example.test, DNS:localhost, IP:127.0.0.1
 *   Root B ──> Intermediate (cross-signed, │   leaf "noip"     SAN DNS:localhost only, CN localhost
 *              same subject and key)       ├─> leaf "mismatch" SAN DNS:other.example.test
 *                                          └─> leaf "expired"  like good, notAfter in the past
 *   "selfsigned": a self-signed leaf with SAN DNS:localhost, IP:127.0.0.1; "expiredself": the same, expired.
 *   "leafonly": the good leaf sent without its intermediate.
 *   Root C (expired) ──> Intermediate C ──> leaf "expiredroot" (valid, SAN as good): a root file that has expired.
 *   Root A ──> Intermediate D (expired) ──> leaf "expiredinter" (valid, SAN as good).
 *
 * Client certificates (for ssl_ca_file, clientcert= and the cert method), EKU clientAuth:
 *   Client CA (the server's ssl_ca_file) ─┬─> "right"   CN=<role>            (the role the oracle connects as)
 *                                         ├─> "wrong"   CN=someone-else
 *                                         └─> "expired" CN=<role>, notAfter in the past
 *   Untrusted CA (not in ssl_ca_file) ────> "untrusted" CN=<role>
 *   Each comes with its PKCS#8 key.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface ServerCredential {
  /** Leaf first, then intermediates, as the server sends them (ssl_cert_file). */
  readonly chainPem: string;
  /** PKCS#8 PEM (ssl_key_file). */
  readonly keyPem: string;
}

export interface ClientCredential {
  readonly certPem: string;
  /** PKCS#8 PEM, the file sslkey names (or ~/.postgresql/postgresql.key). */
  readonly keyPem: string;
}

export interface OracleClientPki {
  /** The server's ssl_ca_file. */
  readonly ca: string;
  readonly untrustedCa: string;
  readonly certs: Readonly<Record<'right' | 'wrong' | 'expired' | 'untrusted', ClientCredential>>;
}

export interface OraclePki {
  readonly clients: OracleClientPki;
  readonly rootA: string;
  readonly rootB: string;
  readonly intermediateFromA: string;
  readonly intermediateFromB: string;
  /** A root whose validity period has ended, and the expired self-signed leaf (for root files holding them). */
  readonly expiredRootC: string;
  readonly expiredSelfSigned: string;
  readonly servers: Readonly<
    Record<
      | 'good'
      | 'noip'
      | 'mismatch'
      | 'expired'
      | 'selfsigned'
      | 'cross'
      | 'leafonly'
      | 'expiredroot'
      | 'expiredself'
      | 'expiredinter',
      ServerCredential
    >
  >;
  /**
   * A CRL (PEM) signed by Root A or by the Intermediate (the good leaf's issuer), listing the serials of
   * `revoke` (certificate PEMs); `expired`: nextUpdate in the past.
   */
  readonly crl: (
    issuer: 'rootA' | 'intermediate',
    opts?: { readonly revoke?: readonly string[]; readonly expired?: boolean },
  ) => Promise<string>;
}

function toPem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
}

let serial = 0x1000;

async function issue(args: {
  subject: string;
  issuer: string;
  publicKey: CryptoKey;
  signingKey: CryptoKey;
  issuerPublicKey: CryptoKey;
  ca: boolean;
  /** Extended key usage of a leaf (default serverAuth). */
  eku?: 'serverAuth' | 'clientAuth';
  san?: { type: 'dns' | 'ip'; value: string }[];
  notBefore?: Date;
  notAfter?: Date;
}): Promise<string> {
  const now = Date.now();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(args.ca, undefined, true),
    new x509.KeyUsagesExtension(
      args.ca
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
        : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(args.publicKey, false, webcrypto as unknown as Crypto),
    await x509.AuthorityKeyIdentifierExtension.create(
      args.issuerPublicKey,
      false,
      webcrypto as unknown as Crypto,
    ),
  ];
  if (!args.ca)
    extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage[args.eku ?? 'serverAuth']]));
  if (args.san) extensions.push(new x509.SubjectAlternativeNameExtension(args.san));
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: (serial++).toString(16),
      subject: args.subject,
      issuer: args.issuer,
      notBefore: args.notBefore ?? new Date(now - 2 * DAY),
      notAfter: args.notAfter ?? new Date(now + 365 * DAY),
      signingAlgorithm: ALG,
      publicKey: args.publicKey,
      signingKey: args.signingKey,
      extensions,
    },
    webcrypto as unknown as Crypto,
  );
  return cert.toString('pem') + '\n';
}

/** Client CA, an untrusted CA and client leaves whose CN is `role` (or someone-else), with their keys. */
async function makeClientPki(role: string): Promise<OracleClientPki> {
  const [kc, ku] = await Promise.all([keyPair(), keyPair()]);
  const root = (subject: string, k: CryptoKeyPair): Promise<string> =>
    issue({
      subject,
      issuer: subject,
      publicKey: k.publicKey,
      signingKey: k.privateKey,
      issuerPublicKey: k.publicKey,
      ca: true,
    });
  const ca = await root('CN=TLS Lab Client CA', kc);
  const untrustedCa = await root('CN=TLS Lab Untrusted Client CA', ku);
  const leaf = async (
    cn: string,
    issuer: { name: string; key: CryptoKeyPair },
    validity?: { notBefore: Date; notAfter: Date },
  ): Promise<ClientCredential> => {
    const k = await keyPair();
    const certPem = await issue({
      subject: `CN=${cn}`,
      issuer: issuer.name,
      publicKey: k.publicKey,
      signingKey: issuer.key.privateKey,
      issuerPublicKey: issuer.key.publicKey,
      ca: false,
      eku: 'clientAuth',
      ...validity,
    });
    return { certPem, keyPem: toPem(await webcrypto.subtle.exportKey('pkcs8', k.privateKey), 'PRIVATE KEY') };
  };
  const trusted = { name: 'CN=TLS Lab Client CA', key: kc };
  return {
    ca,
    untrustedCa,
    certs: {
      right: await leaf(role, trusted),
      wrong: await leaf('someone-else', trusted),
      expired: await leaf(role, trusted, {
        notBefore: new Date(Date.now() - 30 * DAY),
        notAfter: new Date(Date.now() - 2 * DAY),
      }),
      untrusted: await leaf(role, { name: 'CN=TLS Lab Untrusted Client CA', key: ku }),
    },
  };
}

/** `clientRole`: the CN of the client certificates that should match (the role the oracle connects as). */
export async function makeOraclePki(clientRole = 'certuser'): Promise<OraclePki> {
  const [ka, kb, ki] = await Promise.all([keyPair(), keyPair(), keyPair()]);
  const rootA = await issue({
    subject: 'CN=TLS Lab Root A',
    issuer: 'CN=TLS Lab Root A',
    publicKey: ka.publicKey,
    signingKey: ka.privateKey,
    issuerPublicKey: ka.publicKey,
    ca: true,
  });
  const rootB = await issue({
    subject: 'CN=TLS Lab Root B',
    issuer: 'CN=TLS Lab Root B',
    publicKey: kb.publicKey,
    signingKey: kb.privateKey,
    issuerPublicKey: kb.publicKey,
    ca: true,
  });
  const interName = 'CN=TLS Lab Intermediate';
  const intermediateFromA = await issue({
    subject: interName,
    issuer: 'CN=TLS Lab Root A',
    publicKey: ki.publicKey,
    signingKey: ka.privateKey,
    issuerPublicKey: ka.publicKey,
    ca: true,
  });
  const intermediateFromB = await issue({
    subject: interName,
    issuer: 'CN=TLS Lab Root B',
    publicKey: ki.publicKey,
    signingKey: kb.privateKey,
    issuerPublicKey: kb.publicKey,
    ca: true,
  });

  const leaf = async (
    subject: string,
    san: { type: 'dns' | 'ip'; value: string }[],
    validity?: { notBefore: Date; notAfter: Date },
  ): Promise<ServerCredential & { leafPem: string }> => {
    const k = await keyPair();
    const leafPem = await issue({
      subject,
      issuer: interName,
      publicKey: k.publicKey,
      signingKey: ki.privateKey,
      issuerPublicKey: ki.publicKey,
      ca: false,
      san,
      ...validity,
    });
    const keyPem = toPem(await webcrypto.subtle.exportKey('pkcs8', k.privateKey), 'PRIVATE KEY');
    return { leafPem, chainPem: leafPem + intermediateFromA, keyPem };
  };
  const goodSan = [
    { type: 'dns' as const, value: 'db.example.test' },
    { type: 'dns' as const, value: 'localhost' },
    { type: 'ip' as const, value: '127.0.0.1' },
  ];
  const good = await leaf('CN=db.example.test', goodSan);
  const noip = await leaf('CN=localhost', [{ type: 'dns', value: 'localhost' }]);
  const mismatch = await leaf('CN=other.example.test', [{ type: 'dns', value: 'other.example.test' }]);
  const past = { notBefore: new Date(Date.now() - 30 * DAY), notAfter: new Date(Date.now() - 2 * DAY) };
  const expired = await leaf('CN=db.example.test', goodSan, past);
  const ks = await keyPair();
  /** A self-signed leaf for localhost and 127.0.0.1 (the same key either way). */
  const selfSigned = (validity: Partial<typeof past> = {}) =>
    issue({
      subject: 'CN=localhost',
      issuer: 'CN=localhost',
      publicKey: ks.publicKey,
      signingKey: ks.privateKey,
      issuerPublicKey: ks.publicKey,
      ca: false,
      san: [
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ],
      ...validity,
    });
  const selfsigned = {
    chainPem: await selfSigned(),
    keyPem: toPem(await webcrypto.subtle.exportKey('pkcs8', ks.privateKey), 'PRIVATE KEY'),
  };
  const expiredSelfPem = await selfSigned(past);
  const [kc, kic, kl] = await Promise.all([keyPair(), keyPair(), keyPair()]);
  const rootC = await issue({
    subject: 'CN=TLS Lab Root C',
    issuer: 'CN=TLS Lab Root C',
    publicKey: kc.publicKey,
    signingKey: kc.privateKey,
    issuerPublicKey: kc.publicKey,
    ca: true,
    ...past,
  });
  const intermediateC = await issue({
    subject: 'CN=TLS Lab Intermediate C',
    issuer: 'CN=TLS Lab Root C',
    publicKey: kic.publicKey,
    signingKey: kc.privateKey,
    issuerPublicKey: kc.publicKey,
    ca: true,
  });
  const leafC = await issue({
    subject: 'CN=db.example.test',
    issuer: 'CN=TLS Lab Intermediate C',
    publicKey: kl.publicKey,
    signingKey: kic.privateKey,
    issuerPublicKey: kic.publicKey,
    ca: false,
    san: goodSan,
  });
  // An intermediate of Root A whose validity has ended, over a valid leaf: no client lets that pass.
  const [kd, kld] = await Promise.all([keyPair(), keyPair()]);
  const intermediateD = await issue({
    subject: 'CN=TLS Lab Intermediate D',
    issuer: 'CN=TLS Lab Root A',
    publicKey: kd.publicKey,
    signingKey: ka.privateKey,
    issuerPublicKey: ka.publicKey,
    ca: true,
    ...past,
  });
  const leafD = await issue({
    subject: 'CN=db.example.test',
    issuer: 'CN=TLS Lab Intermediate D',
    publicKey: kld.publicKey,
    signingKey: kd.privateKey,
    issuerPublicKey: kd.publicKey,
    ca: false,
    san: goodSan,
  });
  const crl: OraclePki['crl'] = async (issuer, opts = {}) => {
    const now = Date.now();
    const made = await x509.X509CrlGenerator.create(
      {
        issuer: issuer === 'rootA' ? 'CN=TLS Lab Root A' : interName,
        thisUpdate: new Date(now - (opts.expired ? 10 : 1) * DAY),
        nextUpdate: new Date(opts.expired ? now - 2 * DAY : now + 30 * DAY),
        signingAlgorithm: ALG,
        signingKey: (issuer === 'rootA' ? ka : ki).privateKey,
        entries: (opts.revoke ?? []).map((pem) => ({
          serialNumber: new x509.X509Certificate(pem).serialNumber,
          revocationDate: new Date(now - DAY),
        })),
      },
      webcrypto as unknown as Crypto,
    );
    // @peculiar/x509 writes "BEGIN CRL"; OpenSSL's PEM reader knows only "X509 CRL".
    return made.toString('pem').replace(/-----(BEGIN|END) CRL-----/g, '-----$1 X509 CRL-----') + '\n';
  };
  return {
    crl,
    clients: await makeClientPki(clientRole),
    rootA,
    rootB,
    intermediateFromA,
    intermediateFromB,
    expiredRootC: rootC,
    expiredSelfSigned: expiredSelfPem,
    servers: {
      good: { chainPem: good.chainPem, keyPem: good.keyPem },
      noip: { chainPem: noip.chainPem, keyPem: noip.keyPem },
      mismatch: { chainPem: mismatch.chainPem, keyPem: mismatch.keyPem },
      expired: { chainPem: expired.chainPem, keyPem: expired.keyPem },
      selfsigned,
      // The server forgets its intermediate.
      leafonly: { chainPem: good.leafPem, keyPem: good.keyPem },
      // The server sends both intermediates: a client trusting only Root B must find the cross-signed one.
      cross: { chainPem: good.leafPem + intermediateFromA + intermediateFromB, keyPem: good.keyPem },
      expiredroot: {
        chainPem: leafC + intermediateC,
        keyPem: toPem(await webcrypto.subtle.exportKey('pkcs8', kl.privateKey), 'PRIVATE KEY'),
      },
      expiredself: { chainPem: expiredSelfPem, keyPem: selfsigned.keyPem },
      expiredinter: {
        chainPem: leafD + intermediateD,
        keyPem: toPem(await webcrypto.subtle.exportKey('pkcs8', kld.privateKey), 'PRIVATE KEY'),
      },
    },
  };
}
