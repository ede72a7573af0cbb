import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ByteQueue,
  concatBytes,
  DecodeError,
  fromHex,
  leafSpans,
  Reader,
  toHex,
  Writer,
} from '../../../src/lib/bytes/index.ts';

function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw new Error(`expected a DecodeError, got ${String(e)}`);
  }
  throw new Error('expected a DecodeError, nothing was thrown');
}

describe('hex', () => {
  it('round-trips and accepts either case', () => {
    expect(toHex(fromHex('00ff10AB'))).toBe('00ff10ab');
    expect(toHex(fromHex('16 03 01', { allowWhitespace: true }), ' ')).toBe('16 03 01');
  });

  it('rejects odd length and non-hex characters with their position', () => {
    expect(() => fromHex('abc')).toThrow(/even number of hex digits, got 3/);
    expect(() => fromHex('0g')).toThrow(/invalid hex character "g" at index 1/);
    expect(() => fromHex('0 11')).toThrow(/invalid hex character " " at index 1/);
  });
});

describe('Reader', () => {
  it('reads big-endian integers and records a span per field with absolute offsets', () => {
    const r = new Reader(fromHex('01 0203 040506 0708090a'.replace(/ /g, '')), { base: 10 });
    expect([r.u8('a'), r.u16('b'), r.u24('c'), r.u32('d')]).toEqual([1, 0x0203, 0x040506, 0x0708090a]);
    expect(r.spans.map((s) => [s.id, s.start, s.end])).toEqual([
      ['a', 10, 11],
      ['b', 11, 13],
      ['c', 13, 16],
      ['d', 16, 20],
    ]);
  });

  it('reports a truncated top-level read with field, offset and sizes', () => {
    const e = decodeError(() => {
      const r = new Reader(fromHex('0102'));
      r.u8('client_hello.x');
      r.u16('client_hello.cipher_suites.length');
    });
    expect(e.kind).toBe('truncated');
    expect(e.offset).toBe(1);
    expect(e.message).toBe('ClientHello.cipher_suites.length: needs 2 bytes, only 1 left (offset 1)');
  });

  it('reports an odd u16 list length as in the RFC example', () => {
    const bytes = new Uint8Array(50);
    bytes[41] = 0;
    bytes[42] = 7;
    const r = new Reader(bytes);
    r.bytes(41, 'before');
    const e = decodeError(() =>
      r.list(16, 'client_hello.cipher_suites', (s, id) => s.u16(id), { elementSize: 2 }),
    );
    expect(e.message).toBe('ClientHello.cipher_suites.length: length 7 is odd (offset 41)');
    expect(e.kind).toBe('invalid-value');
  });

  it('reports an inner length overrunning its enclosing length as length-mismatch', () => {
    // outer vec16 of 3 bytes holding an inner vec8 that claims 5
    const r = new Reader(fromHex('0003' + '05aabb'));
    const e = decodeError(() => r.lengthPrefixed(16, 'outer', (sub) => sub.vec8('outer.inner')));
    expect(e.kind).toBe('length-mismatch');
    expect(e.message).toBe('Outer.inner: needs 5 bytes but only 2 remain inside outer (offset 3)');
  });

  it('reports bytes left inside a length as length-mismatch and at top level as trailing-data', () => {
    const inner = decodeError(() =>
      new Reader(fromHex('0002aabb')).lengthPrefixed(16, 'x', (sub) => sub.u8('x.a')),
    );
    expect(inner.kind).toBe('length-mismatch');
    const r = new Reader(fromHex('aabb'));
    r.u8('a');
    const top = decodeError(() => r.expectEnd('msg'));
    expect(top.kind).toBe('trailing-data');
    expect(top.message).toBe('Msg: 1 unexpected byte after the end (offset 1)');
  });

  it('enforces vector minimum and maximum lengths', () => {
    expect(decodeError(() => new Reader(fromHex('00')).vec8('v', { min: 1 })).reason).toBe(
      'length 0 is below the minimum 1',
    );
    expect(decodeError(() => new Reader(fromHex('21' + '00'.repeat(33))).vec8('v', { max: 32 })).reason).toBe(
      'length 33 exceeds the maximum 32',
    );
  });

  it('nests spans: list node > length leaf + item leaves, empty fields leave no span', () => {
    const r = new Reader(fromHex('0004c02fc030' + '00'));
    r.list(16, 'l', (s, id) => s.u16(id), { elementSize: 2 });
    r.vec8('empty');
    expect(r.spans).toEqual([
      {
        id: 'l',
        start: 0,
        end: 6,
        children: [
          { id: 'l.length', start: 0, end: 2, value: 4 },
          { id: 'l[0]', start: 2, end: 4, value: 0xc02f },
          { id: 'l[1]', start: 4, end: 6, value: 0xc030 },
        ],
      },
      { id: 'empty', start: 6, end: 7, children: [{ id: 'empty.length', start: 6, end: 7, value: 0 }] },
    ]);
    expect(leafSpans(r.spans).map((s) => s.id)).toEqual(['l.length', 'l[0]', 'l[1]', 'empty.length']);
  });
});

describe('Writer', () => {
  it('nests length prefixes like cryptobyte builders', () => {
    const w = new Writer(1);
    w.u8(1).lengthPrefixed(24, (body) => {
      body.u16(0x0303);
      body.lengthPrefixed(16, (list) => list.u16(0xc02f).u16(0xc030));
      body.vec8(new Uint8Array([9]));
    });
    expect(toHex(w.finish())).toBe('01' + '00000a' + '0303' + '0004c02fc030' + '0109');
  });

  it('refuses values that do not fit', () => {
    expect(() => new Writer().u8(256)).toThrow(RangeError);
    expect(() => new Writer().u16(-1)).toThrow(/\[0, 65535\], got -1/);
    expect(() => new Writer().vec8(new Uint8Array(256))).toThrow(/256 bytes exceeds 255/);
    const w = new Writer().u8(7);
    expect(() => w.lengthPrefixed(8, (child) => child.bytes(new Uint8Array(300)))).toThrow(
      /300 bytes exceeds 255/,
    );
    expect(toHex(w.u8(8).finish())).toBe('0708');
  });

  it('keeps every value written when a write makes the buffer grow', () => {
    const w = new Writer(16);
    const values = Array.from({ length: 300 }, (_, i) => (i * 0x0101 + 7) & 0xffff);
    w.lengthPrefixed(16, (list) => {
      for (const v of values) list.u16(v);
      list.u24(0xabcdef).u32(0x01020304).u8(9);
    });
    const expected =
      values.map((v) => v.toString(16).padStart(4, '0')).join('') + 'abcdef' + '01020304' + '09';
    expect(toHex(w.finish())).toBe((expected.length / 2).toString(16).padStart(4, '0') + expected);
  });

  it('writes what a plain byte list would hold, for any nesting and any starting capacity (fast-check)', () => {
    type Op =
      | { kind: 'u8' | 'u16' | 'u24' | 'u32'; value: number }
      | { kind: 'bytes'; data: Uint8Array }
      | { kind: 'nested'; bits: 8 | 16 | 24; ops: Op[] };
    const leaf: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('u8' as const), value: fc.integer({ min: 0, max: 0xff }) }),
      fc.record({ kind: fc.constant('u16' as const), value: fc.integer({ min: 0, max: 0xffff }) }),
      fc.record({ kind: fc.constant('u24' as const), value: fc.integer({ min: 0, max: 0xffffff }) }),
      fc.record({ kind: fc.constant('u32' as const), value: fc.integer({ min: 0, max: 0xffffffff }) }),
      fc.record({ kind: fc.constant('bytes' as const), data: fc.uint8Array({ maxLength: 40 }) }),
    );
    const { op } = fc.letrec<{ op: Op }>((tie) => ({
      op: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.record({
          kind: fc.constant('nested' as const),
          bits: fc.constantFrom(16 as const, 24 as const),
          ops: fc.array(tie('op'), { maxLength: 8 }),
        }),
      ),
    }));
    const write = (w: Writer, ops: Op[]): void => {
      for (const o of ops) {
        if (o.kind === 'nested') w.lengthPrefixed(o.bits, (child) => write(child, o.ops));
        else if (o.kind === 'bytes') w.bytes(o.data);
        else w[o.kind](o.value);
      }
    };
    const SIZE = { u8: 1, u16: 2, u24: 3, u32: 4 } as const;
    const bigEndian = (value: number, n: number) =>
      Array.from({ length: n }, (_, i) => Math.floor(value / 256 ** (n - 1 - i)) % 256);
    const plain = (ops: Op[]): number[] =>
      ops.flatMap((o) => {
        if (o.kind === 'bytes') return [...o.data];
        if (o.kind === 'nested') {
          const body = plain(o.ops);
          return [...bigEndian(body.length, o.bits / 8), ...body];
        }
        return bigEndian(o.value, SIZE[o.kind]);
      });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), fc.integer({ min: 1, max: 64 }), (ops, capacity) => {
        const w = new Writer(capacity);
        write(w, ops);
        expect([...w.finish()]).toEqual(plain(ops));
      }),
    );
  });

  it('gives a child its own length and bytes while it shares the parent buffer', () => {
    const w = new Writer(16).u16(0xffff);
    let seen: [number, string] = [0, ''];
    w.lengthPrefixed(16, (child) => {
      child.bytes(new Uint8Array(40).fill(0xab)).u8(1);
      seen = [child.length, toHex(child.finish()).slice(-4)];
    });
    expect(seen).toEqual([41, 'ab01']);
    expect(w.length).toBe(2 + 2 + 41);
    expect(toHex(w.finish()).slice(0, 10)).toBe('ffff0029ab');
  });

  it('refuses writes that would land in the wrong place', () => {
    const w = new Writer();
    expect(() => w.lengthPrefixed(8, () => w.u8(1))).toThrow(/while a length-prefixed child is open/);
    let escaped: Writer | undefined;
    w.lengthPrefixed(8, (child) => {
      escaped = child;
    });
    expect(() => escaped!.u8(1)).toThrow(/after its lengthPrefixed callback returned/);
    expect(toHex(w.u8(2).finish())).toBe('00' + '02');
  });
});

describe('ByteQueue', () => {
  it('peeks and takes across chunk boundaries in FIFO order', () => {
    const q = new ByteQueue();
    q.push(fromHex('0102'));
    q.push(new Uint8Array(0));
    q.push(fromHex('030405'));
    expect(q.size).toBe(5);
    expect(toHex(q.peek(3))).toBe('010203');
    expect(toHex(q.take(1))).toBe('01');
    expect(toHex(q.take(3))).toBe('020304');
    q.push(fromHex('06'));
    expect(toHex(q.take(2))).toBe('0506');
    expect(q.size).toBe(0);
    expect(() => q.take(1)).toThrow(RangeError);
  });
});

describe('ByteQueue against a plain array model', () => {
  it('returns exactly the pushed bytes in order under random pushes (tiny, record-sized, large) and takes', () => {
    const op = fc.oneof(
      fc.record({ push: fc.uint8Array({ maxLength: 3 }) }),
      // Fill the small first blocks and the doubling ones that follow (256 B up to 16 KiB).
      fc.record({ push: fc.uint8Array({ minLength: 300, maxLength: 1500 }) }),
      fc.record({ push: fc.uint8Array({ minLength: 4096, maxLength: 5000 }) }),
      fc.record({ take: fc.nat({ max: 6000 }) }),
      fc.record({ peek: fc.nat({ max: 6000 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const q = new ByteQueue();
        let model: Uint8Array = new Uint8Array(0);
        const same = (a: Uint8Array, b: Uint8Array): void => expect(toHex(a)).toBe(toHex(b));
        for (const o of ops) {
          if ('push' in o) {
            q.push(o.push);
            model = concatBytes(model, o.push);
          } else if ('take' in o) {
            const n = Math.min(o.take, model.length);
            same(q.take(n), model.subarray(0, n));
            model = model.slice(n);
          } else {
            const n = Math.min(o.peek, model.length);
            same(q.peek(n), model.subarray(0, n));
          }
          expect(q.size).toBe(model.length);
        }
        same(q.take(q.size), model);
      }),
      // endOnFailure: shrinking multi-kilobyte arrays takes minutes; the first counterexample is reported as is.
      { numRuns: 200, endOnFailure: true },
    );
  });
});
