/**
 * The classic libpcap file format: a 24-byte global header (magic a1b2c3d4 for microseconds, a1b23c4d for
 * nanoseconds, written in the capturing machine's byte order), then 16-byte record headers each followed by
 * caplen bytes. Packets are views into `bytes` (no copy).
 */
import { PcapError } from './errors.ts';
import { pcapTime } from './time.ts';
import type { CaptureFile, CapturedPacket } from './types.ts';

export const PCAP_MAGIC_MICRO = 0xa1b2c3d4;
export const PCAP_MAGIC_NANO = 0xa1b23c4d;
const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
/** Larger than any snap length a capture tool writes (262144 is tcpdump's); bounds a corrupt length. */
export const MAX_PACKET_LENGTH = 0x4000000;

/** Is this the start of a pcap file? Returns the byte order and resolution, or undefined. */
export function pcapMagic(view: DataView): { little: boolean; perSecond: number } | undefined {
  if (view.byteLength < 4) return undefined;
  for (const little of [false, true]) {
    const magic = view.getUint32(0, little);
    if (magic === PCAP_MAGIC_MICRO) return { little, perSecond: 1e6 };
    if (magic === PCAP_MAGIC_NANO) return { little, perSecond: 1e9 };
  }
  return undefined;
}

export function readPcap(bytes: Uint8Array): CaptureFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = pcapMagic(view);
  if (!magic) throw new PcapError('bad-magic', 0, 'not a pcap file: unknown magic number');
  if (bytes.length < GLOBAL_HEADER)
    throw new PcapError(
      'truncated',
      bytes.length,
      `pcap global header needs ${GLOBAL_HEADER} bytes, the file has ${bytes.length}`,
    );
  const { little, perSecond } = magic;
  // LINKTYPE is the low 16 bits; the upper bits may carry FCS information (pcap-linktype(7)).
  const linkType = view.getUint32(20, little) & 0xffff;
  const packets: CapturedPacket[] = [];
  const warnings: CaptureFile['warnings'] = [];
  let at = GLOBAL_HEADER;
  while (at < bytes.length) {
    const index = packets.length;
    if (at + RECORD_HEADER > bytes.length) {
      warnings.push({
        packet: index,
        offset: at,
        message: `record header truncated: ${bytes.length - at} of ${RECORD_HEADER} bytes; the rest of the file is ignored`,
      });
      break;
    }
    const seconds = view.getUint32(at, little);
    const fraction = view.getUint32(at + 4, little);
    const capLength = view.getUint32(at + 8, little);
    const originalLength = view.getUint32(at + 12, little);
    if (capLength > MAX_PACKET_LENGTH)
      throw new PcapError(
        'bad-block',
        at,
        `captured length ${capLength} is larger than any packet (${MAX_PACKET_LENGTH})`,
        index,
        'packet',
      );
    const start = at + RECORD_HEADER;
    if (start + capLength > bytes.length) {
      warnings.push({
        packet: index,
        offset: at,
        message: `packet data truncated: ${bytes.length - start} of ${capLength} bytes; the rest of the file is ignored`,
      });
      break;
    }
    packets.push({
      index,
      offset: at,
      linkType,
      time: pcapTime(seconds, fraction, perSecond),
      data: bytes.subarray(start, start + capLength),
      originalLength,
    });
    at = start + capLength;
  }
  return { format: 'pcap', packets, keyLogs: [], warnings };
}
