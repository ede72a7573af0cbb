/**
 * What a downgrading middlebox does to a ClientHello record (the attack RFC 8446 §4.1.3 defends against), through
 * the one codec: the supported_versions extension is renamed to a type the server ignores (a GREASE value, RFC
 * 8701), so a 1.3-capable server reads a 1.2 ClientHello. Pure: the lab's on-path rewrite, and the oracle's
 * against real psql.
 */
import { build } from '../../bytes/index.ts';
import { ContentType, HandshakeType } from '../../tls12/wire/code-points.ts';
import { decodeRecord, encodeRecord, type TlsRecord } from '../../tls12/wire/record.ts';
import { decodeClientHello13, encodeClientHello13, type ClientHello13 } from '../wire/client-hello.ts';
import { writeExtension13, type Extension13 } from '../wire/extensions.ts';

/** An extension type no one implements, which every peer must ignore. */
const IGNORED_EXTENSION = 0xfafa;

/** The record with supported_versions renamed; anything but one whole ClientHello record passes unchanged. */
export function hideSupportedVersions(record: Uint8Array): Uint8Array {
  let parsed: { record: TlsRecord; hello: ClientHello13 };
  try {
    const { message } = decodeRecord(record);
    if (
      message.contentType !== ContentType.values.handshake ||
      message.fragment[0] !== HandshakeType.values.client_hello
    )
      return record;
    parsed = { record: message, hello: decodeClientHello13(message.fragment).message };
  } catch {
    return record;
  }
  const { hello } = parsed;
  if (!hello.extensions.some((e) => e.kind === 'supported_versions')) return record;
  const extensions = hello.extensions.map((e): Extension13 =>
    e.kind === 'supported_versions'
      ? // the same body under another type (writeExtension13 writes type and length first, 2 bytes each)
        { kind: 'unknown', type: IGNORED_EXTENSION, data: build((w) => writeExtension13(w, e)).subarray(4) }
      : e,
  );
  return encodeRecord({ ...parsed.record, fragment: encodeClientHello13({ ...hello, extensions }) });
}
