/**
 * Host-name checks as each client does them. These are the clients' own code, not RFC 6125:
 *
 * - libpq (`sslmode=verify-full`): `fe-secure-openssl.c pgtls_verify_peer_name_matches_certificate_guts()`,
 *   `fe-secure-common.c pq_verify_peer_name_matches_certificate()`, `pq_verify_peer_name_matches_certificate_name()`,
 *   `pq_verify_peer_name_matches_certificate_ip()`, `wildcard_certificate_match()` (identical in PG15-18).
 * - Node.js (node-postgres): `lib/tls.js checkServerIdentity()` (Node 20).
 */

import type { CertView } from '../pki/types.ts';
import { formatIp } from '../pki/adapter/general-names.ts';
import { ipBytes, numericHost } from './hba.ts';
import type { Scenario } from './types.ts';

/**
 * A host name's addresses as the scenario resolves it (localhost is 127.0.0.1 unless the scenario says
 * otherwise); undefined when the name does not resolve. Only the scenario's own names count, never a key
 * every object has ("constructor").
 */
export function resolveName(resolve: Scenario['resolve'], name: string): readonly string[] | undefined {
  const table: Readonly<Record<string, readonly string[]>> = { localhost: ['127.0.0.1'], ...(resolve ?? {}) };
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** The parts of a server certificate the host-name rules read, in wire order. */
export interface LeafNames {
  /** Subject alternative names in wire order (only dNSName and iPAddress matter here). */
  readonly san: readonly { readonly kind: 'dns' | 'ip'; readonly value: string }[];
  /** Every CN of the subject, in order (libpq reads only the first). */
  readonly commonNames: readonly string[];
  readonly subject: string;
  /** "RSA 2048", "EC P-256" ... */
  readonly keyType: string;
  readonly notAfter: string;
}

export function leafNamesOf(cert: CertView): LeafNames {
  const san: { kind: 'dns' | 'ip'; value: string }[] = [];
  for (const n of cert.san?.all ?? [])
    if (n.kind === 'dns' || n.kind === 'ip') san.push({ kind: n.kind, value: n.value });
  const commonNames: string[] = [];
  for (const rdn of cert.subject.rdns)
    for (const a of rdn) if (a.oid === '2.5.4.3') commonNames.push(a.value);
  const pk = cert.publicKey;
  const keyType = pk.algorithm === 'EC' ? `EC ${pk.curve ?? pk.bits}` : `${pk.algorithm} ${pk.bits}`;
  return { san, commonNames, subject: cert.subject.rfc4514, keyType, notAfter: cert.validity.notAfter };
}

export type NameCheck =
  { readonly ok: true; readonly matched: string } | { readonly ok: false; readonly error: string };

/** fe-secure-common.c `wildcard_certificate_match()`: only a leading "*." and "*" never spans a dot. */
export function libpqWildcardMatch(pattern: string, host: string): boolean {
  if (pattern.length < 3 || !pattern.startsWith('*.')) return false;
  if (pattern.length > host.length) return false;
  // The pattern's tail (".example.test") must equal the end of the host, case-insensitively ...
  const tailStart = host.length - pattern.length + 1;
  if (pattern.slice(1).toLowerCase() !== host.slice(tailStart).toLowerCase()) return false;
  // ... and the part the '*' stands for must not contain a dot.
  const firstDot = host.indexOf('.');
  if (firstDot !== -1 && firstDot < tailStart) return false;
  return true;
}

/**
 * `inet_pton()` for IPv4 or IPv6: a strict IP literal (dotted quad), as Node's net.isIP reads one. libpq reads
 * more (`inet_aton()`: "127.1"): `libpqNumericAddress`.
 */
export function isIpLiteral(host: string): boolean {
  return ipBytes(host) !== null;
}

/**
 * libpq's address for an IP host or hostaddr (getaddrinfo AI_NUMERICHOST, printed back with inet_ntop): "127.1"
 * is 127.0.0.1; null when the text is not an IP literal in glibc's reading.
 */
export function libpqNumericAddress(host: string): string | null {
  const bytes = numericHost(host);
  return bytes === null ? null : formatIp(bytes);
}

/**
 * The client's source address for a connection to `address` on the server's own machine, the lab's setting
 * (Linux source selection): 127.0.0.1 for any 127.0.0.0/8 address (lo's primary address; psql 15 to 127.0.0.2
 * gets `no pg_hba.conf entry for host "127.0.0.1"`), else the dialled local address itself.
 */
export function sameMachineSource(address: string): string {
  const bytes = numericHost(address);
  return bytes !== null && bytes.length === 4 && bytes[0] === 127 ? '127.0.0.1' : address;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * libpq `verify-full`: `host` (never `hostaddr`) against the certificate.
 * dNSName SANs are compared (case-insensitive, leading-"*." wildcard) even when host is an IP literal;
 * iPAddress SANs byte for byte; the first CN only when there is no SAN of the host's kind.
 */
export function libpqHostnameCheck(host: string | undefined, leaf: LeafNames): NameCheck {
  if (!host) return { ok: false, error: 'host name must be specified for a verified SSL connection' };
  const hostIp = numericHost(host);
  let examined = 0;
  let firstName: string | null = null;
  let hasDns = false;
  let hasIp = false;
  for (const name of leaf.san) {
    if (name.kind === 'dns') {
      hasDns = true;
      examined++;
      firstName ??= name.value;
      if (name.value.toLowerCase() === host.toLowerCase() || libpqWildcardMatch(name.value, host)) {
        return { ok: true, matched: `DNS:${name.value}` };
      }
    } else {
      hasIp = true;
      examined++;
      firstName ??= name.value;
      const certIp = ipBytes(name.value);
      if (hostIp && certIp && sameBytes(hostIp, certIp)) return { ok: true, matched: `IP:${name.value}` };
    }
  }
  // "If connhost contains a DNS name, and the certificate's SANs contain any dNSName entries, then we'll
  // ignore the Subject Common Name entirely"; for an IP host the same holds for iPAddress SANs.
  const useCn = hostIp ? !hasIp : !hasDns;
  const cn = leaf.commonNames[0];
  if (useCn && cn !== undefined) {
    examined++;
    firstName ??= cn;
    if (cn.toLowerCase() === host.toLowerCase() || (!hostIp && libpqWildcardMatch(cn, host))) {
      return { ok: true, matched: `CN=${cn}` };
    }
  }
  if (examined === 0 || firstName === null) {
    return { ok: false, error: "could not get server's host name from server certificate" };
  }
  if (examined === 1) {
    return { ok: false, error: `server certificate for "${firstName}" does not match host name "${host}"` };
  }
  const others = examined - 1;
  return {
    ok: false,
    error: `server certificate for "${firstName}" (and ${others} other name${others === 1 ? '' : 's'}) does not match host name "${host}"`,
  };
}

/** How Node prints `cert.subjectaltname`: "DNS:a, DNS:b, IP Address:127.0.0.2". */
export function nodeAltNames(leaf: LeafNames): string {
  return leaf.san.map((n) => (n.kind === 'dns' ? `DNS:${n.value}` : `IP Address:${n.value}`)).join(', ');
}

/** Node `tls.js check()`: wildcard only in the left-most label of a pattern with 3+ labels. */
function nodeWildcardCheck(host: string, pattern: string): boolean {
  const hostParts = host.toLowerCase().split('.');
  const patternParts = pattern.toLowerCase().replace(/\.$/, '').split('.');
  if (hostParts.length !== patternParts.length) return false;
  if (patternParts.includes('')) return false;
  for (let i = patternParts.length - 1; i > 0; i--) if (hostParts[i] !== patternParts[i]) return false;
  const hostSub = hostParts[0] ?? '';
  const patternSub = patternParts[0] ?? '';
  if (patternSub === hostSub) return true;
  if (!patternSub.includes('*') || patternParts.length <= 2) return false;
  const star = patternSub.indexOf('*');
  if (patternSub.indexOf('*', star + 1) !== -1) return false;
  const prefix = patternSub.slice(0, star);
  const suffix = patternSub.slice(star + 1);
  if ((prefix || suffix) && hostSub.startsWith('xn--')) return false;
  return (
    hostSub.length >= prefix.length + suffix.length && hostSub.startsWith(prefix) && hostSub.endsWith(suffix)
  );
}

/** Node `tls.checkServerIdentity(hostname, cert)`; the error is `ERR_TLS_CERT_ALTNAME_INVALID`'s message. */
export function nodeCheckServerIdentity(hostname: string, leaf: LeafNames): NameCheck {
  const host = hostname.replace(/\.$/, '');
  const dns = leaf.san.filter((n) => n.kind === 'dns').map((n) => n.value);
  const ips = leaf.san.filter((n) => n.kind === 'ip').map((n) => n.value);
  let reason: string;
  if (isIpLiteral(host)) {
    const hb = ipBytes(host)!;
    if (ips.some((ip) => sameBytes(ipBytes(ip) ?? new Uint8Array(), hb)))
      return { ok: true, matched: `IP:${host}` };
    reason = `IP: ${host} is not in the cert's list: ${ips.join(', ')}`;
  } else if (dns.length > 0) {
    const hit = dns.find((p) => nodeWildcardCheck(host, p));
    if (hit) return { ok: true, matched: `DNS:${hit}` };
    reason = `Host: ${host}. is not in the cert's altnames: ${nodeAltNames(leaf)}`;
  } else if (leaf.commonNames.length > 0) {
    const hit = leaf.commonNames.find((p) => nodeWildcardCheck(host, p));
    if (hit) return { ok: true, matched: `CN=${hit}` };
    reason = `Host: ${host}. is not cert's CN: ${leaf.commonNames.join(',')}`;
  } else {
    reason = 'Cert does not contain a DNS name';
  }
  return { ok: false, error: `Hostname/IP does not match certificate's altnames: ${reason}` };
}

/**
 * libpq's check as the Chain Lab and `tls-lab chain` apply it to the openssl-3 verdict (pki's `HostCheck`): libpq
 * asks OpenSSL for the chain only and compares the name itself, in its own words.
 */
export function libpqHostCheck(host: string, leaf: CertView): string | null {
  const r = libpqHostnameCheck(host, leafNamesOf(leaf));
  return r.ok ? null : r.error;
}
