/**
 * RFC 5246 §4.7 digitally-signed, as TLS 1.2 encodes it:
 *
 *   struct { SignatureAndHashAlgorithm algorithm; opaque signature<0..2^16-1>; } DigitallySigned;
 *
 * The algorithm pair {hash, signature} is read as one u16 SignatureScheme (0x0401 = rsa_pkcs1_sha256).
 */
import { type Reader, type Writer } from '../../bytes/index.ts';
import { SignatureScheme } from './code-points.ts';

export interface DigitallySigned {
  signatureScheme: number;
  signature: Uint8Array;
}

/** Reads `${owner}.signature_algorithm` and the `${owner}.signature` vector. */
export function readDigitallySigned(r: Reader, owner: string): DigitallySigned {
  const signatureScheme = r.u16(`${owner}.signature_algorithm`, { show: SignatureScheme.format });
  const signature = r.vec16(`${owner}.signature`);
  return { signatureScheme, signature };
}

export function writeDigitallySigned(w: Writer, d: DigitallySigned): void {
  w.u16(d.signatureScheme);
  w.vec16(d.signature);
}
