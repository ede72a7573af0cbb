/**
 * Name helpers shared by the builder, the name-constraint checks and host name matching:
 * distinguished-name comparison per RFC 5280 §7.1 and IP address parsing (RFC 791 / RFC 4291 text forms).
 */
import type { CertView, DistinguishedName, NameAttribute } from '../types.ts';

const OID_CN = '2.5.4.3';
const OID_EMAIL = '1.2.840.113549.1.9.1';

/** RFC 5280 §7.1 (after RFC 4518 in spirit): case-insensitive, insignificant white space removed. */
export function normaliseValue(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function sameAttribute(a: NameAttribute, b: NameAttribute): boolean {
  return a.oid === b.oid && normaliseValue(a.value) === normaliseValue(b.value);
}

function sameRdn(a: readonly NameAttribute[], b: readonly NameAttribute[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((attr) => b.some((other) => sameAttribute(attr, other)));
}

/** RFC 5280 §4.2.1.10: `subtree` is a prefix (in RDN order, most significant first) of `name`. */
export function isWithinDnSubtree(name: DistinguishedName, subtree: DistinguishedName): boolean {
  if (subtree.rdns.length > name.rdns.length) return false;
  return subtree.rdns.every((rdn, i) => {
    const other = name.rdns[i];
    return other !== undefined && sameRdn(rdn, other);
  });
}

export function attributeValues(name: DistinguishedName, oid: string): string[] {
  const out: string[] = [];
  for (const rdn of name.rdns) for (const attr of rdn) if (attr.oid === oid) out.push(attr.value);
  return out;
}

/** The subject's common names, most specific (last) first, as libpq and OpenSSL read them. */
export function commonNames(cert: CertView): string[] {
  return attributeValues(cert.subject, OID_CN);
}

/** Legacy PKCS#9 emailAddress attributes in the subject (RFC 5280 §4.2.1.6 says use SAN; §4.2.1.10 still constrains them). */
export function subjectEmails(cert: CertView): string[] {
  return attributeValues(cert.subject, OID_EMAIL);
}

export interface IpSyntax {
  /**
   * Dotted-quad parts with leading zeros ("127.000.000.001") are read as decimal. OpenSSL's `a2i_ipadd`
   * (crypto/x509/v3_utl.c `ipv4_from_asc`, sscanf "%d.%d.%d.%d") does; Go's `net.ParseIP` (since Go 1.17) and
   * Rust's `Ipv4Addr::from_str` (rustls `ServerName`) refuse them, so there the text is not an IP address.
   */
  readonly leadingZeros?: boolean;
}

/** Parses dotted IPv4 or RFC 4291 IPv6 text into bytes; null when it is neither. */
export function parseIp(text: string, syntax: IpSyntax = {}): Uint8Array | null {
  const t = text.trim().replace(/^\[|\]$/g, '');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) {
    if (syntax.leadingZeros === false && t.split('.').some((p) => p.length > 1 && p.startsWith('0')))
      return null;
    const parts = t.split('.').map(Number);
    if (parts.some((p) => p > 255)) return null;
    return Uint8Array.from(parts);
  }
  if (!t.includes(':') || !/^[0-9a-fA-F:.]+$/.test(t)) return null;
  let head = t;
  let tailV4: number[] = [];
  const lastColon = t.lastIndexOf(':');
  const maybeV4 = t.slice(lastColon + 1);
  if (maybeV4.includes('.')) {
    const v4 = parseIp(maybeV4, syntax);
    if (!v4 || v4.length !== 4) return null;
    tailV4 = [...v4];
    head = t.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0] ?? '');
  const right = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const missing = 8 - left.length - right.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return null;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  if (all.length !== 8 || all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  if (tailV4.length === 4) out.set(tailV4, 12);
  return out;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
