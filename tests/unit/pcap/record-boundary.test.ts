/**
 * recordBoundary: where the first whole TLS record starts in a stream whose capture began inside a record.
 * Records here are built by the one record codec (encodeRecord); the tails are random bytes, as ciphertext is.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../../../src/lib/tls12/wire/record.ts';
import { recordBoundary, recordChain } from '../../../src/lib/tls12/wire/record-boundary.ts';
import { concatBytes } from '../../../src/lib/bytes/index.ts';

const record = (length: number, contentType = 23) =>
  encodeRecord({ contentType, version: 0x0303, fragment: new Uint8Array(length).fill(0xaa) });

describe('recordBoundary', () => {
  it('is 0 for a stream that begins with records', () => {
    expect(recordBoundary(concatBytes(record(100), record(20)), false)).toEqual({ at: 0 });
  });

  it('skips the end of a record the capture began inside (a property over random tails and record sizes)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 3000 }),
        fc.array(fc.integer({ min: 1, max: 16401 }), { minLength: 2, maxLength: 4 }),
        (tail, sizes) => {
          // A tail that happens to begin with a plausible header chain would be read as records: a 1e-13 event,
          // which fast-check's shrinking would show; the first byte is kept out of 20..23 to say what is tested.
          if (tail[0]! >= 20 && tail[0]! <= 23) tail[0] = 0;
          const stream = concatBytes(tail, ...sizes.map((n) => record(n)));
          const found = recordBoundary(stream, false);
          return found !== undefined && 'at' in found && found.at === tail.length;
        },
      ),
    );
    const tail = new Uint8Array(7718).map((_, i) => (i * 131 + 7) & 0xff);
    expect(recordBoundary(concatBytes(tail, record(18), record(16401)), false)).toEqual({ at: 7718 });
  });

  it('waits while more bytes could still decide, and decides at the stream end', () => {
    const tail = new Uint8Array(50).fill(0x99);
    const one = concatBytes(tail, record(30));
    expect(recordBoundary(one, false)).toEqual({ waitFrom: 50 });
    expect(recordBoundary(one, true)).toEqual({ at: 50 });
    // One header whose record is cut short by the stream's end is no boundary.
    expect(recordBoundary(one.subarray(0, one.length - 1), true)).toBeUndefined();
    // One whole record, then the start of a header cut short by the end: a boundary; a start no header has: none.
    expect(recordBoundary(concatBytes(one, Uint8Array.of(23, 3)), true)).toEqual({ at: 50 });
    expect(recordBoundary(concatBytes(one, Uint8Array.of(99, 3)), true)).toBeUndefined();
    // Resumes from where it left off.
    expect(recordBoundary(concatBytes(one, record(5)), false, 50)).toEqual({ at: 50 });
  });

  it('finds none in bytes that are not TLS, and gives up after one record length', () => {
    const text = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: example.test\r\n\r\n'.repeat(600));
    expect(recordBoundary(text, true)).toBeUndefined();
    expect(recordBoundary(text, false)).toBeUndefined(); // longer than a record: nothing more can change it
    const startup = Uint8Array.of(0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f);
    expect(recordBoundary(startup, true)).toBeUndefined();
  });

  it('recordChain refuses a header with a type, version or length no peer sends', () => {
    expect(recordChain(Uint8Array.of(24, 3, 3, 0, 1, 0))).toBeUndefined(); // heartbeat
    expect(recordChain(Uint8Array.of(23, 3, 5, 0, 1, 0))).toBeUndefined(); // version 3.5
    expect(recordChain(Uint8Array.of(23, 3, 3, 0, 0))).toBeUndefined(); // empty
    expect(recordChain(Uint8Array.of(23, 3, 3, 0x48, 0x01))).toBeUndefined(); // 2^14 + 2049
    expect(recordChain(Uint8Array.of(23, 3, 3, 0x48, 0x00))).toEqual({ headers: 1, end: 5 + 0x4800 });
  });
});
