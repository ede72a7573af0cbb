/**
 * Name constraints, RFC 5280 §4.2.1.10 and §6.1.3 (b)-(c), §6.1.4 (g).
 *
 * Supported subtree forms: dNSName, rfc822Name, uniformResourceIdentifier (by host), iPAddress (addr/prefix)
 * and directoryName. Names of other forms (otherName, x400Address, ediPartyName, registeredID) in a subtree are
 * reported as unsupported when the certificate carries a name of that form.
 *
 * Which names of a certificate are checked (decision, documented in docs/client-profiles.md):
 * - the subject DN against directoryName subtrees (when the subject is not empty);
 * - every SAN;
 * - the legacy emailAddress attributes of the subject against rfc822Name subtrees (§4.2.1.10, last paragraph);
 * - the subject CN as a dNSName, for the leaf only and only when it has no dNSName SAN and the CN looks like
 *   a host name (OpenSSL ≥ 1.1.0 `NAME_CONSTRAINTS_check_CN`), when `checkCommonNameAsDns` is set.
 */
import type { CertView, GeneralName, GeneralNameKind, NameConstraints } from '../types.ts';
import { commonNames, isWithinDnSubtree, parseIp, subjectEmails } from './names.ts';

export type ConstraintKind = 'dns' | 'email' | 'uri' | 'ip' | 'dn';

export interface NameToCheck {
  readonly kind: ConstraintKind;
  readonly value: string;
  readonly source: 'san' | 'subject' | 'subject-email' | 'subject-cn';
  readonly general?: GeneralName;
}

export interface ConstraintViolation {
  readonly kind: 'permitted' | 'excluded' | 'unsupported';
  readonly name: NameToCheck;
  /** The subtree broken (excluded) or the permitted subtrees of that form (permitted). */
  readonly subtrees: readonly string[];
}

const HOSTNAME_LIKE =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)+$/i;

export function namesOf(cert: CertView, isLeaf: boolean, checkCommonNameAsDns: boolean): NameToCheck[] {
  const out: NameToCheck[] = [];
  if (cert.subject.rdns.length > 0)
    out.push({
      kind: 'dn',
      value: cert.subject.rfc4514,
      source: 'subject',
      general: { kind: 'dn', value: cert.subject.rfc4514, name: cert.subject },
    });
  for (const g of cert.san?.all ?? []) {
    const kind = supportedKind(g.kind);
    if (kind) out.push({ kind, value: g.value, source: 'san', general: g });
  }
  for (const email of subjectEmails(cert)) out.push({ kind: 'email', value: email, source: 'subject-email' });
  if (isLeaf && checkCommonNameAsDns && (cert.san?.dns.length ?? 0) === 0) {
    for (const cn of commonNames(cert)) {
      if (HOSTNAME_LIKE.test(cn)) out.push({ kind: 'dns', value: cn, source: 'subject-cn' });
    }
  }
  return out;
}

function supportedKind(kind: GeneralNameKind): ConstraintKind | null {
  switch (kind) {
    case 'dns':
    case 'email':
    case 'uri':
    case 'ip':
    case 'dn':
      return kind;
    default:
      return null;
  }
}

/** dNSName: "example.com" covers itself and every subdomain; ".example.com" only subdomains. */
export function dnsWithin(name: string, base: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const b = base.toLowerCase().replace(/\.$/, '');
  if (b === '') return true;
  if (b.startsWith('.')) return n.endsWith(b);
  return n === b || n.endsWith('.' + b);
}

/** rfc822Name: "a@b.com" one mailbox; "b.com" every mailbox at that host; ".b.com" any host below it. */
export function emailWithin(name: string, base: string): boolean {
  const at = name.lastIndexOf('@');
  if (at < 0) return false;
  const local = name.slice(0, at);
  const host = name.slice(at + 1).toLowerCase();
  if (base.includes('@')) {
    const bat = base.lastIndexOf('@');
    return local === base.slice(0, bat) && host === base.slice(bat + 1).toLowerCase();
  }
  const b = base.toLowerCase();
  if (b.startsWith('.')) return host.endsWith(b);
  return host === b;
}

/** uniformResourceIdentifier: compares the URI's host; ".host" means any subdomain. */
export function uriWithin(uri: string, base: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(uri);
  const host = m?.[1]?.toLowerCase();
  if (!host) return false;
  const b = base.toLowerCase();
  if (b.startsWith('.')) return host.endsWith(b);
  return host === b;
}

/** iPAddress: base is "addr/prefix" (or "addr/mask"). */
export function ipWithin(address: string, base: string): boolean {
  const ip = parseIp(address);
  const [addrText, prefixText] = base.split('/');
  const net = addrText ? parseIp(addrText) : null;
  if (!ip || !net || ip.length !== net.length) return false;
  let prefix: number;
  if (prefixText === undefined) prefix = net.length * 8;
  else if (/^\d+$/.test(prefixText)) prefix = Number(prefixText);
  else {
    const mask = parseIp(prefixText);
    if (!mask) return false;
    prefix = [...mask].reduce((n, byte) => n + popcount(byte), 0);
  }
  for (let bit = 0; bit < prefix; bit++) {
    const i = bit >> 3;
    const m = 0x80 >> (bit & 7);
    if (((ip[i] ?? 0) & m) !== ((net[i] ?? 0) & m)) return false;
  }
  return true;
}

function popcount(b: number): number {
  let n = 0;
  for (let v = b; v; v >>= 1) n += v & 1;
  return n;
}

export function within(name: NameToCheck, subtree: GeneralName): boolean {
  switch (name.kind) {
    case 'dns':
      return dnsWithin(name.value, subtree.value);
    case 'email':
      return emailWithin(name.value, subtree.value);
    case 'uri':
      return uriWithin(name.value, subtree.value);
    case 'ip':
      return ipWithin(name.value, subtree.value);
    case 'dn':
      return (
        name.general?.name !== undefined &&
        subtree.name !== undefined &&
        isWithinDnSubtree(name.general.name, subtree.name)
      );
  }
}

/**
 * Checks one certificate's names against the constraints of ONE CA certificate (§6.1.3 (b)(c) applied per
 * constraining CA: a name must satisfy every CA's permitted subtrees of its form, which equals checking against
 * the intersection).
 */
export function checkNameConstraints(
  names: readonly NameToCheck[],
  nc: NameConstraints,
): ConstraintViolation[] {
  const violations: ConstraintViolation[] = [];
  for (const name of names) {
    const excluded = nc.excluded.filter((s) => s.kind === name.kind);
    const hit = excluded.find((s) => within(name, s));
    if (hit) {
      violations.push({ kind: 'excluded', name, subtrees: [hit.value] });
      continue;
    }
    const permitted = nc.permitted.filter((s) => s.kind === name.kind);
    if (permitted.length > 0 && !permitted.some((s) => within(name, s))) {
      violations.push({ kind: 'permitted', name, subtrees: permitted.map((s) => s.value) });
    }
  }
  return violations;
}

/**
 * Subtrees of a form this engine does not evaluate (otherName, x400Address, ediPartyName, registeredID) that
 * apply to names the certificate carries: reported as unsupported, never as a silent pass.
 */
export function unsupportedConstraints(cert: CertView, nc: NameConstraints): string[] {
  const other = (cert.san?.all ?? []).filter((g) => g.kind === 'other');
  if (other.length === 0) return [];
  return [...nc.permitted, ...nc.excluded].filter((s) => s.kind === 'other').map((s) => s.value);
}
