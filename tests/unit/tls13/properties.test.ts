/**
 * Property tests for the TLS 1.3 codecs and record protection, in the style of Go's TestMarshalUnmarshal /
 * TestFuzz: random well-formed messages (HelloRetryRequest, cookie, CertificateRequest, KeyUpdate included)
 * round-trip with spans over every byte; every strict prefix, every mutation and random bytes give a
 * DecodeError with an offset inside the input, never another exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, walkSpans, Writer } from '../../../src/lib/bytes/index.ts';
import { createCryptoProvider, isCryptoError } from '../../../src/lib/tls12/crypto/index.ts';
import { FIELD_IDS } from '../../../src/lib/tls12/wire/field-ids.ts';
import {
  decodeInnerPlaintext,
  openRecord13,
  sealRecord13,
} from '../../../src/lib/tls13/record-protection.ts';
import { TLS13_SUITES } from '../../../src/lib/tls13/suites.ts';
import {
  decodeHandshake13,
  encodeHandshake13,
  FIELD_IDS_13,
  HELLO_RETRY_REQUEST_RANDOM,
  writeExtensions13,
  type Extension13,
  type Handshake13,
} from '../../../src/lib/tls13/wire/index.ts';
import { extensionArb } from '../tls12/wire/arbitraries.ts';
import { spanProblems } from '../tls12/wire/span-check.ts';

const KNOWN = new Set([...FIELD_IDS, ...FIELD_IDS_13]);
const TLS13_TYPES = new Set([43, 44, 45, 51]);
const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.nat({ max: 0xffffffff });
const bytes = (minLength: number, maxLength: number) => fc.uint8Array({ minLength, maxLength });

const shared = extensionArb.filter((e) => !(e.kind === 'unknown' && TLS13_TYPES.has(e.type)));
const entry = fc.record({ group: u16, keyExchange: bytes(1, 40) });
const cookie = fc.record({ kind: fc.constant('cookie' as const), cookie: bytes(1, 20) });
const modes = fc.record({
  kind: fc.constant('psk_key_exchange_modes' as const),
  modes: fc.array(u8, { minLength: 1, maxLength: 4 }),
});
const selectedVersion = fc.record({ kind: fc.constant('supported_versions' as const), selectedVersion: u16 });
const serverShare = fc.record({ kind: fc.constant('key_share' as const), serverShare: entry });

/** One extension of each type per block (RFC 8446 §4.2). */
const typeOf = (e: Extension13): string => (e.kind === 'unknown' ? `unknown ${e.type}` : e.kind);

const block = (arb: fc.Arbitrary<Extension13>, minLength = 0) =>
  fc.uniqueArray(arb, { selector: typeOf, minLength, maxLength: 6 });

const clientExtensions = block(
  fc.oneof(
    shared,
    cookie,
    modes,
    fc.record({
      kind: fc.constant('supported_versions' as const),
      versions: fc.array(u16, { minLength: 1, maxLength: 4 }),
    }),
    fc.record({ kind: fc.constant('key_share' as const), clientShares: fc.array(entry, { maxLength: 3 }) }),
  ),
  2,
);
const hrrExtensions = block(
  fc.oneof(
    shared,
    cookie,
    selectedVersion,
    fc.record({ kind: fc.constant('key_share' as const), selectedGroup: u16 }),
  ),
  1,
);
const otherExtensions = (min = 0) =>
  block(fc.oneof(shared, cookie, modes, selectedVersion, serverShare), min);

/** The encoded size of an extension block, without its own length prefix. */
const blockSize = (extensions: readonly Extension13[]): number => {
  const w = new Writer();
  writeExtensions13(w, extensions);
  return w.finish().length - 2;
};
/** RFC 8446 §4.1.3: a ServerHello's (and HelloRetryRequest's) `Extension extensions<6..2^16-1>`. */
const atLeastSix = (extensions: readonly Extension13[]): boolean => blockSize(extensions) >= 6;

const hello = {
  legacyVersion: u16,
  legacySessionId: bytes(0, 32),
};

const handshake13Arb: fc.Arbitrary<Handshake13> = fc.oneof(
  fc
    .record({
      legacyVersion: u16,
      random: bytes(32, 32),
      legacySessionId: hello.legacySessionId,
      cipherSuites: fc.array(u16, { minLength: 1, maxLength: 5 }),
      legacyCompressionMethods: fc.array(u8, { minLength: 1, maxLength: 2 }),
      extensions: clientExtensions,
    })
    .map((message): Handshake13 => ({ type: 'client_hello', message })),
  fc
    .tuple(
      fc.boolean(),
      bytes(32, 32),
      u16,
      bytes(0, 32),
      u16,
      u8,
      otherExtensions(1).filter(atLeastSix),
      hrrExtensions.filter(atLeastSix),
    )
    .map(
      ([
        hrr,
        random,
        legacyVersion,
        legacySessionIdEcho,
        cipherSuite,
        legacyCompressionMethod,
        sh,
        h,
      ]): Handshake13 => ({
        type: 'server_hello',
        message: {
          legacyVersion,
          random: hrr ? HELLO_RETRY_REQUEST_RANDOM : random,
          legacySessionIdEcho,
          cipherSuite,
          legacyCompressionMethod,
          extensions: hrr ? h : sh,
        },
      }),
    ),
  otherExtensions().map((extensions): Handshake13 => ({
    type: 'encrypted_extensions',
    message: { extensions },
  })),
  fc
    .record({ certificateRequestContext: bytes(0, 8), extensions: otherExtensions(1) })
    .map((message): Handshake13 => ({ type: 'certificate_request', message })),
  fc
    .record({
      certificateRequestContext: bytes(0, 8),
      certificateList: fc.array(fc.record({ certData: bytes(1, 60), extensions: otherExtensions() }), {
        maxLength: 3,
      }),
    })
    .map((message): Handshake13 => ({ type: 'certificate', message })),
  fc
    .record({ signatureScheme: u16, signature: bytes(0, 80) })
    .map((message): Handshake13 => ({ type: 'certificate_verify', message })),
  fc
    .oneof(bytes(32, 32), bytes(48, 48))
    .map((verifyData): Handshake13 => ({ type: 'finished', message: { verifyData } })),
  fc
    .record({
      ticketLifetime: u32,
      ticketAgeAdd: u32,
      ticketNonce: bytes(0, 8),
      ticket: bytes(1, 60),
      extensions: otherExtensions(),
    })
    .map((message): Handshake13 => ({ type: 'new_session_ticket', message })),
  fc
    .integer({ min: 0, max: 1 })
    .map((requestUpdate): Handshake13 => ({ type: 'key_update', message: { requestUpdate } })),
);

/** Passes if `fn` returns or throws a DecodeError on a known field with an offset inside the input. */
function onlyDecodeErrors(input: Uint8Array, fn: () => unknown): DecodeError | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    if (!KNOWN.has(e.field.replace(/\[\d+\]/g, '[]')))
      throw new Error(`unlisted field ${e.field}: ${e.message}`);
    if (e.offset < 0 || e.offset > input.length)
      throw new Error(`offset ${e.offset} outside [0, ${input.length}]`);
    return e;
  }
}

describe('TLS 1.3 handshake messages', () => {
  it('round-trip, with spans covering every byte under known field ids', () => {
    fc.assert(
      fc.property(handshake13Arb, (m) => {
        const encoded = encodeHandshake13(m);
        const { message, spans } = decodeHandshake13(encoded);
        expect(message).toEqual(m);
        expect(encodeHandshake13(message)).toEqual(encoded);
        expect(spanProblems(spans, 0, encoded.length)).toEqual([]);
        walkSpans(spans, (s) => expect(KNOWN.has(s.id.replace(/\[\d+\]/g, '[]')), s.id).toBe(true));
      }),
      { numRuns: 300 },
    );
  });

  it('every strict prefix is a DecodeError', () => {
    fc.assert(
      fc.property(handshake13Arb, (m) => {
        const encoded = encodeHandshake13(m);
        for (let n = 0; n < encoded.length; n++) {
          const prefix = encoded.subarray(0, n);
          expect(onlyDecodeErrors(prefix, () => decodeHandshake13(prefix))).toBeInstanceOf(DecodeError);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('mutated messages decode or fail with a DecodeError, never anything else', () => {
    fc.assert(
      fc.property(
        handshake13Arb,
        fc.array(fc.tuple(fc.nat(), u8), { minLength: 1, maxLength: 4 }),
        (m, edits) => {
          const mutated = encodeHandshake13(m).slice();
          for (const [at, value] of edits) mutated[at % mutated.length] = value;
          onlyDecodeErrors(mutated, () => decodeHandshake13(mutated));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('random bytes fail with a DecodeError, never anything else', () => {
    fc.assert(
      fc.property(bytes(0, 80), (b) => void onlyDecodeErrors(b, () => decodeHandshake13(b))),
      { numRuns: 500 },
    );
  });
});

describe('TLS 1.3 record protection', () => {
  const provider = createCryptoProvider();

  it('seal then open gives back the content, type and padding, for every suite', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TLS13_SUITES),
        bytes(32, 32),
        bytes(12, 12),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.record({
          content: bytes(0, 64),
          contentType: fc.integer({ min: 1, max: 255 }),
          paddingLength: fc.nat(16),
        }),
        async (suite, key, iv, sequenceNumber, inner) => {
          const keys = { key: key.subarray(0, suite.keyLength), iv };
          const { record } = await sealRecord13(provider, suite, keys, { inner, sequenceNumber });
          const opened = await openRecord13(provider, suite, keys, { record, sequenceNumber });
          expect(opened.message).toEqual(inner);
          const tampered = record.slice();
          tampered[tampered.length - 1]! ^= 1;
          await expect(
            openRecord13(provider, suite, keys, { record: tampered, sequenceNumber }),
          ).rejects.toSatisfy((e: unknown) => isCryptoError(e, 'bad-record-mac'));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('random or truncated records fail as a DecodeError or bad_record_mac, never anything else', async () => {
    const suite = TLS13_SUITES[0]!;
    const keys = { key: new Uint8Array(16), iv: new Uint8Array(12) };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          bytes(0, 40),
          bytes(0, 40).map((b) => Uint8Array.of(23, 3, 3, 0, b.length, ...b)),
        ),
        async (record) => {
          try {
            await openRecord13(provider, suite, keys, { record, sequenceNumber: 0n });
          } catch (e) {
            if (isCryptoError(e, 'bad-record-mac')) return;
            onlyDecodeErrors(record, () => {
              throw e;
            });
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a TLSInnerPlaintext of zeros only is a DecodeError at its first byte', () => {
    fc.assert(
      fc.property(fc.nat(20), fc.nat(100), (n, base) => {
        const e = onlyDecodeErrors(new Uint8Array(n + base + 1), () =>
          decodeInnerPlaintext(new Uint8Array(n), base),
        );
        expect(e?.offset).toBe(base);
      }),
    );
  });
});
