/**
 * The verdict classes of issue 13, each per profile, with the expected words taken from the clients' sources:
 * OpenSSL 3.0 crypto/x509/x509_vfy.c + x509_txt.c + v3_ncons.c, Go crypto/x509 verify.go / x509.go / parser.go
 * and crypto/rsa, rustls-webpki verify_cert.rs / signed_data.rs / subject_name. The openssl-3 rows are also
 * compared with the real CLI in tests/oracle/pki-openssl-auth-level.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { analyzeChain } from '../../../../src/lib/pki/index.ts';
import { wildcardMeets, checkNameConstraints } from '../../../../src/lib/pki/paths/name-constraints.ts';
import { matchHostname } from '../../../../src/lib/pki/paths/hostname.ts';
import type { CertView, PublicKeyView } from '../../../../src/lib/pki/types.ts';
import {
  analyze,
  generate,
  T0,
  type GeneratedGraph,
  type Template,
  type TrustGraphDescription,
} from '../../../kit/pure/trust-graph.ts';
import type { RunOptions } from '../../../kit/pure/trust-graph.ts';

const chain = (
  extra: Partial<Record<'inter' | 'leaf' | 'root', (t: Template) => void>> = {},
  rsa?: Record<string, number>,
): TrustGraphDescription => ({
  roots: ['root'],
  leaf: 'leaf',
  graph: [
    { issuer: 'root', subject: 'inter', ...(extra.inter ? { mutate: extra.inter } : {}) },
    { issuer: 'inter', subject: 'leaf', ...(extra.leaf ? { mutate: extra.leaf } : {}) },
  ],
  ...(extra.root ? { mutateRoot: { root: extra.root } } : {}),
  ...(rsa ? { rsa } : {}),
});

async function verdictsOf(g: GeneratedGraph, opts: RunOptions = {}): Promise<Record<string, string>> {
  const a = await analyze(g, { allProfiles: true, ...opts });
  return Object.fromEntries(
    (a.profiles ?? []).map((p) => [p.profile, p.valid ? 'ok' : (p.error?.message ?? '?')]),
  );
}

/** The same certificate with another public key description (WebCrypto cannot make P-192 or DSA keys). */
function withKey(cert: CertView, key: Partial<PublicKeyView>): CertView {
  return { ...cert, publicKey: { ...cert.publicKey, ...key } };
}

describe('wildcard SANs against excluded subtrees (CVE-2025-61727)', () => {
  it('a wildcard is the set of names it can match', () => {
    expect(wildcardMeets('*.example.com', 'bar.example.com')).toBe(true);
    expect(wildcardMeets('*.example.com', 'example.com')).toBe(true);
    expect(wildcardMeets('*.example.com', '.example.com')).toBe(true);
    expect(wildcardMeets('*.example.com', 'a.bar.example.com')).toBe(false);
    expect(wildcardMeets('*.example.com', '.bar.example.com')).toBe(false);
    expect(wildcardMeets('*.example.com', 'bar.example.org')).toBe(false);
    expect(wildcardMeets('*.example.com', 'xexample.com')).toBe(false);
  });

  it('refused by rfc5280, Go and webpki; accepted by OpenSSL, which compares the SAN text (openssl#30706)', async () => {
    const g = await generate(
      chain({
        inter: (t) => (t.excludedDns = ['bar.example.com']),
        leaf: (t) => (t.dns = ['*.example.com']),
      }),
    );
    const v = await verdictsOf(g, { hostname: 'bar.example.com' });
    expect(v).toEqual({
      rfc5280: expect.stringContaining('can match a name inside the excluded subtree bar.example.com'),
      'openssl-3': 'ok',
      'openssl-1.0.2': 'ok',
      go: 'x509: a root or intermediate certificate is not authorized to sign for this name: DNS name "*.example.com" is excluded by constraint "bar.example.com"',
      webpki: 'NameConstraintViolation',
    });
  });

  it('a wildcard whose names all stay outside the excluded subtree is accepted everywhere', async () => {
    const g = await generate(
      chain({
        inter: (t) => (t.excludedDns = ['a.bar.example.com']),
        leaf: (t) => (t.dns = ['*.example.com']),
      }),
    );
    expect(Object.values(await verdictsOf(g, { hostname: 'foo.example.com' }))).toEqual(Array(5).fill('ok'));
  });

  it('a wildcard that can leave a permitted subtree is refused (the set must be inside it)', async () => {
    const g = await generate(
      chain({
        inter: (t) => (t.permittedDns = ['bar.example.com']),
        leaf: (t) => (t.dns = ['*.example.com']),
      }),
    );
    const v = await verdictsOf(g);
    expect(v.go).toContain('DNS name "*.example.com" is not permitted by any constraint');
    expect(v.webpki).toBe('NameConstraintViolation');
    expect(v['openssl-3']).toBe('permitted subtree violation');
  });
});

describe('weak algorithms per profile', () => {
  it('an RSA-1024 intermediate: OpenSSL 3 at auth_level 2 refuses it (67), Go accepts (>= 1024), webpki refuses the signature', async () => {
    const g = await generate(chain({}, { inter: 1024 }));
    const v = await verdictsOf(g);
    expect(v['openssl-3']).toBe('CA certificate key too weak');
    expect(v['openssl-1.0.2']).toBe('ok'); // no security levels before 1.1.0
    expect(v.go).toBe('ok');
    expect(v.webpki).toBe('InvalidSignatureForPublicKey');
    expect(v.rfc5280).toBe('ok'); // RFC 5280 has no algorithm policy: a warning
    const a = await analyze(g);
    expect(a.paths[0]?.reasons.map((r) => [r.code, r.severity])).toEqual([['weak-key', 'warning']]);
  });

  it('an RSA-1024 leaf: OpenSSL 3 stops before building the chain (66); webpki/rustls cannot use the key', async () => {
    const g = await generate(chain({}, { leaf: 1024 }));
    const v = await verdictsOf(g);
    expect(v['openssl-3']).toBe('EE certificate key too weak');
    expect(v.go).toBe('ok');
    expect(v.webpki).toBe('InvalidSignatureForPublicKey');
  });

  it('an RSA-512 issuer: Go crypto/rsa refuses keys below 1024 bits (the candidate hint)', async () => {
    const g = await generate(chain({}, { inter: 512 }));
    const v = await verdictsOf(g);
    expect(v.go).toBe(
      'x509: certificate signed by unknown authority (possibly because of "crypto/rsa: 512-bit keys are insecure (see https://go.dev/pkg/crypto/rsa#hdr-Minimum_key_size)" while trying to verify candidate authority certificate "inter")',
    );
    expect(v['openssl-3']).toBe('CA certificate key too weak');
  });

  it('a SHA-1 signature on the leaf: OpenSSL 68 at depth 0, Go insecure algorithm, webpki unsupported', async () => {
    const g = await generate(chain({ leaf: (t) => (t.sha1 = true) }));
    const a = await analyze(g, { allProfiles: true });
    const o3 = a.profiles?.find((p) => p.profile === 'openssl-3');
    expect([o3?.error?.number, o3?.error?.depth, o3?.error?.message]).toEqual([
      68,
      0,
      'CA signature digest algorithm too weak',
    ]);
    const v = Object.fromEntries((a.profiles ?? []).map((p) => [p.profile, p.error?.message ?? 'ok']));
    expect(v.go).toContain('insecure algorithm ECDSA-SHA1');
    expect(v.webpki).toBe('UnsupportedSignatureAlgorithm');
  });

  it('a SHA-1 self-signed root is fine: no client checks the trust anchor’s own signature', async () => {
    const g = await generate(chain({ root: (t) => (t.sha1 = true) }));
    expect(Object.values(await verdictsOf(g))).toEqual(Array(5).fill('ok'));
  });

  it('a P-192 leaf: OpenSSL 66 (96 bits), Go cannot parse it, webpki has no algorithm for the key', async () => {
    const g = await generate(chain());
    const leaf = withKey(g.leaf, { algorithm: 'EC', curve: 'P-192', bits: 192 });
    const a = await analyze({ ...g, leaf }, { allProfiles: true });
    const v = Object.fromEntries((a.profiles ?? []).map((p) => [p.profile, p.error?.message ?? 'ok']));
    expect(v['openssl-3']).toBe('EE certificate key too weak');
    expect(v.go).toBe('tls: failed to parse certificate from server: x509: unsupported elliptic curve');
    expect(v.webpki).toBe('UnsupportedSignatureAlgorithmForPublicKey');
  });

  it('a DSA-1024 intermediate: OpenSSL 67, Go has no DSA verifier, webpki no DSA algorithm', async () => {
    const g = await generate(chain());
    const inter = withKey(g.intermediates[0] as CertView, { algorithm: 'DSA', bits: 1024 });
    // A DSA key signs with a DSA algorithm: OpenSSL 3 takes no issuer whose key type the child's signature
    // algorithm does not name (check_sig_alg_match).
    const leaf: CertView = {
      ...g.leaf,
      signatureAlgorithm: { oid: '2.16.840.1.101.3.4.3.2', name: 'dsa-with-SHA256', hash: 'SHA-256' },
    };
    const a = await analyze({ ...g, leaf, intermediates: [inter] }, { allProfiles: true });
    const v = Object.fromEntries((a.profiles ?? []).map((p) => [p.profile, p.error?.message ?? 'ok']));
    expect(v['openssl-3']).toBe('CA certificate key too weak');
    expect(v.go).toContain('x509: cannot verify signature: algorithm unimplemented');
    expect(v.webpki).toBe('UnsupportedSignatureAlgorithm');
  });
});

describe('an unparseable first certificate', () => {
  it('ends in an error that names it, in every profile, never in a verdict about the next certificate', async () => {
    const g = await generate(chain());
    const broken = g.leafPem.replace(/\n([A-Za-z0-9+/]{20})/, '\n!!!!$1');
    // Judged alone, the intermediate would be valid (no host name): the old behaviour said "valid".
    const a = await analyzeChain({
      certificates: broken + g.intermediatePems.join(''),
      trustAnchors: g.rootPems.join(''),
      time: T0,
      compareProfiles: true,
    });
    expect(a.leaf).toBeNull();
    expect(a.paths).toEqual([]);
    expect(a.verdict.valid).toBe(false);
    expect(a.verdict.error?.code).toBe('unparseable-leaf');
    expect(a.verdict.error?.message).toMatch(
      /^the first certificate the peer sent \(certificates, PEM CERTIFICATE, lines 1-\d+\) could not be parsed: base64 is invalid/,
    );
    expect(a.profiles?.map((p) => [p.profile, p.valid])).toEqual([
      ['rfc5280', false],
      ['openssl-3', false],
      ['openssl-1.0.2', false],
      ['go', false],
      ['webpki', false],
    ]);
  });

  it('the same with DER elements: element #1 does not parse', async () => {
    const g = await generate(chain());
    const a = await analyzeChain({
      certificates: [new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), g.intermediates[0]!.der],
      trustAnchors: [g.roots[0]!.der],
      time: T0,
    });
    expect(a.verdict.error?.code).toBe('unparseable-leaf');
    expect(a.verdict.error?.message).toContain('certificates #1');
  });
});

describe('budget: many names x many constraints', () => {
  const many = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

  it('ends in a clear budget error in every profile, never valid', async () => {
    const g = await generate(
      chain({
        inter: (t) => (t.permittedDns = many(1100, (i) => `n${i}.example.com`)),
        leaf: (t) => (t.dns = many(1100, (i) => `n${i}.example.com`)),
      }),
    );
    const a = await analyze(g, { allProfiles: true });
    const v = Object.fromEntries((a.profiles ?? []).map((p) => [p.profile, p.error?.message ?? 'ok']));
    expect(v.rfc5280).toMatch(
      /^gave up: checking the names of "leaf" against the name constraints of "inter" needs more than 1000000 comparisons/,
    );
    expect(v['openssl-3']).toBe('unspecified certificate verification error');
    expect(v.go).toBe('x509: unknown error');
    expect(v.webpki).toBe('MaximumNameConstraintComparisonsExceeded');
    expect(a.paths.every((p) => !p.valid)).toBe(true);
  });

  it('below the budgets the same shape is checked name by name (and valid)', async () => {
    const g = await generate(
      chain({
        inter: (t) => (t.permittedDns = many(200, (i) => `n${i}.example.com`)),
        leaf: (t) => (t.dns = many(200, (i) => `n${i}.example.com`)),
      }),
    );
    expect(Object.values(await verdictsOf(g))).toEqual(Array(5).fill('ok'));
  });
});

describe('malformed name constraints', () => {
  it('an iPAddress constraint without a mask: rfc5280 refuses the CA, Go cannot parse it, webpki InvalidNetworkMaskConstraint, OpenSSL 53', async () => {
    const g = await generate(chain({ leaf: (t) => (t.ips = ['10.1.2.3']) }));
    const inter = g.intermediates[0] as CertView;
    const nc = { permitted: [{ kind: 'ip' as const, value: '10.0.0.0' }], excluded: [] };
    const a = await analyze(
      { ...g, intermediates: [{ ...inter, nameConstraints: nc }] },
      { allProfiles: true },
    );
    const v = Object.fromEntries((a.profiles ?? []).map((p) => [p.profile, p.error?.message ?? 'ok']));
    expect(v.rfc5280).toContain('has a malformed name constraint: iPAddress constraint 10.0.0.0 has no mask');
    expect(v.go).toBe(
      'tls: failed to parse certificate from server: x509: IP constraint contained value of length 4',
    );
    expect(v.webpki).toBe('InvalidNetworkMaskConstraint');
    expect(v['openssl-3']).toBe('unsupported or invalid name syntax');
  });

  it('an IP name is compared as parsed bytes, and a non-contiguous mask is applied only by OpenSSL', () => {
    const name = {
      kind: 'ip' as const,
      value: '10.5.0.7',
      source: 'san' as const,
      ip: Uint8Array.of(10, 5, 0, 7),
    };
    const nc = { permitted: [{ kind: 'ip' as const, value: '10.0.0.0/255.0.255.0' }], excluded: [] };
    expect(checkNameConstraints([name], nc).map((v) => v.kind)).toEqual(['malformed']);
    expect(checkNameConstraints([name], nc, { contiguousMasks: false })).toEqual([]);
  });
});

describe('host names: IPs as addresses, per client', () => {
  const ipLeaf = (ips: string[], dns: string[] = ['leaf.example.com']) =>
    chain({ leaf: (t) => ((t.ips = ips), (t.dns = dns)) });

  it('127.000.000.001: OpenSSL reads it as 127.0.0.1 (a2i_ipadd); Go and Rust do not parse it as an IP', async () => {
    const v = await verdictsOf(await generate(ipLeaf(['127.0.0.1'])), { hostname: '127.000.000.001' });
    expect(v['openssl-3']).toBe('ok');
    expect(v.go).toBe('x509: certificate is valid for leaf.example.com, not 127.000.000.001');
    expect(v.webpki).toBe('CertNotValidForName');
  });

  it('IPv6 forms are compared as addresses; IPv4-mapped IPv6 equals IPv4 only in Go (net.IP.Equal)', async () => {
    const g = await generate(ipLeaf(['127.0.0.1', '2001:db8::1']));
    expect(Object.values(await verdictsOf(g, { hostname: '2001:0DB8:0:0:0:0:0:1' }))).toEqual(
      Array(5).fill('ok'),
    );
    const mapped = await verdictsOf(g, { hostname: '::ffff:127.0.0.1' });
    expect(mapped.go).toBe('ok');
    expect(mapped['openssl-3']).toBe('IP address mismatch');
    expect(mapped.webpki).toBe('CertNotValidForName');
  });

  it('an IP in the CN is not a DNS name and never matches an IP host', async () => {
    const g = await generate(chain({ leaf: (t) => (t.dns = []) }));
    const leaf = g.leaf;
    const cn = {
      ...leaf,
      subject: { ...leaf.subject, rdns: [[{ oid: '2.5.4.3', type: 'CN', value: '127.0.0.1' }]] },
    };
    expect(matchHostname(cn, '127.0.0.1', { commonName: 'if-no-dns-san' }).matched).toBe(false);
    const v = await verdictsOf({ ...g, leaf: cn }, { hostname: '127.0.0.1' });
    expect(v['openssl-3']).toBe('IP address mismatch');
    expect(v.go).toBe(
      "x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs",
    );
    expect(v.webpki).toBe('CertNotValidForName');
    expect(v.rfc5280).toContain('is not valid for 127.0.0.1');
  });

  it('CN fallback: OpenSSL only without a DNS SAN, Go and webpki never', async () => {
    const cnOnly = await generate(chain({ leaf: (t) => (t.dns = []) }));
    const v = await verdictsOf(cnOnly, { hostname: 'leaf' });
    expect(v['openssl-3']).toBe('ok');
    // No SAN extension and the CN matches: Go's HostnameError says why it will not use it.
    expect(v.go).toBe('x509: certificate relies on legacy Common Name field, use SANs instead');
    expect(v.webpki).toBe('CertNotValidForName');
    const withSan = await generate(chain({ leaf: (t) => (t.dns = ['other.example.com']) }));
    expect((await verdictsOf(withSan, { hostname: 'leaf' }))['openssl-3']).toBe('hostname mismatch');
  });
});
