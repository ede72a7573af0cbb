/**
 * pcapng (draft-ietf-opsawg-pcapng): blocks of `type, total length, body, total length`, 32-bit aligned. A
 * Section Header Block (0x0A0D0D0A) starts each section and fixes its byte order (magic 1A2B3C4D); each
 * section numbers its own Interface Description Blocks (link type, if_tsresol). Packets come from Enhanced
 * (6), Simple (3) and the obsolete Packet (2) blocks; Decryption Secrets Blocks (0x0A) of type TLSK carry
 * TLS key logs. Every other block is skipped by its length. Packets are views into `bytes` (no copy).
 */
import { PcapError } from './errors.ts';
import { MAX_PACKET_LENGTH } from './pcap-file.ts';
import { pcapngTime, unitsPerSecond } from './time.ts';
import type { CaptureFile, CapturedPacket, PcapWarning } from './types.ts';

export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
export const BLOCK_PB = 0x00000002;
export const BLOCK_SPB = 0x00000003;
export const BLOCK_EPB = 0x00000006;
export const BLOCK_DSB = 0x0000000a;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Decryption Secrets Block secrets type: TLS key log (NSS SSLKEYLOGFILE format), 'TLSK'. */
export const SECRETS_TLS_KEY_LOG = 0x544c534b;
const OPT_END = 0;
const OPT_IF_TSRESOL = 9;

interface Interface {
  linkType: number;
  perSecond: number;
}

export function isPcapng(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x0a && bytes[1] === 0x0d && bytes[2] === 0x0d && bytes[3] === 0x0a
  );
}

// eslint-disable-next-line max-lines-per-function -- one pass over the blocks, each block type a short case; written before the length rule landed, to be split into per-block readers
export function readPcapng(bytes: Uint8Array): CaptureFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const packets: CapturedPacket[] = [];
  const keyLogs: string[] = [];
  const warnings: PcapWarning[] = [];
  const decoder = new TextDecoder('utf-8');
  let little = true;
  let interfaces: Interface[] = [];
  let at = 0;
  let block = 0;
  for (; at < bytes.length; block++) {
    const remaining = bytes.length - at;
    const truncated = (what: string): void => {
      if (block === 0) throw new PcapError('truncated', at, what, block);
      warnings.push({
        packet: packets.length,
        offset: at,
        message: `${what} (block ${block}); the rest of the file is ignored`,
      });
    };
    if (remaining < 12) {
      truncated(`block header truncated: ${remaining} of 12 bytes`);
      break;
    }
    let type = view.getUint32(at, little);
    if (type === BLOCK_SHB) {
      const magicLittle = view.getUint32(at + 8, true);
      if (magicLittle === BYTE_ORDER_MAGIC) little = true;
      else if (view.getUint32(at + 8, false) === BYTE_ORDER_MAGIC) little = false;
      else
        throw new PcapError(
          'bad-magic',
          at + 8,
          'Section Header Block: byte-order magic is not 1A2B3C4D',
          block,
        );
      interfaces = [];
    } else if (block === 0) {
      throw new PcapError('bad-magic', 0, 'not a pcapng file: the first block is not a Section Header Block');
    }
    type = view.getUint32(at, little);
    const length = view.getUint32(at + 4, little);
    if (length < 12 || length % 4 !== 0)
      throw new PcapError(
        'bad-block',
        at + 4,
        `block length ${length} is not a multiple of 4 of at least 12`,
        block,
      );
    if (length > remaining) {
      truncated(`block of ${length} bytes truncated: the file has ${remaining} left`);
      break;
    }
    const trailer = view.getUint32(at + length - 4, little);
    if (trailer !== length)
      throw new PcapError(
        'bad-block',
        at + length - 4,
        `block length ${length} and trailing length ${trailer} differ`,
        block,
      );
    const body = at + 8;
    const bodyEnd = at + length - 4;
    const bad = (message: string): void => {
      warnings.push({ packet: packets.length, offset: at, message: `${message} (block ${block})` });
    };
    const packet = (
      ifaceId: number,
      time: number,
      dataStart: number,
      capLength: number,
      originalLength: number,
    ): void => {
      const iface = interfaces[ifaceId];
      if (!iface) return bad(`packet on interface ${ifaceId}, which this section does not describe`);
      if (capLength > MAX_PACKET_LENGTH || dataStart + capLength > bodyEnd)
        return bad(`captured length ${capLength} runs past the block's end`);
      packets.push({
        index: packets.length,
        offset: at,
        linkType: iface.linkType,
        time,
        data: bytes.subarray(dataStart, dataStart + capLength),
        originalLength,
      });
    };
    switch (type) {
      case BLOCK_SHB:
        if (length < 28)
          throw new PcapError(
            'bad-block',
            at,
            `Section Header Block of ${length} bytes (at least 28)`,
            block,
          );
        break;
      case BLOCK_IDB: {
        if (length < 20) {
          bad(`Interface Description Block of ${length} bytes (at least 20)`);
          interfaces.push({ linkType: -1, perSecond: 1e6 });
          break;
        }
        const linkType = view.getUint16(body, little);
        const tsresol = findOption(view, body + 8, bodyEnd, little, OPT_IF_TSRESOL);
        interfaces.push({
          linkType,
          perSecond: unitsPerSecond(tsresol === undefined ? undefined : view.getUint8(tsresol)),
        });
        break;
      }
      case BLOCK_EPB: {
        if (length < 32) {
          bad(`Enhanced Packet Block of ${length} bytes (at least 32)`);
          break;
        }
        const iface = view.getUint32(body, little);
        const high = view.getUint32(body + 4, little);
        const low = view.getUint32(body + 8, little);
        const perSecond = interfaces[iface]?.perSecond ?? 1e6;
        packet(
          iface,
          pcapngTime(high, low, perSecond),
          body + 20,
          view.getUint32(body + 12, little),
          view.getUint32(body + 16, little),
        );
        break;
      }
      case BLOCK_PB: {
        if (length < 32) {
          bad(`Packet Block of ${length} bytes (at least 32)`);
          break;
        }
        const iface = view.getUint16(body, little);
        const perSecond = interfaces[iface]?.perSecond ?? 1e6;
        const time = pcapngTime(
          view.getUint32(body + 4, little),
          view.getUint32(body + 8, little),
          perSecond,
        );
        packet(iface, time, body + 20, view.getUint32(body + 12, little), view.getUint32(body + 16, little));
        break;
      }
      case BLOCK_SPB: {
        if (length < 16) {
          bad(`Simple Packet Block of ${length} bytes (at least 16)`);
          break;
        }
        const originalLength = view.getUint32(body, little);
        packet(0, NaN, body + 4, Math.min(originalLength, bodyEnd - body - 4), originalLength);
        break;
      }
      case BLOCK_DSB: {
        if (length < 20) {
          bad(`Decryption Secrets Block of ${length} bytes (at least 20)`);
          break;
        }
        const secretsType = view.getUint32(body, little);
        const secretsLength = view.getUint32(body + 4, little);
        if (body + 8 + secretsLength > bodyEnd) {
          bad(`Decryption Secrets Block: secrets length ${secretsLength} runs past the block's end`);
          break;
        }
        if (secretsType === SECRETS_TLS_KEY_LOG)
          keyLogs.push(decoder.decode(bytes.subarray(body + 8, body + 8 + secretsLength)));
        break;
      }
      default:
        break; // Name Resolution, Interface Statistics, custom blocks...: skipped by length.
    }
    at += length;
  }
  return { format: 'pcapng', packets, keyLogs, warnings };
}

/** The value offset of option `code` in an options list, or undefined (a malformed list ends the search). */
function findOption(
  view: DataView,
  start: number,
  end: number,
  little: boolean,
  code: number,
): number | undefined {
  let at = start;
  while (at + 4 <= end) {
    const optCode = view.getUint16(at, little);
    const optLength = view.getUint16(at + 2, little);
    if (optCode === OPT_END) return undefined;
    if (at + 4 + optLength > end) return undefined;
    if (optCode === code && optLength >= 1) return at + 4;
    at += 4 + ((optLength + 3) & ~3);
  }
  return undefined;
}
