/**
 * Link layers down to the IP packet: Ethernet (1, with 802.1Q / 802.1ad VLAN tags), BSD null/loopback (0, the
 * address family in the capturing host's byte order) and OpenBSD loop (108, network order), raw IP (101, 228
 * IPv4, 229 IPv6), Linux cooked capture SLL (113) and SLL2 (276). Numbers from the tcpdump.org LINKTYPE list.
 */

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

export const SUPPORTED_LINK_TYPES: ReadonlySet<number> = new Set([
  LINKTYPE_NULL,
  LINKTYPE_ETHERNET,
  LINKTYPE_RAW,
  LINKTYPE_LOOP,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL2,
]);

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;

/** Where the IP packet starts in a frame, or a reason it has none (not IP, too short). */
export type LinkResult = { ip: number } | { skip: string };

function byEthertype(type: number, at: number): LinkResult {
  if (type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6) return { ip: at };
  return { skip: `not IP (ethertype 0x${type.toString(16).padStart(4, '0')})` };
}

export function ipStart(linkType: number, d: Uint8Array): LinkResult {
  const u16 = (at: number): number => ((d[at] ?? 0) << 8) | (d[at + 1] ?? 0);
  switch (linkType) {
    case LINKTYPE_ETHERNET: {
      let at = 12;
      while (at + 2 <= d.length && (u16(at) === ETHERTYPE_VLAN || u16(at) === ETHERTYPE_QINQ)) at += 4;
      if (at + 2 > d.length) return { skip: 'Ethernet header truncated' };
      return byEthertype(u16(at), at + 2);
    }
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
      // The family value differs by OS for IPv6 (10, 24, 28, 30) and by byte order for LINKTYPE_NULL: the IP
      // header's own version nibble is the dependable test, which ipPacket() applies.
      return d.length < 4 ? { skip: 'loopback header truncated' } : { ip: 4 };
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      return { ip: 0 };
    case LINKTYPE_LINUX_SLL:
      return d.length < 16 ? { skip: 'SLL header truncated' } : byEthertype(u16(14), 16);
    case LINKTYPE_LINUX_SLL2:
      return d.length < 20 ? { skip: 'SLL2 header truncated' } : byEthertype(u16(0), 20);
    default:
      return { skip: `unsupported link type ${linkType}` };
  }
}
