/**
 * Property tests in the style of Go's TestMarshalUnmarshal / TestFuzz (crypto/tls handshake_messages_test.go):
 * random well-formed messages round-trip, every strict prefix fails with a typed DecodeError, and random or
 * mutated bytes never raise anything but DecodeError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, normaliseFieldId, walkSpans } from '../../../../src/lib/bytes/index.ts';
import {
  annotateRecord,
  decodeAlert,
  decodeChangeCipherSpec,
  decodeHandshake,
  decodeHandshakes,
  decodeRecord,
  encodeAlert,
  encodeHandshake,
  encodeRecord,
  FIELD_IDS,
  isKnownFieldId,
  type HandshakeDecodeOptions,
} from '../../../../src/lib/tls12/wire/index.ts';
import { alertArb, sampleArb } from './arbitraries.ts';
import { spanProblems } from './span-check.ts';

const NUM_RUNS = 300;

/** Runs `fn`; passes if it returns or throws a DecodeError whose field is a known id and offset is in range. */
function onlyDecodeErrors(input: Uint8Array, fn: () => unknown): DecodeError | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    if (!isKnownFieldId(e.field)) throw new Error(`DecodeError on unlisted field ${e.field}: ${e.message}`);
    if (e.offset < 0 || e.offset > input.length)
      throw new Error(`offset ${e.offset} outside [0, ${input.length}]`);
    return e;
  }
}

const ALL_OPTIONS: HandshakeDecodeOptions[] = [
  {},
  { keyExchange: 'ecdhe' },
  { keyExchange: 'rsa' },
  { keyExchange: 'dhe' },
];

describe('random well-formed handshake messages', () => {
  it('round-trip: encode -> decode -> equal, and re-encode gives the same bytes', () => {
    fc.assert(
      fc.property(sampleArb, ({ message, options }) => {
        const bytes = encodeHandshake(message);
        const decoded = decodeHandshake(bytes, options);
        expect(decoded.message).toEqual(message);
        expect(encodeHandshake(decoded.message)).toEqual(bytes);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('spans tile the message exactly and every id is listed in FIELD_IDS', () => {
    fc.assert(
      fc.property(sampleArb, ({ message, options }) => {
        const bytes = encodeHandshake(message);
        const { spans } = decodeHandshake(bytes, options);
        expect(spanProblems(spans, 0, bytes.length)).toEqual([]);
        walkSpans(spans, (s) => expect(FIELD_IDS).toContain(normaliseFieldId(s.id)));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('every strict prefix fails with a typed DecodeError', () => {
    fc.assert(
      fc.property(sampleArb, ({ message, options }) => {
        const bytes = encodeHandshake(message);
        for (let n = 0; n < bytes.length; n++) {
          const prefix = bytes.subarray(0, n);
          const error = onlyDecodeErrors(prefix, () => decodeHandshake(prefix, options));
          expect(error, `prefix of ${n}/${bytes.length} bytes decoded`).toBeInstanceOf(DecodeError);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('several messages back to back decode in order (decodeHandshakes)', () => {
    fc.assert(
      fc.property(
        fc.array(
          sampleArb.filter((s) => s.options.keyExchange === undefined),
          { minLength: 1, maxLength: 5 },
        ),
        (samples) => {
          const parts = samples.map((s) => encodeHandshake(s.message));
          const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
          let at = 0;
          for (const p of parts) {
            all.set(p, at);
            at += p.length;
          }
          const { message, spans } = decodeHandshakes(all);
          expect(message).toEqual(samples.map((s) => s.message));
          expect(spanProblems(spans, 0, all.length)).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('records and record contents', () => {
  it('records round-trip and every strict prefix is truncated', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        (contentType, version, fragment) => {
          const bytes = encodeRecord({ contentType, version, fragment });
          expect(decodeRecord(bytes).message).toEqual({ contentType, version, fragment });
          for (let n = 0; n < bytes.length; n++) {
            const e = onlyDecodeErrors(bytes, () => decodeRecord(bytes.subarray(0, n)));
            expect(e?.kind).toBe('truncated');
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('alerts round-trip; a short or long alert is an error', () => {
    fc.assert(
      fc.property(alertArb, (alert) => {
        const bytes = encodeAlert(alert);
        expect(decodeAlert(bytes).message).toEqual(alert);
        expect(onlyDecodeErrors(bytes, () => decodeAlert(bytes.subarray(0, 1)))?.kind).toBe('truncated');
        expect(onlyDecodeErrors(bytes, () => decodeAlert(new Uint8Array([...bytes, 0])))?.kind).toBe(
          'trailing-data',
        );
      }),
    );
  });
});

describe('hostile input', () => {
  const decoders: [string, (b: Uint8Array) => unknown][] = [
    ...ALL_OPTIONS.map((o): [string, (b: Uint8Array) => unknown] => [
      `decodeHandshake ${JSON.stringify(o)}`,
      (b) => decodeHandshake(b, o),
    ]),
    ['decodeHandshakes', (b) => decodeHandshakes(b, { keyExchange: 'ecdhe' })],
    ['decodeRecord', (b) => decodeRecord(b)],
    ['annotateRecord', (b) => annotateRecord(b, { keyExchange: 'ecdhe' })],
    ['decodeAlert', (b) => decodeAlert(b)],
    ['decodeChangeCipherSpec', (b) => decodeChangeCipherSpec(b)],
  ];

  it.each(decoders)('%s: random bytes raise nothing but DecodeError', (_name, decode) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        onlyDecodeErrors(bytes, () => decode(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('random bytes behind a plausible handshake header raise nothing but DecodeError', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 24 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(...ALL_OPTIONS),
        (type, body, options) => {
          const bytes = new Uint8Array([type, 0, body.length >> 8, body.length & 0xff, ...body]);
          onlyDecodeErrors(bytes, () => decodeHandshake(bytes, options));
          const record = new Uint8Array([22, 3, 3, bytes.length >> 8, bytes.length & 0xff, ...bytes]);
          onlyDecodeErrors(record, () => annotateRecord(record, options));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('mutated valid messages (flip, insert, delete bytes) raise nothing but DecodeError', () => {
    const mutation = fc.record({
      op: fc.constantFrom('flip', 'insert', 'delete', 'set-length'),
      at: fc.nat(),
      value: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(
      fc.property(
        sampleArb,
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        ({ message, options }, mutations) => {
          const bytes = [...encodeHandshake(message)];
          for (const m of mutations) {
            const at = m.at % (bytes.length + 1);
            if (m.op === 'flip' && at < bytes.length) bytes[at] = bytes[at]! ^ (m.value || 1);
            if (m.op === 'insert') bytes.splice(at, 0, m.value);
            if (m.op === 'delete' && at < bytes.length) bytes.splice(at, 1);
            if (m.op === 'set-length' && at < bytes.length) bytes[at] = m.value;
          }
          const mutated = new Uint8Array(bytes);
          onlyDecodeErrors(mutated, () => decodeHandshake(mutated, options));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
