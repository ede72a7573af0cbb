/** RFC 8446 §4.3.1 EncryptedExtensions: `struct { Extension extensions<0..2^16-1>; } EncryptedExtensions;` */
import { type Reader, type Writer } from '../../bytes/index.ts';
import { HandshakeType } from '../../tls12/wire/code-points.ts';
import type { Decoded } from '../../tls12/wire/decoded.ts';
import { decodeHandshakeMessage, encodeHandshakeMessage } from '../../tls12/wire/handshake-header.ts';
import { readExtensions13, writeExtensions13, type Extension13 } from './extensions.ts';

export interface EncryptedExtensions {
  extensions: Extension13[];
}

export function readEncryptedExtensions(r: Reader): EncryptedExtensions {
  return { extensions: readExtensions13(r, 'encrypted_extensions', 'encrypted_extensions') };
}

export function writeEncryptedExtensions(w: Writer, m: EncryptedExtensions): void {
  writeExtensions13(w, m.extensions);
}

export function decodeEncryptedExtensions(bytes: Uint8Array): Decoded<EncryptedExtensions> {
  return decodeHandshakeMessage(
    bytes,
    HandshakeType.values.encrypted_extensions,
    'encrypted_extensions',
    readEncryptedExtensions,
  );
}

export function encodeEncryptedExtensions(m: EncryptedExtensions): Uint8Array {
  return encodeHandshakeMessage(HandshakeType.values.encrypted_extensions, (w) =>
    writeEncryptedExtensions(w, m),
  );
}
