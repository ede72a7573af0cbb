/**
 * Host name matching: RFC 6125 §6.4.3 wildcard rules, OpenSSL's partial-label allowance
 * (X509_check_host without X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS), IP literals against iPAddress SANs only.
 */
import { describe, expect, it } from 'vitest';
import { matchDnsPattern } from '../../../../src/lib/pki/paths/hostname.ts';
import {
  dnsWithin,
  emailWithin,
  ipWithin,
  uriWithin,
} from '../../../../src/lib/pki/paths/name-constraints.ts';
import { parseIp } from '../../../../src/lib/pki/paths/names.ts';

describe('matchDnsPattern (RFC 6125 §6.4)', () => {
  it.each([
    ['www.example.com', 'www.example.com', true],
    ['WWW.Example.COM', 'www.example.com', true],
    ['www.example.com', 'www.example.com.', true],
    ['*.example.com', 'a.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'a.b.example.com', false],
    ['*.com', 'example.com', false],
    ['a.*.example.com', 'a.b.example.com', false],
    ['**.example.com', 'a.example.com', false],
    ['www.example.com.', 'www.example.com', false],
    // OpenSSL compares a name with a trailing dot byte for byte, Go exactly (matchExactly).
    ['www.example.com.', 'www.example.com.', true],
  ])('%s vs %s -> %s', (pattern, host, want) => {
    expect(matchDnsPattern(pattern, host)).toBe(want);
  });

  it('OpenSSL and Go compare a certificate name with a trailing dot as a whole: no wildcard in it', () => {
    expect(matchDnsPattern('*.example.com.', 'a.example.com.')).toBe(false);
    expect(matchDnsPattern('*.example.com.', '*.example.com.')).toBe(true);
    expect(matchDnsPattern('WWW.example.com.', 'www.EXAMPLE.com.')).toBe(true);
  });

  it("OpenSSL keeps the host's trailing dot (X509_check_host); Go and webpki drop it", () => {
    expect(matchDnsPattern('www.example.com', 'www.example.com.', false, 'exact', 'significant')).toBe(false);
    expect(matchDnsPattern('www.example.com', 'www.example.com.', false, 'exact', 'ignored')).toBe(true);
  });

  it('webpki never matches a certificate name with a trailing dot (dns_name.rs: absolute presented IDs)', () => {
    expect(matchDnsPattern('www.example.com.', 'www.example.com.', false, 'never')).toBe(false);
    expect(matchDnsPattern('www.example.com.', 'www.example.com', false, 'never')).toBe(false);
    // An absolute reference (host) still matches a relative presented name.
    expect(matchDnsPattern('www.example.com', 'www.example.com.', false, 'never')).toBe(true);
  });

  it('matches partial-label wildcards only when allowed, and never for IDNA A-labels', () => {
    expect(matchDnsPattern('f*.example.com', 'foo.example.com')).toBe(false);
    expect(matchDnsPattern('f*.example.com', 'foo.example.com', true)).toBe(true);
    expect(matchDnsPattern('*o.example.com', 'foo.example.com', true)).toBe(true);
    expect(matchDnsPattern('f*.example.com', 'bar.example.com', true)).toBe(false);
    expect(matchDnsPattern('x*.example.com', 'xn--bcher-kva.example.com', true)).toBe(false);
    // OpenSSL valid_star: the '*' at the start or the end of the label, never inside it.
    expect(matchDnsPattern('f*o.example.com', 'foo.example.com', true)).toBe(false);
  });
});

describe('name-constraint subtree matching (RFC 5280 §4.2.1.10)', () => {
  it('dNSName: a base covers itself and its subdomains; a leading dot only subdomains', () => {
    expect(dnsWithin('example.com', 'example.com')).toBe(true);
    expect(dnsWithin('a.example.com', 'example.com')).toBe(true);
    expect(dnsWithin('badexample.com', 'example.com')).toBe(false);
    expect(dnsWithin('example.com', '.example.com')).toBe(false);
    expect(dnsWithin('a.example.com', '.example.com')).toBe(true);
  });
  it('rfc822Name: mailbox, host, and domain forms', () => {
    expect(emailWithin('a@example.com', 'a@example.com')).toBe(true);
    expect(emailWithin('b@example.com', 'a@example.com')).toBe(false);
    expect(emailWithin('b@example.com', 'example.com')).toBe(true);
    expect(emailWithin('b@x.example.com', 'example.com')).toBe(false);
    expect(emailWithin('b@x.example.com', '.example.com')).toBe(true);
  });
  it('uniformResourceIdentifier: compares the host', () => {
    expect(uriWithin('http://www.example.com/x', 'www.example.com')).toBe(true);
    expect(uriWithin('http://www.example.com/x', '.example.com')).toBe(true);
    expect(uriWithin('http://example.com/x', '.example.com')).toBe(false);
  });
  it('iPAddress: address/prefix, IPv4 and IPv6', () => {
    expect(ipWithin('10.1.2.3', '10.0.0.0/8')).toBe(true);
    expect(ipWithin('11.1.2.3', '10.0.0.0/8')).toBe(false);
    expect(ipWithin('10.1.2.3', '10.0.0.0/255.0.0.0')).toBe(true);
    expect(ipWithin('2001:db8::1', '2001:db8::/32')).toBe(true);
    expect(ipWithin('2001:db9::1', '2001:db8::/32')).toBe(false);
    expect(ipWithin('10.1.2.3', '2001:db8::/32')).toBe(false);
  });
  it('parses IPv6 text forms', () => {
    expect([...(parseIp('::1') ?? [])]).toEqual([...Array(15).fill(0), 1]);
    expect([...(parseIp('::ffff:10.0.0.1') ?? [])].slice(10)).toEqual([255, 255, 10, 0, 0, 1]);
    expect(parseIp('1.2.3.256')).toBeNull();
    expect(parseIp('example.com')).toBeNull();
  });
});
