/**
 * The few facts the handshake needs from an X.509 certificate: its names (for the CLI's summary) and its
 * public key (to check ServerKeyExchange / CertificateVerify signatures). The certificate is decoded by the
 * project's one X.509 decoder (src/lib/pki/adapter/certificate.ts); the key by the one key layer
 * (src/lib/bytes/keys.ts, through the crypto layer's CryptoError view: crypto/keys.ts publicKeyFromSpki).
 */
import { decodeCertificate } from '../../pki/adapter/certificate.ts';
import type { DistinguishedName } from '../../pki/types.ts';
import { DerError } from '../../bytes/der.ts';
import { CryptoError } from '../crypto/errors.ts';
import { publicKeyFromSpki, type PublicKey } from '../crypto/keys.ts';

export interface CertificateInfo {
  der: Uint8Array;
  /** One line, most significant RDN first as OpenSSL prints it: "CN=localhost, O=Example". */
  subject: string;
  issuer: string;
  publicKey: PublicKey;
}

function oneLine(name: DistinguishedName): string {
  return name.rdns.map((rdn) => rdn.map((a) => `${a.type}=${a.value}`).join(' + ')).join(', ');
}

/** @throws CryptoError('invalid-input') naming the offset when the certificate does not decode. */
export function parseCertificate(der: Uint8Array): CertificateInfo {
  let view;
  try {
    view = decodeCertificate(der);
  } catch (cause) {
    if (cause instanceof DerError)
      throw new CryptoError('invalid-input', `certificate: ${cause.message}`, { cause });
    throw cause;
  }
  return {
    der,
    subject: oneLine(view.subject),
    issuer: oneLine(view.issuer),
    publicKey: publicKeyFromSpki(view.publicKey.spkiDer),
  };
}
