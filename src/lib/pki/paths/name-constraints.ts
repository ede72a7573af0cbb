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
 *
 * Cost: IP names and iPAddress subtrees are parsed once (names in `namesOf`, subtrees once per extension, kept
 * in a WeakMap), and every comparison is counted against a `ComparisonBudget`; a budget that runs out is a
 * violation of its own ('budget'), never a pass (Go `isValid`: 250,000 comparisons, `TooManyConstraints`;
 * rustls-webpki `Budget::name_constraint_comparisons`: 250,000, `MaximumNameConstraintComparisonsExceeded`).
 *
 * Wildcard SANs against excluded subtrees (`wildcards: 'set'`): `*.example.com` stands for every name it can
 * match, so it violates an excluded subtree that any of those names falls in (`bar.example.com`). Go ≥ 1.24.11
 * / 1.25.5 (CVE-2025-61727, golang/go#76442) and rustls-webpki ≥ 0.103.12 (RUSTSEC-2026-0099, which also
 * refuses a wildcard that can leave a permitted subtree) do this; OpenSSL 3.0's `nc_dns` (crypto/x509/v3_ncons.c)
 * compares the SAN text literally (`wildcards: 'literal'`), documented as a known gap in openssl/openssl#30706.
 */
import type { CertView, GeneralName, GeneralNameKind, NameConstraints } from '../types.ts';
import { commonNames, isWithinDnSubtree, parseIp, subjectEmails } from './names.ts';

export type ConstraintKind = 'dns' | 'email' | 'uri' | 'ip' | 'dn';

export interface NameToCheck {
  readonly kind: ConstraintKind;
  readonly value: string;
  readonly source: 'san' | 'subject' | 'subject-email' | 'subject-cn';
  readonly general?: GeneralName;
  /** kind 'ip': the address bytes, parsed once (null when the text is not an address). */
  readonly ip?: Uint8Array | null;
}

export interface ConstraintViolation {
  /**
   * permitted / excluded: the name breaks a subtree; unsupported: a subtree form this engine does not evaluate;
   * malformed: the subtree itself is invalid (an iPAddress without a mask or with a non-contiguous one);
   * budget: the comparison budget ran out before the check finished (never a pass).
   */
  readonly kind: 'permitted' | 'excluded' | 'unsupported' | 'malformed' | 'budget';
  readonly name: NameToCheck;
  /** The subtree broken (excluded, malformed) or the permitted subtrees of that form (permitted). */
  readonly subtrees: readonly string[];
}

/** Counts name-vs-subtree comparisons across one verification; `spend` is false once the limit is passed. */
export class ComparisonBudget {
  used = 0;
  constructor(readonly limit: number) {}
  spend(n: number): boolean {
    this.used += n;
    return this.used <= this.limit;
  }
  get exhausted(): boolean {
    return this.used > this.limit;
  }
}

export interface ConstraintOptions {
  /** How a wildcard dNSName SAN meets an excluded subtree (see the module comment). Default 'set'. */
  readonly wildcards?: 'set' | 'literal';
  readonly budget?: ComparisonBudget;
  /** A non-contiguous iPAddress mask makes the subtree malformed (Go, webpki, RFC 5280); OpenSSL applies it. */
  readonly contiguousMasks?: boolean;
  /** Check the permitted subtrees before the excluded ones (OpenSSL v3_ncons.c `nc_match`); default excluded first (Go). */
  readonly permittedFirst?: boolean;
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
    if (kind === 'ip') out.push({ kind, value: g.value, source: 'san', general: g, ip: parseIp(g.value) });
    else if (kind) out.push({ kind, value: g.value, source: 'san', general: g });
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

/**
 * A wildcard dNSName `*.rest` taken as the set of names it can match ({label.rest}): true when some name of
 * that set lies in the subtree `base`. That is the case when `base` covers the whole set (`rest` or a suffix
 * of it, or `.rest`) or when `base` is one of its members (`bar.rest`).
 */
export function wildcardMeets(name: string, base: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (!n.startsWith('*.')) return dnsWithin(name, base);
  if (dnsWithin(n, base)) return true;
  const b = base.toLowerCase().replace(/\.$/, '');
  const rest = n.slice(1); // ".rest"
  if (b.startsWith('.')) return false;
  const dot = b.indexOf('.');
  return dot > 0 && b.slice(dot) === rest;
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

/** An iPAddress subtree, parsed once: network bytes and mask bytes; null fields when it is malformed. */
export interface IpSubtree {
  readonly net: Uint8Array | null;
  readonly mask: Uint8Array | null;
  /** Why it is unusable (RFC 5280 §4.2.1.10: address + mask, 8 or 32 octets), else null. */
  readonly malformed: string | null;
  /** The mask is a prefix (ones then zeros); OpenSSL applies other masks as they are, Go and webpki refuse them. */
  readonly contiguous: boolean;
}

/** Parses the decoder's "addr/prefix" (or "addr/mask" for a non-contiguous mask; bare "addr" = no mask). */
export function parseIpSubtree(value: string): IpSubtree {
  const [addrText, maskText] = value.split('/');
  const net = addrText ? parseIp(addrText) : null;
  if (!net) return { net: null, mask: null, malformed: `${value} is not an address`, contiguous: true };
  if (maskText === undefined)
    return {
      net,
      mask: null,
      malformed: `iPAddress constraint ${value} has no mask (${net.length} octets, ${net.length * 2} expected)`,
      contiguous: true,
    };
  if (/^\d+$/.test(maskText)) {
    const prefix = Number(maskText);
    const mask = new Uint8Array(net.length);
    for (let bit = 0; bit < Math.min(prefix, net.length * 8); bit++) {
      const i = bit >> 3;
      mask[i] = (mask[i] ?? 0) | (0x80 >> (bit & 7));
    }
    return { net, mask, malformed: null, contiguous: true };
  }
  const mask = parseIp(maskText);
  if (!mask || mask.length !== net.length)
    return {
      net,
      mask: null,
      malformed: `iPAddress constraint ${value} has an unreadable mask`,
      contiguous: true,
    };
  return { net, mask, malformed: null, contiguous: false };
}

/** ip within net/mask (both parsed); addresses of different families never match. */
export function ipBytesWithin(ip: Uint8Array, subtree: IpSubtree): boolean {
  const { net, mask } = subtree;
  if (!net || !mask || ip.length !== net.length) return false;
  for (let i = 0; i < ip.length; i++) {
    const m = mask[i] ?? 0;
    if (((ip[i] ?? 0) & m) !== ((net[i] ?? 0) & m)) return false;
  }
  return true;
}

/** iPAddress: base is "addr/prefix" (or "addr/mask"). */
export function ipWithin(address: string, base: string): boolean {
  const ip = parseIp(address);
  return ip !== null && ipBytesWithin(ip, parseIpSubtree(base));
}

interface PreparedSubtree {
  readonly general: GeneralName;
  readonly ip?: IpSubtree;
}

interface PreparedConstraints {
  readonly permitted: ReadonlyMap<ConstraintKind, readonly PreparedSubtree[]>;
  readonly excluded: ReadonlyMap<ConstraintKind, readonly PreparedSubtree[]>;
}

const prepared = new WeakMap<NameConstraints, PreparedConstraints>();

function byKind(list: readonly GeneralName[]): Map<ConstraintKind, PreparedSubtree[]> {
  const out = new Map<ConstraintKind, PreparedSubtree[]>();
  for (const g of list) {
    const kind = supportedKind(g.kind);
    if (!kind) continue;
    const entry: PreparedSubtree =
      kind === 'ip' ? { general: g, ip: parseIpSubtree(g.value) } : { general: g };
    const bucket = out.get(kind);
    if (bucket) bucket.push(entry);
    else out.set(kind, [entry]);
  }
  return out;
}

/** The extension's subtrees grouped by form, iPAddress subtrees parsed: computed once per extension. */
export function prepare(nc: NameConstraints): PreparedConstraints {
  let p = prepared.get(nc);
  if (!p) {
    p = { permitted: byKind(nc.permitted), excluded: byKind(nc.excluded) };
    prepared.set(nc, p);
  }
  return p;
}

function ipProblem(s: PreparedSubtree, contiguousMasks: boolean): string | null {
  if (!s.ip) return null;
  if (s.ip.malformed) return s.ip.malformed;
  return contiguousMasks && !s.ip.contiguous
    ? `iPAddress constraint ${s.general.value} has a non-contiguous mask`
    : null;
}

/** Why each iPAddress subtree of the extension is malformed (no mask, unreadable or non-contiguous mask). */
export function malformedIpSubtrees(nc: NameConstraints, contiguousMasks = true): string[] {
  const p = prepare(nc);
  const out: string[] = [];
  for (const s of [...(p.permitted.get('ip') ?? []), ...(p.excluded.get('ip') ?? [])]) {
    const why = ipProblem(s, contiguousMasks);
    if (why) out.push(why);
  }
  return out;
}

function withinPrepared(
  name: NameToCheck,
  subtree: PreparedSubtree,
  mode: 'permitted' | 'excluded',
  wildcards: 'set' | 'literal',
): boolean {
  switch (name.kind) {
    case 'dns':
      return mode === 'excluded' && wildcards === 'set'
        ? wildcardMeets(name.value, subtree.general.value)
        : dnsWithin(name.value, subtree.general.value);
    case 'email':
      return emailWithin(name.value, subtree.general.value);
    case 'uri':
      return uriWithin(name.value, subtree.general.value);
    case 'ip': {
      const ip = name.ip !== undefined ? name.ip : parseIp(name.value);
      return ip !== null && subtree.ip !== undefined && ipBytesWithin(ip, subtree.ip);
    }
    case 'dn':
      return (
        name.general?.name !== undefined &&
        subtree.general.name !== undefined &&
        isWithinDnSubtree(name.general.name, subtree.general.name)
      );
  }
}

export function within(name: NameToCheck, subtree: GeneralName): boolean {
  const entry: PreparedSubtree =
    subtree.kind === 'ip' ? { general: subtree, ip: parseIpSubtree(subtree.value) } : { general: subtree };
  return withinPrepared(name, entry, 'permitted', 'literal');
}

/**
 * Checks one certificate's names against the constraints of ONE CA certificate (§6.1.3 (b)(c) applied per
 * constraining CA: a name must satisfy every CA's permitted subtrees of its form, which equals checking against
 * the intersection). Each name costs one comparison per subtree of its form (excluded, then permitted), counted
 * against `options.budget` before the comparisons are made.
 */
export function checkNameConstraints(
  names: readonly NameToCheck[],
  nc: NameConstraints,
  options: ConstraintOptions = {},
): ConstraintViolation[] {
  const violations: ConstraintViolation[] = [];
  const p = prepare(nc);
  const wildcards = options.wildcards ?? 'set';
  for (const name of names) {
    const excluded = p.excluded.get(name.kind) ?? [];
    const permitted = p.permitted.get(name.kind) ?? [];
    if (options.budget && !options.budget.spend(excluded.length + permitted.length)) {
      violations.push({ kind: 'budget', name, subtrees: [] });
      return violations;
    }
    if (name.kind === 'ip') {
      const bad = [...excluded, ...permitted].find((s) => ipProblem(s, options.contiguousMasks ?? true));
      if (bad) {
        violations.push({ kind: 'malformed', name, subtrees: [bad.general.value] });
        continue;
      }
    }
    const outside = () =>
      permitted.length > 0 && !permitted.some((s) => withinPrepared(name, s, 'permitted', wildcards));
    if (options.permittedFirst && outside()) {
      violations.push({ kind: 'permitted', name, subtrees: permitted.map((s) => s.general.value) });
      continue;
    }
    const hit = excluded.find((s) => withinPrepared(name, s, 'excluded', wildcards));
    if (hit) {
      violations.push({ kind: 'excluded', name, subtrees: [hit.general.value] });
      continue;
    }
    if (!options.permittedFirst && outside()) {
      violations.push({ kind: 'permitted', name, subtrees: permitted.map((s) => s.general.value) });
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
