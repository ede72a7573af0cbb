/**
 * Opening a large capture: a pcapng of ~100 MB (PCAP_BENCH_MB) written in memory by our writer (one TLS-sized
 * conversation of 1,400-byte chunks in both directions, cut at MSS 1,460), parsed by `openCapture` (blocks,
 * Ethernet, IPv4, TCP, reassembly, the finder) against a peer in the same run: a trivial Node loop that walks
 * the same file's blocks and copies each packet's bytes out (the least any reader must do). A second row
 * checks linearity: the full file against a quarter of it (a ratio near 4 is linear; quadratic would be ~16).
 * Ratios only; medians of several runs.
 */
import { openCapture, writeConnectionPcapng, type StreamChunk } from '../src/lib/pcap/index.ts';
import { median } from './_median.ts';

function capture(megabytes: number): Uint8Array {
  const chunks: StreamChunk[] = [];
  const size = 1400;
  const count = Math.floor((megabytes * 1024 * 1024) / (size + 90));
  const offsets = { client: 0, server: 0 };
  const payload = new Uint8Array(size).map((_, i) => i & 0xff);
  for (let i = 0; i < count; i++) {
    const from = i % 3 === 0 ? 'client' : 'server';
    chunks.push({ from, bytes: payload, offset: offsets[from], time: 1_700_000_000_000 + i / 10 });
    offsets[from] += size;
  }
  return writeConnectionPcapng({
    client: { address: '192.0.2.1', port: 50000 },
    server: { address: '192.0.2.2', port: 443 },
    chunks,
  });
}

/** The peer: walk pcapng blocks (little or big endian from the SHB) and copy each EPB's packet bytes. */
function trivialWalk(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = view.getUint32(8, true) === 0x1a2b3c4d;
  let copied = 0;
  for (let at = 0; at + 12 <= bytes.length;) {
    const type = view.getUint32(at, little);
    const length = view.getUint32(at + 4, little);
    if (type === 6) {
      const cap = view.getUint32(at + 20, little);
      copied += bytes.slice(at + 28, at + 28 + cap).length;
    }
    at += length;
  }
  return copied;
}

export default {
  name: 'pcap',
  peer: 'a trivial Node loop over the same pcapng blocks (copying each packet)',
  async run() {
    const mb = Number(process.env.PCAP_BENCH_MB ?? 100);
    const file = capture(mb);
    const quarter = capture(mb / 4);
    let chunks = 0;
    const ours = await median(3, () => {
      chunks = openCapture(file).connections[0]?.chunks.length ?? 0;
    });
    const peer = await median(3, () => trivialWalk(file));
    const ours_quarter = await median(3, () => openCapture(quarter));
    return [
      {
        name: `pcap: open a ${(file.length / 1048576).toFixed(0)} MB pcapng (${chunks} chunks)`,
        ours_ms: ours,
        peer_ms: peer,
        ratio: ours / peer,
      },
      {
        name: 'pcap: linearity, full file vs a quarter of it (4 = linear)',
        ours_ms: ours,
        peer_ms: ours_quarter,
        ratio: ours / ours_quarter,
      },
    ];
  },
};
