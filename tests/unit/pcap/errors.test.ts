// Bad input: whole-file problems are PcapError with what, where (block/packet index, byte offset) and why;
// per-packet problems are warnings and the rest of the file still opens. fast-check: random truncations and
// byte mutations of the real captures never throw anything but PcapError, and always end.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../src/lib/bytes/index.ts';
import {
  isPcapError,
  MAX_WARNINGS,
  openCapture,
  PcapError,
  warningCount,
} from '../../../src/lib/pcap/index.ts';
import { warningsHeading } from '../../../src/content/handshake/capture-import.ts';
import { checkBounded } from '../../kit/pure/property.ts';
import { chunk, conversation, idb, pcapFile, pcapngBlock, shb } from './build.ts';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(`fixtures/pcap/${name}`));

function error(bytes: Uint8Array): PcapError {
  try {
    openCapture(bytes);
  } catch (e) {
    if (e instanceof PcapError) return e;
    throw e;
  }
  throw new Error('expected a PcapError');
}

describe('whole-file errors', () => {
  it('garbage and empty input', () => {
    expect(error(new TextEncoder().encode('GET / HTTP/1.1\r\n'))).toMatchObject({
      kind: 'bad-magic',
      offset: 0,
    });
    expect(error(new Uint8Array(0))).toMatchObject({ kind: 'truncated', offset: 0 });
    expect(error(new Uint8Array(0)).message).toMatch(/too short/);
  });

  it('a pcap global header cut short', () => {
    const e = error(fixture('tls12-lo.pcap').subarray(0, 10));
    expect(e).toMatchObject({ kind: 'truncated', offset: 10 });
    expect(e.message).toMatch(/global header needs 24 bytes/);
  });

  it('an unknown link type names itself and where it is', () => {
    const e = error(pcapFile(147, [{ time: 0, data: new Uint8Array(40) }]));
    expect(e).toMatchObject({ kind: 'unsupported-link-type', offset: 20 });
    expect(e.message).toMatch(/unsupported link type 147/);
  });

  it('a pcapng block length that is not a multiple of 4, or disagrees with its trailer', () => {
    const good = concatBytes(shb(), idb(228));
    const bad = good.slice();
    new DataView(bad.buffer).setUint32(28 + 4, 21, true); // the IDB's length
    expect(error(bad)).toMatchObject({ kind: 'bad-block', offset: 32, index: 1 });
    const trailer = good.slice();
    new DataView(trailer.buffer).setUint32(good.length - 4, 24, true);
    const e = error(trailer);
    expect(e).toMatchObject({ kind: 'bad-block', index: 1 });
    expect(e.message).toMatch(/block length 20 and trailing length 24 differ \(block 1, offset 44\)/);
  });

  it('a pcapng Section Header Block with a bad byte-order magic', () => {
    const bad = shb().slice();
    bad[8] = 0;
    expect(error(bad)).toMatchObject({ kind: 'bad-magic', offset: 8, index: 0 });
  });

  it('a huge pcap record length is refused, not allocated', () => {
    const file = pcapFile(228, [{ time: 0, data: new Uint8Array(20) }]);
    new DataView(file.buffer).setUint32(24 + 8, 0xfffffff0, true);
    expect(error(file)).toMatchObject({ kind: 'bad-block', offset: 24, index: 0, unit: 'packet' });
  });
});

describe('per-packet problems are warnings', () => {
  it('a packet cut by the snap length inside its headers says so, not only what its headers lack', () => {
    // fixtures/pcap/tls12-lo.pcap (a little-endian tcpdump file) with every record cut to 60 bytes, as editcap -s 60.
    const file = new Uint8Array(readFileSync('fixtures/pcap/tls12-lo.pcap'));
    const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    const parts: Uint8Array[] = [file.subarray(0, 24)];
    for (let at = 24; at + 16 <= file.length;) {
      const captured = view.getUint32(at + 8, true);
      const header = Uint8Array.from(file.subarray(at, at + 16));
      new DataView(header.buffer).setUint32(8, Math.min(captured, 60), true);
      parts.push(header, file.subarray(at + 16, at + 16 + Math.min(captured, 60)));
      at += 16 + captured;
    }
    const opened = openCapture(concatBytes(...parts));
    const cut = opened.warnings.filter((w) => w.message.startsWith("cut short by the capture's snap length"));
    expect(cut.length).toBeGreaterThan(0);
    expect(cut[0]!.message).toMatch(
      /^cut short by the capture's snap length: 60 of its \d+ bytes were captured, too few for its headers \(/,
    );
  });

  it('a truncated last record: the packets before it still open', () => {
    const file = fixture('tls12-lo.pcap');
    const opened = openCapture(file.subarray(0, file.length - 30));
    expect(opened.warnings).toHaveLength(1);
    expect(opened.warnings[0]?.message).toMatch(/packet data truncated/);
    expect(opened.packets).toBe(17);
    expect(opened.connections[0]?.kind).toBe('tls');
  });

  it('a truncated pcapng: the blocks before the cut still open', () => {
    const file = fixture('tls12-dsb.pcapng');
    const opened = openCapture(file.subarray(0, file.length - 30));
    expect(opened.warnings).toEqual([
      {
        packet: 17,
        offset: file.length - 100,
        message:
          'block of 100 bytes truncated: the file has 70 left (block 20); the rest of the file is ignored',
      },
    ]);
    expect(opened.packets).toBe(17);
    expect(opened.keyLog).toBeDefined();
    expect(opened.connections[0]?.sni).toBe('localhost');
  });

  it('warnings stop at MAX_WARNINGS and one line counts the rest', () => {
    const broken = Array.from({ length: MAX_WARNINGS + 5 }, () => ({
      time: 0,
      data: Uint8Array.of(0x45, 0, 0, 20),
    }));
    const opened = openCapture(pcapFile(228, broken));
    expect(opened.warnings).toHaveLength(MAX_WARNINGS + 1);
    expect(opened.warnings.at(-1)?.message).toBe('5 more warnings like these were left out');
    // The count the lab and the CLI give is every thing skipped, not the lines kept.
    expect(warningCount(opened.warnings)).toBe(MAX_WARNINGS + 5);
    expect(warningsHeading(warningCount(opened.warnings), 5)).toBe(
      `The capture reader skipped ${MAX_WARNINGS + 5} things in the file (the first 5 are listed):`,
    );
  });

  it('a pcapng interface of an unsupported link type next to a supported one: its packets are passed over', () => {
    const packets = conversation([chunk('client', 0, 'x')]);
    const epb = (iface: number, data: Uint8Array) =>
      pcapngBlock(
        6,
        concatBytes(
          Uint8Array.of(iface, 0, 0, 0),
          new Uint8Array(8),
          Uint8Array.of(data.length, 0, 0, 0, data.length, 0, 0, 0),
          data,
        ),
      );
    const file = concatBytes(
      shb(),
      idb(147),
      idb(228),
      epb(0, new Uint8Array(10)),
      ...packets.map((p) => epb(1, p.bytes)),
    );
    const opened = openCapture(file);
    expect(opened.connections).toHaveLength(1);
    expect(opened.warnings.map((w) => w.message)).toEqual(['unsupported link type 147']);
  });
});

describe('hostile input (fast-check over the real captures)', () => {
  const files = ['tls12-lo.pcap', 'tls12-dsb.pcapng', 'tls13-any-sll2.pcap', 'tls13-lo-ns.pcap'].map(fixture);
  files.push(new Uint8Array(readFileSync('fixtures/tls12-vectors/illustrated-tls12/capture.pcap')));
  const only = (bytes: Uint8Array): boolean => {
    try {
      openCapture(bytes);
    } catch (e) {
      if (!isPcapError(e)) throw e;
    }
    return true;
  };

  it('random truncations never throw anything but PcapError', async () => {
    const runs = await checkBounded(
      'pcap truncations',
      fc.property(
        fc.integer({ min: 0, max: files.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (which, cut) => {
          const f = files[which] as Uint8Array;
          return only(f.subarray(0, Math.floor(f.length * cut)));
        },
      ),
      { numRuns: 400, timeLimitMs: 15_000 },
    );
    expect(runs).toBeGreaterThan(0);
  });

  it('random byte mutations never throw anything but PcapError', async () => {
    const runs = await checkBounded(
      'pcap mutations',
      fc.property(
        fc.integer({ min: 0, max: files.length - 1 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 12,
        }),
        (which, edits) => {
          const f = (files[which] as Uint8Array).slice();
          for (const [where, value] of edits) f[Math.floor(where * (f.length - 1))] = value;
          return only(f);
        },
      ),
      { numRuns: 600, timeLimitMs: 20_000 },
    );
    expect(runs).toBeGreaterThan(0);
  });
});
