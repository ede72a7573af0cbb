/**
 * From a captured frame to a TCP segment: the link layer (link.ts), IPv4 (RFC 791: header options skipped by
 * IHL; fragments reported, not reassembled) or IPv6 (RFC 8200: extension headers skipped), then TCP (RFC 9293:
 * data offset, flags). The payload is a view into the frame (no copy).
 */
import { formatIpv4, formatIpv6 } from './address.ts';
import { ipStart } from './link.ts';

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_ACK = 0x10;

export interface TcpSegment {
  source: string;
  destination: string;
  sourcePort: number;
  destinationPort: number;
  seq: number;
  ack: number;
  flags: number;
  payload: Uint8Array;
}

/** A segment, or why the frame holds none (`quiet`: not an error worth a warning, e.g. ARP or UDP). */
export type SegmentResult = { segment: TcpSegment } | { skip: string; quiet?: boolean };

const PROTO_TCP = 6;
const IPV6_EXTENSIONS = new Set([0, 43, 60, 51, 135, 139, 140]);
const IPV6_FRAGMENT = 44;

export function tcpSegment(linkType: number, frame: Uint8Array): SegmentResult {
  const link = ipStart(linkType, frame);
  if ('skip' in link) return { skip: link.skip, quiet: link.skip.startsWith('not IP') };
  const d = frame.subarray(link.ip);
  const version = (d[0] ?? 0) >> 4;
  if (version === 4) return ipv4(d);
  if (version === 6) return ipv6(d);
  return { skip: d.length === 0 ? 'no IP header' : `IP version ${version}`, quiet: d.length > 0 };
}

function u16(d: Uint8Array, at: number): number {
  return ((d[at] ?? 0) << 8) | (d[at + 1] ?? 0);
}

function ipv4(d: Uint8Array): SegmentResult {
  if (d.length < 20) return { skip: `IPv4 header truncated: ${d.length} bytes` };
  const headerLength = ((d[0] ?? 0) & 0x0f) * 4;
  if (headerLength < 20 || headerLength > d.length)
    return { skip: `IPv4 header length ${headerLength} is invalid` };
  const total = u16(d, 2);
  // Segmentation offload captures show total length 0; otherwise trust it to drop Ethernet padding.
  const end = total === 0 ? d.length : Math.min(total, d.length);
  if (end < headerLength) return { skip: `IPv4 total length ${total} is shorter than its header` };
  const fragment = u16(d, 6);
  if ((fragment & 0x2000) !== 0 || (fragment & 0x1fff) !== 0)
    return { skip: `IPv4 fragment (offset ${(fragment & 0x1fff) * 8}): fragments are not reassembled` };
  if (d[9] !== PROTO_TCP) return { skip: `IP protocol ${d[9]}`, quiet: true };
  return tcp(d.subarray(headerLength, end), formatIpv4(d, 12), formatIpv4(d, 16));
}

function ipv6(d: Uint8Array): SegmentResult {
  if (d.length < 40) return { skip: `IPv6 header truncated: ${d.length} bytes` };
  const end = Math.min(40 + u16(d, 4), d.length);
  let next = d[6] ?? 0;
  let at = 40;
  for (let hops = 0; IPV6_EXTENSIONS.has(next) || next === IPV6_FRAGMENT; hops++) {
    if (at + 8 > end || hops > 16) return { skip: 'IPv6 extension headers truncated' };
    if (next === IPV6_FRAGMENT) return { skip: 'IPv6 fragment: fragments are not reassembled' };
    const length = next === 51 ? ((d[at + 1] ?? 0) + 2) * 4 : ((d[at + 1] ?? 0) + 1) * 8;
    next = d[at] ?? 0;
    at += length;
  }
  if (next !== PROTO_TCP) return { skip: `IPv6 next header ${next}`, quiet: true };
  if (at > end) return { skip: 'IPv6 extension headers truncated' };
  return tcp(d.subarray(at, end), formatIpv6(d, 8), formatIpv6(d, 24));
}

function tcp(d: Uint8Array, source: string, destination: string): SegmentResult {
  if (d.length < 20) return { skip: `TCP header truncated: ${d.length} bytes` };
  const dataOffset = ((d[12] ?? 0) >> 4) * 4;
  if (dataOffset < 20 || dataOffset > d.length) return { skip: `TCP data offset ${dataOffset} is invalid` };
  const u32 = (at: number): number => ((u16(d, at) << 16) | u16(d, at + 2)) >>> 0;
  return {
    segment: {
      source,
      destination,
      sourcePort: u16(d, 0),
      destinationPort: u16(d, 2),
      seq: u32(4),
      ack: u32(8),
      flags: d[13] ?? 0,
      payload: d.subarray(dataOffset),
    },
  };
}
