/**
 * Host-name rules. libpq: fe-secure-common.c wildcard_certificate_match(), pq_verify_peer_name_matches_certificate()
 * and fe-secure-openssl.c pgtls_verify_peer_name_matches_certificate_guts() (PG15-18). Node: lib/tls.js
 * checkServerIdentity() (Node 20). Error texts: libpq's (three variants), Node's ERR_TLS_CERT_ALTNAME_INVALID.
 */
import { describe, expect, it } from 'vitest';
import {
  libpqHostnameCheck,
  libpqWildcardMatch,
  nodeCheckServerIdentity,
  type LeafNames,
} from '../../../src/lib/sslmode/hostname.ts';

const leaf = (san: [string, string][], cn: string[] = []): LeafNames => ({
  san: san.map(([kind, value]) => ({ kind: kind as 'dns' | 'ip', value })),
  commonNames: cn,
  subject: cn.length ? `CN=${cn[0]}` : '',
  keyType: 'EC P-256',
  notAfter: '2030-01-01T00:00:00Z',
});

describe('libpq wildcard_certificate_match', () => {
  it.each([
    ['*.example.test', 'db.example.test', true],
    ['*.example.test', 'DB.Example.TEST', true],
    ['*.example.test', 'example.test', false],
    ['*.example.test', 'a.b.example.test', false],
    ['f*.example.test', 'foo.example.test', false],
    ['*', 'anything', false],
    ['db.*.test', 'db.example.test', false],
  ])('%s vs %s -> %s', (pattern, host, expected) => {
    expect(libpqWildcardMatch(pattern, host)).toBe(expected);
  });
});

describe('libpq verify-full host-name check', () => {
  it('matches a dNSName SAN case-insensitively', () => {
    expect(libpqHostnameCheck('db.EXAMPLE.test', leaf([['dns', 'db.example.test']]))).toEqual({
      ok: true,
      matched: 'DNS:db.example.test',
    });
  });
  it('ignores the CN of a DNS host when any dNSName SAN exists', () => {
    const r = libpqHostnameCheck('cn.example.test', leaf([['dns', 'db.example.test']], ['cn.example.test']));
    expect(r).toEqual({
      ok: false,
      error: 'server certificate for "db.example.test" does not match host name "cn.example.test"',
    });
  });
  it('falls back to the first CN when there is no dNSName SAN', () => {
    expect(libpqHostnameCheck('cnonly.example.test', leaf([], ['cnonly.example.test']))).toEqual({
      ok: true,
      matched: 'CN=cnonly.example.test',
    });
  });
  it('for an IP host uses the CN when there is no iPAddress SAN, even with dNSName SANs (counted in the message)', () => {
    const r = libpqHostnameCheck('127.0.0.1', leaf([['dns', '*.example.test']], ['wildcard']));
    expect(r).toEqual({
      ok: false,
      error:
        'server certificate for "*.example.test" (and 1 other name) does not match host name "127.0.0.1"',
    });
  });
  it('compares an IP host byte for byte with iPAddress SANs (IPv6 text forms need not match)', () => {
    expect(libpqHostnameCheck('127.0.0.1', leaf([['ip', '127.0.0.1']])).ok).toBe(true);
    expect(libpqHostnameCheck('::1', leaf([['ip', '0:0:0:0:0:0:0:1']])).ok).toBe(true);
  });
  it('names the first name examined and counts the others', () => {
    const r = libpqHostnameCheck(
      '127.0.0.2',
      leaf(
        [
          ['dns', 'db.example.test'],
          ['dns', 'alt.example.test'],
          ['ip', '127.0.0.1'],
        ],
        ['db.example.test'],
      ),
    );
    expect(r).toEqual({
      ok: false,
      error:
        'server certificate for "db.example.test" (and 2 other names) does not match host name "127.0.0.2"',
    });
  });
  it('fails without any name to examine', () => {
    expect(libpqHostnameCheck('db', leaf([]))).toEqual({
      ok: false,
      error: "could not get server's host name from server certificate",
    });
  });
  it('needs host= (hostaddr alone gives no name)', () => {
    expect(libpqHostnameCheck(undefined, leaf([['dns', 'db']]))).toEqual({
      ok: false,
      error: 'host name must be specified for a verified SSL connection',
    });
  });
});

describe('Node checkServerIdentity', () => {
  const cert = leaf(
    [
      ['dns', 'db.example.test'],
      ['dns', 'alt.example.test'],
      ['ip', '127.0.0.2'],
    ],
    ['db.example.test'],
  );
  it('prints the altnames list when a DNS host is missing', () => {
    expect(nodeCheckServerIdentity('localhost', cert)).toEqual({
      ok: false,
      error:
        "Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:db.example.test, DNS:alt.example.test, IP Address:127.0.0.2",
    });
  });
  it('checks IP hosts against iPAddress SANs only', () => {
    expect(nodeCheckServerIdentity('127.0.0.2', cert).ok).toBe(true);
    expect(nodeCheckServerIdentity('127.0.0.1', cert)).toEqual({
      ok: false,
      error:
        "Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: 127.0.0.2",
    });
  });
  it('allows a partial wildcard in the first label, unlike libpq', () => {
    expect(nodeCheckServerIdentity('foo.example.test', leaf([['dns', 'f*.example.test']])).ok).toBe(true);
    expect(libpqWildcardMatch('f*.example.test', 'foo.example.test')).toBe(false);
  });
});
