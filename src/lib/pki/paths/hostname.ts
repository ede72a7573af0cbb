/**
 * Host name verification of a server certificate: RFC 6125 §6.4 (DNS-ID, wildcards), RFC 5280 §4.2.1.6
 * (iPAddress SANs are compared as bytes) and the Common Name fallback some clients still apply.
 *
 * Rules, and who applies them:
 * - An IP literal host matches only iPAddress SANs (OpenSSL `X509_check_ip`, Go, webpki, libpq).
 * - DNS names compare case-insensitively. One trailing dot on the host is ignored by Go (`matchHostnames` trims
 *   it) and webpki (an absolute reference ID matches), but not by OpenSSL's X509_check_host, which compares it as a
 *   byte (`hostDot: 'significant'`: `www.example.com.` does not match a SAN `www.example.com`). A name in the
 *   certificate with a trailing dot is no DNS-ID (RFC 5280 §4.2.1.6's preferred name syntax has none): OpenSSL and
 *   Go compare it exactly, as a whole (Go's `VerifyHostname` gives a name that is no valid pattern `matchExactly`), so
 *   it matches only the same host with the dot, and a `*` in it is a plain character; webpki refuses it even then
 *   ("Absolute presented DNS IDs are not supported": `absoluteNames: 'never'`). Checked with `openssl x509
 *   -checkhost` and, through the openssl-3 profile, `openssl verify -verify_hostname`.
 * - `*` must sit in the left-most label and match exactly one non-empty label (RFC 6125 §6.4.3); the pattern
 *   needs at least two labels after the wildcard (`*.com` never matches; OpenSSL `valid_star`).
 * - Partial-label wildcards (`f*.example.com`) match only when `partialWildcards` is set: OpenSSL allows them
 *   unless X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, with the `*` at the start or the end of the label, never inside
 *   (`f*o` is refused: `valid_star`); Go, webpki and RFC 6125 (SHOULD NOT) refuse them. A partial wildcard never
 *   matches an IDNA A-label (`xn--`).
 * - The subject Common Name is consulted only when `commonName` is 'if-no-dns-san' and the certificate has no
 *   dNSName SAN (OpenSSL 3 default, libpq); Go ≥ 1.15 and webpki never read it.
 */
import type { CertView } from '../types.ts';
import { commonNames, type IpSyntax, parseIp, sameBytes } from './names.ts';

export interface HostnameOptions {
  readonly partialWildcards?: boolean;
  /** A certificate name with a trailing dot: matches the same host with the dot ('exact', default), or nothing. */
  readonly absoluteNames?: 'exact' | 'never';
  /** A trailing dot on the host: ignored (default), or part of the name (OpenSSL). */
  readonly hostDot?: 'ignored' | 'significant';
  readonly commonName?: 'never' | 'if-no-dns-san';
  /** How the client reads an IP literal host (leading zeros); a host that is not an IP is a DNS name. */
  readonly ipSyntax?: IpSyntax;
  /**
   * An IPv4 address equals its IPv4-mapped IPv6 form (::ffff:a.b.c.d): Go's `net.IP.Equal`, used by
   * `Certificate.VerifyHostname`. OpenSSL `X509_check_ip` and webpki compare the bytes, lengths included.
   */
  readonly ipv4Mapped?: boolean;
}

const V4_MAPPED = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** The IPv4 address an IPv4-mapped IPv6 address carries, else the address itself. */
function unmapped(ip: Uint8Array): Uint8Array {
  return ip.length === 16 && V4_MAPPED.every((b, i) => ip[i] === b) ? ip.subarray(12) : ip;
}

/** IP addresses compared as addresses (bytes), optionally with IPv4-mapped IPv6 equal to IPv4 (Go). */
export function sameIp(a: Uint8Array, b: Uint8Array, ipv4Mapped = false): boolean {
  return ipv4Mapped ? sameBytes(unmapped(a), unmapped(b)) : sameBytes(a, b);
}

export interface HostnameMatch {
  readonly matched: boolean;
  readonly host: string;
  readonly hostKind: 'dns' | 'ip';
  /** Which identifier matched. */
  readonly by?: 'dns-san' | 'ip-san' | 'common-name';
  readonly pattern?: string;
  /** Names the certificate is valid for (DNS + IP SANs; the CN only when it was consulted). */
  readonly validFor: readonly string[];
  /** The subject CN (most specific), for libpq's fallback and messages; null when absent. */
  readonly commonName: string | null;
  readonly commonNameConsulted: boolean;
  /** One sentence: what matched or why nothing did. */
  readonly detail: string;
}

function labels(name: string): string[] {
  return name.toLowerCase().replace(/\.$/, '').split('.');
}

/** Matches one DNS-ID pattern against a host (both already plain ASCII). */
export function matchDnsPattern(
  pattern: string,
  host: string,
  partialWildcards = false,
  absoluteNames: 'exact' | 'never' = 'exact',
  hostDot: 'ignored' | 'significant' = 'ignored',
): boolean {
  // A name with a trailing dot is no DNS-ID: OpenSSL and Go compare it exactly, as a whole; webpki never matches it.
  if (pattern.endsWith('.')) return absoluteNames === 'exact' && pattern.toLowerCase() === host.toLowerCase();
  if (hostDot === 'significant' && host.endsWith('.')) return false;
  const p = labels(pattern);
  const h = labels(host);
  if (p.length !== h.length || h.some((l) => l === '')) return false;
  const first = p[0] ?? '';
  const star = first.indexOf('*');
  if (pattern.indexOf('*') !== star && star >= 0) return false; // '*' outside the left-most label
  if (star < 0) return p.every((l, i) => l === h[i]);
  if (first.indexOf('*', star + 1) >= 0 || p.length < 3) return false;
  if (p.slice(1).some((l) => l.includes('*'))) return false;
  if (!p.slice(1).every((l, i) => l === h[i + 1])) return false;
  const hostLabel = h[0] ?? '';
  if (first === '*') return hostLabel.length > 0;
  if (!partialWildcards || hostLabel.startsWith('xn--') || first.startsWith('xn--')) return false;
  const prefix = first.slice(0, star);
  const suffix = first.slice(star + 1);
  if (prefix !== '' && suffix !== '') return false;
  return (
    hostLabel.length >= prefix.length + suffix.length &&
    hostLabel.startsWith(prefix) &&
    hostLabel.endsWith(suffix)
  );
}

export function matchHostname(cert: CertView, host: string, options: HostnameOptions = {}): HostnameMatch {
  const commonName = commonNames(cert).at(-1) ?? null;
  const dnsSans = cert.san?.dns ?? [];
  const ipSans = cert.san?.ip ?? [];
  const ip = parseIp(host, options.ipSyntax ?? {});
  if (ip) {
    const validFor = [...dnsSans, ...ipSans];
    const hit = ipSans.find((s) => {
      const b = parseIp(s);
      return b !== null && sameIp(b, ip, options.ipv4Mapped ?? false);
    });
    return {
      matched: hit !== undefined,
      host,
      hostKind: 'ip',
      ...(hit !== undefined ? { by: 'ip-san' as const, pattern: hit } : {}),
      validFor,
      commonName,
      commonNameConsulted: false,
      detail:
        hit !== undefined
          ? `IP address ${host} matches the iPAddress SAN ${hit}`
          : ipSans.length === 0
            ? `${host} is an IP address and the certificate has no iPAddress SAN (RFC 6125 §6.2.1: IPs match IP SANs only)`
            : `${host} is not among the certificate's iPAddress SANs (${ipSans.join(', ')})`,
    };
  }
  const partial = options.partialWildcards ?? false;
  const absolute = options.absoluteNames ?? 'exact';
  const dot = options.hostDot ?? 'ignored';
  const hit = dnsSans.find((p) => matchDnsPattern(p, host, partial, absolute, dot));
  const useCn = (options.commonName ?? 'never') === 'if-no-dns-san' && dnsSans.length === 0;
  const cnHit =
    hit === undefined &&
    useCn &&
    commonName !== null &&
    matchDnsPattern(commonName, host, partial, absolute, dot);
  const validFor = [...dnsSans, ...ipSans, ...(useCn && commonName !== null ? [commonName] : [])];
  const matched = hit !== undefined || cnHit;
  let detail: string;
  if (hit !== undefined) detail = `${host} matches the dNSName SAN ${hit}`;
  else if (cnHit)
    detail = `${host} matches the subject CN ${commonName} (no dNSName SAN, so the CN was consulted)`;
  else if (validFor.length === 0)
    detail =
      commonName !== null && !useCn
        ? `the certificate has no SAN names and its CN ${commonName} is not consulted by this client`
        : `the certificate names no host at all`;
  else detail = `${host} matches none of ${validFor.join(', ')}`;
  return {
    matched,
    host,
    hostKind: 'dns',
    ...(hit !== undefined
      ? { by: 'dns-san' as const, pattern: hit }
      : cnHit
        ? { by: 'common-name' as const, pattern: commonName ?? '' }
        : {}),
    validFor,
    commonName,
    commonNameConsulted: useCn,
    detail,
  };
}
