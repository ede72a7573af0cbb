/**
 * The front door for reading: `readCapture(bytes)` (pcap or pcapng, by magic) gives the packets and key logs;
 * `openCapture(bytes)` goes on to TCP connections, reassembled and classified, for the user to pick from.
 * Whole-file problems throw `PcapError`; per-packet problems become warnings (at most MAX_WARNINGS kept, then
 * one line counting the rest), and the rest of the file still opens.
 */
import { PcapError } from './errors.ts';
import { ConnectionTracker } from './connections.ts';
import { SUPPORTED_LINK_TYPES } from './link.ts';
import { pcapMagic, readPcap } from './pcap-file.ts';
import { isPcapng, readPcapng } from './pcapng.ts';
import { tcpSegment } from './segment.ts';
import type { CaptureFile, CaptureFormat, PcapWarning, TcpConnection } from './types.ts';

export const MAX_WARNINGS = 1000;

export function readCapture(bytes: Uint8Array): CaptureFile {
  if (isPcapng(bytes)) return readPcapng(bytes);
  if (pcapMagic(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength))) return readPcap(bytes);
  if (bytes.length < 4)
    throw new PcapError('truncated', 0, `${bytes.length} bytes is too short for a capture file`);
  throw new PcapError('bad-magic', 0, 'not a pcap or pcapng file: unknown magic number');
}

export interface OpenedCapture {
  format: CaptureFormat;
  /** Every TCP connection, in order of first packet; `kind` says which carry TLS. */
  connections: TcpConnection[];
  /** The key logs of the file's Decryption Secrets Blocks joined, or undefined when it has none. */
  keyLog?: string;
  warnings: PcapWarning[];
  packets: number;
}

export function openCapture(bytes: Uint8Array): OpenedCapture {
  const file = readCapture(bytes);
  const warnings: PcapWarning[] = [...file.warnings];
  let dropped = 0;
  const warn = (w: PcapWarning): void => {
    if (warnings.length < MAX_WARNINGS) warnings.push(w);
    else dropped++;
  };
  const first = file.packets[0];
  if (first && !file.packets.some((p) => SUPPORTED_LINK_TYPES.has(p.linkType)))
    throw new PcapError(
      'unsupported-link-type',
      file.format === 'pcap' ? 20 : first.offset,
      `unsupported link type ${first.linkType} (supported: ${[...SUPPORTED_LINK_TYPES].join(', ')})`,
    );
  const tracker = new ConnectionTracker();
  for (const p of file.packets) {
    const r = tcpSegment(p.linkType, p.data);
    if ('segment' in r) {
      tracker.add(r.segment, p.time, p.index);
      // Cut short by the snap length (tcpdump -s): the TCP payload it lacks is a hole in that stream.
      if (p.data.length < p.originalLength && r.segment.payload.length > 0)
        warn({
          packet: p.index,
          offset: p.offset,
          message: `cut short by the capture's snap length: ${p.data.length} of its ${p.originalLength} bytes were captured, so the rest of its TCP payload is missing`,
        });
    } else if (!r.quiet)
      warn({
        packet: p.index,
        offset: p.offset,
        // A packet cut inside its headers: the cut is the reason, the header error only its symptom.
        message:
          p.data.length < p.originalLength
            ? `cut short by the capture's snap length: ${p.data.length} of its ${p.originalLength} bytes were captured, too few for its headers (${r.skip})`
            : r.skip,
      });
  }
  if (dropped > 0)
    warnings.push({
      packet: -1,
      offset: -1,
      message: `${dropped} more warnings like these were left out`,
      leftOut: dropped,
    });
  const opened: OpenedCapture = {
    format: file.format,
    connections: tracker.connections(),
    warnings,
    packets: file.packets.length,
  };
  if (file.keyLogs.length > 0) opened.keyLog = file.keyLogs.join('\n');
  return opened;
}

/** The connections that carry TLS (directly or inside PostgreSQL's framing). */
export function tlsConnections(capture: OpenedCapture): TcpConnection[] {
  return capture.connections.filter((c) => c.kind !== 'other');
}
