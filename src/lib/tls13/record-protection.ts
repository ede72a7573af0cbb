/**
 * TLS 1.3 record protection (RFC 8446 §5.2-§5.3).
 *
 *   struct { opaque content[length]; ContentType type; uint8 zeros[length_of_padding]; } TLSInnerPlaintext;
 *   struct { ContentType opaque_type = application_data (23); ProtocolVersion legacy_record_version = 0x0303;
 *            uint16 length; opaque encrypted_record[TLSCiphertext.length]; } TLSCiphertext;
 *
 *   nonce = write_iv xor (64-bit sequence number, left-padded with zeros to iv_length)
 *   additional_data = opaque_type || legacy_record_version || length   (the record header)
 *   encrypted_record = AEAD-Encrypt(write_key, nonce, additional_data, TLSInnerPlaintext)
 */
import { DecodeError, Reader, Writer } from '../bytes/index.ts';
import type { Decoded } from '../tls12/wire/decoded.ts';
import { decodeRecord, encodeRecord } from '../tls12/wire/record.ts';
import { CryptoError, input, type CryptoProvider, type Derivation } from '../tls12/crypto/index.ts';
import { uint64Bytes } from '../tls12/crypto/bytes-util.ts';
import { ContentType } from '../tls12/wire/code-points.ts';
import type { Tls13Suite } from './suites.ts';

/** RFC 8446 §5.2: TLSInnerPlaintext may be at most 2^14 + 1 bytes; the ciphertext at most 2^14 + 256. */
export const MAX_INNER_PLAINTEXT_LENGTH = 2 ** 14 + 1;
export const MAX_TLS13_CIPHERTEXT_LENGTH = 2 ** 14 + 256;
const LEGACY_RECORD_VERSION = 0x0303;

export interface InnerPlaintext {
  content: Uint8Array;
  contentType: number;
  paddingLength: number;
}

export function encodeInnerPlaintext(m: InnerPlaintext): Uint8Array {
  const w = new Writer();
  w.bytes(m.content);
  w.u8(m.contentType);
  w.bytes(new Uint8Array(m.paddingLength));
  return w.finish();
}

/**
 * Finds the content type: the last non-zero byte (RFC 8446 §5.4); spans `tls_inner_plaintext.content`, `.type`,
 * `.zeros`. All zeros is an error (the peer answers unexpected_message); `base` is the first byte's offset.
 */
export function decodeInnerPlaintext(bytes: Uint8Array, base = 0): Decoded<InnerPlaintext> {
  let end = bytes.length - 1;
  while (end >= 0 && bytes[end] === 0) end--;
  if (end < 0)
    throw new DecodeError(
      'invalid-value',
      'tls_inner_plaintext.type',
      base,
      `no non-zero byte in ${bytes.length} bytes: the content type is missing (RFC 8446 §5.4)`,
    );
  const r = new Reader(bytes, { base });
  const message = r.node('tls_inner_plaintext', () => {
    const content = r.bytes(end, 'tls_inner_plaintext.content');
    const contentType = r.u8('tls_inner_plaintext.type', { show: ContentType.format });
    const paddingLength = r.remaining;
    if (paddingLength > 0) r.rest('tls_inner_plaintext.zeros');
    return { content, contentType, paddingLength };
  });
  return { message, spans: r.spans };
}

/** The per-record nonce (RFC 8446 §5.3). */
export function recordNonce(iv: Uint8Array, sequenceNumber: bigint): Uint8Array {
  const nonce = iv.slice();
  const seq = uint64Bytes(sequenceNumber);
  for (let i = 0; i < 8; i++) nonce[nonce.length - 8 + i]! ^= seq[i]!;
  return nonce;
}

/** The record header that is the AEAD's additional data, for an encrypted_record of `length` bytes. */
export function recordHeader(length: number): Uint8Array {
  return new Writer().u8(ContentType.values.application_data).u16(LEGACY_RECORD_VERSION).u16(length).finish();
}

export interface TrafficKey {
  key: Uint8Array;
  iv: Uint8Array;
}

export interface SealedRecord {
  /** Header + encrypted_record. */
  record: Uint8Array;
  derivations: Derivation[];
}

function aead(provider: CryptoProvider, suite: Tls13Suite, open: boolean) {
  if (suite.cipher === 'CHACHA20_POLY1305')
    return open ? provider.chacha20Poly1305Open : provider.chacha20Poly1305Seal;
  return open ? provider.aesGcmOpen : provider.aesGcmSeal;
}

export async function sealRecord13(
  provider: CryptoProvider,
  suite: Tls13Suite,
  keys: TrafficKey,
  args: { inner: InnerPlaintext; sequenceNumber: bigint },
): Promise<SealedRecord> {
  const plaintext = encodeInnerPlaintext(args.inner);
  if (plaintext.length > MAX_INNER_PLAINTEXT_LENGTH)
    throw new CryptoError(
      'record-overflow',
      `TLSInnerPlaintext of ${plaintext.length} bytes exceeds ${MAX_INNER_PLAINTEXT_LENGTH}`,
    );
  const nonce = recordNonce(keys.iv, args.sequenceNumber);
  const aad = recordHeader(plaintext.length + suite.tagLength);
  const sealed = await aead(provider, suite, false).call(provider, keys.key, nonce, aad, plaintext);
  const seq = input('sequence_number', uint64Bytes(args.sequenceNumber));
  return {
    record: encodeRecord({
      contentType: ContentType.values.application_data,
      version: LEGACY_RECORD_VERSION,
      fragment: sealed,
    }),
    derivations: [
      {
        name: 'nonce',
        value: nonce,
        inputs: [input('write_iv', keys.iv), seq],
        formula: 'write_iv xor pad_left(sequence_number, iv_length)',
        source: 'RFC 8446 §5.3',
      },
      {
        name: 'additional_data',
        value: aad,
        inputs: [],
        formula: 'opaque_type + legacy_record_version + length',
        source: 'RFC 8446 §5.2',
      },
      {
        name: 'encrypted_record',
        value: sealed,
        inputs: [input('write_key', keys.key), input('nonce', nonce), input('TLSInnerPlaintext', plaintext)],
        formula: `AEAD-Encrypt(write_key, nonce, additional_data, TLSInnerPlaintext) (${suite.cipher})`,
        source: 'RFC 8446 §5.2',
      },
    ],
  };
}

/**
 * Opens one whole protected record (header + encrypted_record). A failing tag is CryptoError 'bad-record-mac';
 * a header that is not application_data/0x0303 or a wrong length is a DecodeError with the offset.
 */
export async function openRecord13(
  provider: CryptoProvider,
  suite: Tls13Suite,
  keys: TrafficKey,
  args: { record: Uint8Array; sequenceNumber: bigint },
): Promise<Decoded<InnerPlaintext>> {
  const { record } = args;
  // RFC 8446 §5.2: the header is tls12/wire's, with opaque_type application_data and 2^14 + 256 at most.
  const { fragment, contentType } = decodeRecord(record, {
    maxFragmentLength: MAX_TLS13_CIPHERTEXT_LENGTH,
  }).message;
  if (contentType !== ContentType.values.application_data)
    throw new DecodeError(
      'invalid-value',
      'record.header.content_type',
      0,
      `a protected record is application_data (23), got ${ContentType.format(contentType)} (${contentType})`,
    );
  if (fragment.length < suite.tagLength + 1)
    throw new DecodeError(
      'invalid-value',
      'record.header.length',
      3,
      `${fragment.length} is shorter than the tag and a content type (${suite.tagLength + 1})`,
    );
  const nonce = recordNonce(keys.iv, args.sequenceNumber);
  const plaintext = await aead(provider, suite, true).call(
    provider,
    keys.key,
    nonce,
    record.subarray(0, 5),
    record.subarray(5),
  );
  return decodeInnerPlaintext(plaintext, 5);
}
