/** Record splitting and handshake reassembly (RFC 5246 §6.2.1 fragmentation and coalescing). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, DecodeError, toHex } from '../../../../src/lib/bytes/index.ts';
import {
  encodeHandshake,
  encodeRecord,
  fragmentIntoRecords,
  HandshakeReassembler,
  MAX_CIPHERTEXT_LENGTH,
  MAX_PLAINTEXT_LENGTH,
  RecordSplitter,
} from '../../../../src/lib/tls12/wire/index.ts';
import { sampleArb } from './arbitraries.ts';
import { cap, fragmentOf } from './fixtures.ts';

const FLIGHT = [
  'clienthello',
  'serverhello',
  'servercert',
  'serverkeyexchange',
  'serverhellodone',
  'clientkeyexchange',
  'clientccs',
  'serverccs',
  'clientfinished',
  'serverfinished',
  'clientdata',
  'serverdata',
  'clientalert',
];

function catchDecodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected a DecodeError');
}

/** Cuts `bytes` at the given positions (sorted, deduplicated, clamped). */
function cut(bytes: Uint8Array, positions: number[]): Uint8Array[] {
  const points = [...new Set(positions.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(at, p));
    at = p;
  }
  chunks.push(bytes.subarray(at));
  return chunks;
}

describe('RecordSplitter', () => {
  const stream = concatBytes(...FLIGHT.map(cap));

  it('splits the whole Illustrated TLS 1.2 conversation fed in arbitrary chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (positions) => {
        const splitter = new RecordSplitter();
        const out = cut(stream, positions).flatMap((chunk) => splitter.push(chunk));
        splitter.end();
        expect(out.map((r) => toHex(r.bytes))).toEqual(FLIGHT.map((n) => toHex(cap(n))));
        let offset = 0;
        for (const [i, r] of out.entries()) {
          expect(r.offset).toBe(offset);
          expect(r.record.fragment).toEqual(cap(FLIGHT[i]!).subarray(5));
          offset += r.bytes.length;
        }
        expect(splitter.pending).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('holds a partial record until the rest arrives, and end() reports it as truncated', () => {
    const splitter = new RecordSplitter();
    const hello = cap('clienthello');
    expect(splitter.push(hello.subarray(0, 3))).toEqual([]);
    expect(splitter.push(hello.subarray(3, 100))).toEqual([]);
    expect(splitter.pending).toBe(100);
    const e = catchDecodeError(() => splitter.end());
    expect(e.kind).toBe('truncated');
    expect(splitter.push(hello.subarray(100))).toHaveLength(1);
    expect(() => splitter.end()).not.toThrow();
  });

  it('rejects a record longer than 2^14 + 2048 as record_overflow at its stream offset', () => {
    const splitter = new RecordSplitter();
    splitter.push(cap('serverhellodone'));
    const e = catchDecodeError(() => splitter.push(new Uint8Array([23, 3, 3, 0x48, 0x01])));
    expect(e.kind).toBe('invalid-value');
    expect(e.message).toBe(
      `Record.header.length: length 18433 exceeds the maximum ${MAX_CIPHERTEXT_LENGTH} (record_overflow) (offset 12)`,
    );
    expect(() => splitter.push(new Uint8Array(1))).toThrow(/already failed/);
  });

  it('applies a plaintext limit of 2^14 when asked, and rejects empty handshake records', () => {
    const plain = new RecordSplitter({ maxFragmentLength: MAX_PLAINTEXT_LENGTH });
    expect(catchDecodeError(() => plain.push(new Uint8Array([22, 3, 3, 0x40, 0x01]))).reason).toMatch(
      /16385 exceeds the maximum 16384/,
    );
    const empty = catchDecodeError(() => new RecordSplitter().push(new Uint8Array([22, 3, 3, 0, 0])));
    expect(empty.reason).toBe('a handshake record must not be empty');
    expect(new RecordSplitter().push(new Uint8Array([23, 3, 3, 0, 0]))).toHaveLength(1);
  });
});

describe('HandshakeReassembler', () => {
  const SERVER_FLIGHT = ['serverhello', 'servercert', 'serverkeyexchange', 'serverhellodone'];
  const messages = SERVER_FLIGHT.map(fragmentOf);
  const flight = concatBytes(...messages);

  it('yields several messages coalesced in one record', () => {
    const out = new HandshakeReassembler().push(flight);
    expect(out.map((m) => m.msgType)).toEqual([2, 11, 12, 14]);
    expect(out.map((m) => toHex(m.bytes))).toEqual(messages.map((m) => toHex(m)));
  });

  it('joins a message split across records and reports where each piece came from', () => {
    const records = fragmentIntoRecords(22, 0x0303, flight, 100);
    expect(records.length).toBe(Math.ceil(flight.length / 100));
    const reassembler = new HandshakeReassembler();
    const stream = records.map(encodeRecord);
    let streamOffset = 0;
    const out = records.flatMap((r, i) => {
      const got = reassembler.push(r.fragment, streamOffset + 5);
      streamOffset += stream[i]!.length;
      return got;
    });
    reassembler.end();
    expect(out.map((m) => toHex(m.bytes))).toEqual(messages.map((m) => toHex(m)));
    // The Certificate (815 bytes) follows the 49-byte ServerHello in record 0 and spans 9 records.
    const certificate = out[1]!;
    expect(messages[0]!.length).toBe(49);
    expect(certificate.pieces[0]).toEqual({ offset: 5 + 49, length: 100 - 49 });
    expect(certificate.pieces).toHaveLength(9);
    expect(certificate.pieces.reduce((n, p) => n + p.length, 0)).toBe(messages[1]!.length);
    // Every piece points at the message's bytes in the record stream.
    const wire = concatBytes(...stream);
    const rebuilt = concatBytes(
      ...certificate.pieces.map((p) => wire.subarray(p.offset, p.offset + p.length)),
    );
    expect(toHex(rebuilt)).toBe(toHex(messages[1]!));
  });

  it('reassembles random messages under random fragmentation', () => {
    fc.assert(
      fc.property(
        fc.array(sampleArb, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (samples, positions) => {
          const encoded = samples.map((s) => encodeHandshake(s.message));
          const reassembler = new HandshakeReassembler();
          const out = cut(concatBytes(...encoded), positions).flatMap((chunk) => reassembler.push(chunk));
          expect(out.map((m) => toHex(m.bytes))).toEqual(encoded.map((e) => toHex(e)));
          expect(reassembler.hasPartial).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reports a partial message at end of stream and refuses messages above the limit', () => {
    const r = new HandshakeReassembler();
    expect(r.push(messages[1]!.subarray(0, 10))).toEqual([]);
    expect(r.hasPartial).toBe(true);
    expect(catchDecodeError(() => r.end()).kind).toBe('truncated');
    const limited = new HandshakeReassembler({ maxMessageLength: 100 });
    const e = catchDecodeError(() => limited.push(messages[1]!));
    expect(e.message).toBe('Handshake.header.length: message length 811 exceeds the limit 100 (offset 1)');
  });
});
