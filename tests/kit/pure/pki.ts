/**
 * The interop test PKI, generated at test time with WebCrypto + @peculiar/x509: a test CA (ECDSA P-256),
 * an RSA-2048, an ECDSA P-256 and an Ed25519 server certificate for localhost/127.0.0.1, an expired one, one for the wrong
 * host name, one from an untrusted CA, and a client certificate.
 */
import 'reflect-metadata';
import { webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface Issued {
  certDer: Uint8Array;
  certPem: string;
  keyDer: Uint8Array;
  keyPem: string;
}

export interface TestPki {
  ca: Issued;
  rsa: Issued;
  ecdsa: Issued;
  /** An Ed25519 key (RFC 8410), signed by the ECDSA CA. */
  ed25519: Issued;
  expired: Issued;
  wrongHost: Issued;
  untrusted: Issued;
  untrustedCa: Issued;
  client: Issued;
  /** CN=localhost and no subjectAltName. */
  cnOnly: Issued;
}

const RSA: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};
const EC: EcKeyGenParams & { hash: string } = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

function pem(label: string, der: Uint8Array): string {
  // 64 characters a line (RFC 7468 §2), with no empty line when the text is a multiple of 64 (OpenSSL refuses one).
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

type KeyKind = 'rsa' | 'ec' | 'ed25519';

async function keys(kind: KeyKind): Promise<CryptoKeyPair> {
  const params = kind === 'rsa' ? RSA : kind === 'ec' ? EC : { name: 'Ed25519' };
  return (await webcrypto.subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function finish(cert: x509.X509Certificate, pair: CryptoKeyPair): Promise<Issued> {
  const certDer = new Uint8Array(cert.rawData);
  const keyDer = new Uint8Array(
    await webcrypto.subtle.exportKey('pkcs8', pair.privateKey as webcrypto.CryptoKey),
  );
  return { certDer, certPem: pem('CERTIFICATE', certDer), keyDer, keyPem: pem('PRIVATE KEY', keyDer) };
}

const DAY = 86_400_000;

async function makeCa(name: string): Promise<{ issued: Issued; pair: CryptoKeyPair; name: string }> {
  const pair = await keys('ec');
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name,
    keys: pair,
    serialNumber: '01',
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    signingAlgorithm: EC,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(pair.publicKey),
    ],
  });
  return { issued: await finish(cert, pair), pair, name };
}

/**
 * Issues a certificate, re-issuing when OpenSSL cannot load the result: about one RSA certificate in five
 * from @peculiar/x509 2.2 fails OpenSSL 3's decoder ("wrong tag"; the structure looks valid in asn1parse, not
 * yet diagnosed). The test PKI must load in OpenSSL, so such certificates are discarded.
 */
async function issue(...args: Parameters<typeof issueOnce>): Promise<Issued> {
  for (let attempt = 0; ; attempt++) {
    const issued = await issueOnce(...args);
    try {
      new X509Certificate(issued.certPem);
      return issued;
    } catch (e) {
      if (attempt >= 9) throw e;
    }
  }
}

async function issueOnce(
  ca: { pair: CryptoKeyPair; name: string },
  subject: string,
  kind: KeyKind,
  options: {
    names?: { type: 'dns' | 'ip'; value: string }[];
    notBefore?: Date;
    notAfter?: Date;
    serial: string;
  } = {
    serial: '10',
  },
): Promise<Issued> {
  const pair = await keys(kind);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: options.serial,
    subject,
    issuer: ca.name,
    notBefore: options.notBefore ?? new Date(Date.now() - DAY),
    notAfter: options.notAfter ?? new Date(Date.now() + 30 * DAY),
    signingAlgorithm: EC,
    publicKey: pair.publicKey,
    signingKey: ca.pair.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false),
      // An empty `names` list means no subjectAltName extension at all (a CN-only certificate).
      ...(options.names?.length === 0
        ? []
        : [
            new x509.SubjectAlternativeNameExtension(
              options.names ?? [
                { type: 'dns', value: 'localhost' },
                { type: 'ip', value: '127.0.0.1' },
              ],
            ),
          ]),
    ],
  });
  return finish(cert, pair);
}

let cached: Promise<TestPki> | undefined;

export function testPki(): Promise<TestPki> {
  cached ??= (async () => {
    const ca = await makeCa('CN=TLS Lab Test CA, O=TLS Lab');
    const other = await makeCa('CN=Untrusted Test CA, O=Elsewhere');
    return {
      ca: ca.issued,
      rsa: await issue(ca, 'CN=localhost, O=TLS Lab RSA', 'rsa', { serial: '11' }),
      ecdsa: await issue(ca, 'CN=localhost, O=TLS Lab ECDSA', 'ec', { serial: '12' }),
      ed25519: await issue(ca, 'CN=localhost, O=TLS Lab Ed25519', 'ed25519', { serial: '18' }),
      expired: await issue(ca, 'CN=localhost, O=TLS Lab expired', 'ec', {
        serial: '13',
        notBefore: new Date(Date.now() - 60 * DAY),
        notAfter: new Date(Date.now() - 30 * DAY),
      }),
      wrongHost: await issue(ca, 'CN=wrong.example, O=TLS Lab wrong host', 'ec', {
        serial: '14',
        names: [{ type: 'dns', value: 'wrong.example' }],
      }),
      untrusted: await issue(other, 'CN=localhost, O=Untrusted', 'ec', { serial: '15' }),
      untrustedCa: other.issued,
      client: await issue(ca, 'CN=tls-lab client', 'ec', {
        serial: '16',
        names: [{ type: 'dns', value: 'client.test' }],
      }),
      cnOnly: await issue(ca, 'CN=localhost, O=TLS Lab CN only', 'ec', { serial: '17', names: [] }),
    };
  })();
  return cached;
}
