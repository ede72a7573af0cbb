/**
 * Path building as trust-graph descriptions (Go TestPathBuilding style, crypto/x509/verify_test.go): the
 * certificates are generated per case; expected results are the chains as "CN=leaf -> CN=inter -> CN=root".
 */
import { describe, expect, it } from 'vitest';
import { allChains, analyze, DAY, generate, T0, validChains, x509 } from '../../../kit/pure/trust-graph.ts';

const expired = (t: { notAfter: Date; notBefore: Date }) => {
  t.notBefore = new Date(T0.getTime() - 400 * DAY);
  t.notAfter = new Date(T0.getTime() - DAY);
};

describe('buildPaths over generated trust graphs', () => {
  it('finds the single path root -> inter -> leaf', async () => {
    const g = await generate({
      roots: ['root'],
      leaf: 'leaf',
      graph: [
        { issuer: 'root', subject: 'inter' },
        { issuer: 'inter', subject: 'leaf' },
      ],
    });
    const a = await analyze(g);
    expect(validChains(a)).toEqual(['CN=leaf -> CN=inter -> CN=root']);
    expect(a.verdict.valid).toBe(true);
    expect(a.truncated).toBe(false);
  });

  it('returns both paths of a cross-signed intermediate when both roots are trusted, grouped as one identity', async () => {
    const g = await generate({
      roots: ['root a', 'root b'],
      leaf: 'leaf',
      graph: [
        { issuer: 'root a', subject: 'inter' },
        { issuer: 'root b', subject: 'inter' },
        { issuer: 'inter', subject: 'leaf' },
      ],
    });
    const a = await analyze(g);
    expect(validChains(a)).toEqual(['CN=leaf -> CN=inter -> CN=root a', 'CN=leaf -> CN=inter -> CN=root b']);
    const inter = a.graph.identities.find((i) => i.subject === 'CN=inter');
    expect(inter?.certificateIds).toHaveLength(2);
  });

  it('ignores cross-sig loops (Go "ignore cross-sig loops")', async () => {
    // root -> inter a <-> inter b (signed by each other), inter c -> inter a, inter b -> leaf
    const g = await generate({
      roots: ['root'],
      leaf: 'leaf',
      graph: [
        { issuer: 'root', subject: 'inter a' },
        { issuer: 'inter a', subject: 'inter b' },
        { issuer: 'inter b', subject: 'inter a' },
        { issuer: 'inter a', subject: 'inter c' },
        { issuer: 'inter c', subject: 'inter b' },
        { issuer: 'inter b', subject: 'leaf' },
      ],
    });
    const a = await analyze(g);
    expect(validChains(a)).toEqual([
      'CN=leaf -> CN=inter b -> CN=inter a -> CN=root',
      'CN=leaf -> CN=inter b -> CN=inter c -> CN=inter a -> CN=root',
    ]);
    expect(a.truncated).toBe(false);
  });

  it('keeps an expired alternate as an invalid path and validates through the other root', async () => {
    const g = await generate({
      roots: ['root a', 'root b'],
      leaf: 'leaf',
      graph: [
        { issuer: 'root a', subject: 'inter', mutate: expired },
        { issuer: 'root b', subject: 'inter' },
        { issuer: 'inter', subject: 'leaf' },
      ],
    });
    const a = await analyze(g);
    expect(allChains(a)).toEqual(['CN=leaf -> CN=inter -> CN=root a', 'CN=leaf -> CN=inter -> CN=root b']);
    expect(validChains(a)).toEqual(['CN=leaf -> CN=inter -> CN=root b']);
    const bad = a.paths.find((p) => !p.valid);
    expect(bad?.reasons.map((r) => r.code)).toEqual(['expired']);
    expect(bad?.reasons[0]?.certificate.subject).toBe('CN=inter');
    expect(bad?.reasons[0]?.message).toMatch(/"inter" expired at 2024-12-31T00:00:00/);
    expect(a.verdict.valid).toBe(true);
  });

  it('rejects a path longer than an intermediate pathLenConstraint allows, naming the constraining CA', async () => {
    const g = await generate({
      roots: ['root'],
      leaf: 'leaf',
      graph: [
        { issuer: 'root', subject: 'inter a', mutate: (t) => (t.pathLen = 0) },
        { issuer: 'inter a', subject: 'inter b' },
        { issuer: 'inter b', subject: 'leaf' },
      ],
    });
    const a = await analyze(g);
    expect(allChains(a)).toEqual(['CN=leaf -> CN=inter b -> CN=inter a -> CN=root']);
    expect(a.paths[0]?.reasons.map((r) => [r.code, r.certificate.subject, r.rule])).toEqual([
      ['path-length-exceeded', 'CN=inter a', 'RFC 5280 §4.2.1.9'],
    ]);
    expect(a.verdict.valid).toBe(false);
  });

  it('accepts a pathLenConstraint of 0 directly above the leaf', async () => {
    const g = await generate({
      roots: ['root'],
      leaf: 'leaf',
      graph: [
        { issuer: 'root', subject: 'inter', mutate: (t) => (t.pathLen = 0) },
        { issuer: 'inter', subject: 'leaf' },
      ],
    });
    expect(validChains(await analyze(g))).toEqual(['CN=leaf -> CN=inter -> CN=root']);
  });

  it('enforces dNSName name constraints on the leaf SANs (permitted and excluded)', async () => {
    const mk = (dns: string) =>
      generate({
        roots: ['root'],
        leaf: 'leaf',
        graph: [
          {
            issuer: 'root',
            subject: 'inter',
            mutate: (t) => ((t.permittedDns = ['example.com']), (t.excludedDns = ['bad.example.com'])),
          },
          { issuer: 'inter', subject: 'leaf', mutate: (t) => (t.dns = [dns]) },
        ],
      });
    expect((await analyze(await mk('www.example.com'))).verdict.valid).toBe(true);
    const outside = await analyze(await mk('www.example.org'));
    expect(outside.paths[0]?.reasons.map((r) => r.code)).toEqual(['name-constraint-permitted']);
    expect(outside.paths[0]?.reasons[0]?.message).toContain('www.example.org');
    const excluded = await analyze(await mk('x.bad.example.com'));
    expect(excluded.paths[0]?.reasons.map((r) => r.code)).toEqual(['name-constraint-excluded']);
  });

  it('enforces iPAddress name constraints', async () => {
    const mk = (ip: string) =>
      generate({
        roots: ['root'],
        leaf: 'leaf',
        graph: [
          { issuer: 'root', subject: 'inter', mutate: (t) => (t.permittedIp = ['10.0.0.0/8']) },
          { issuer: 'inter', subject: 'leaf', mutate: (t) => ((t.dns = []), (t.ips = [ip])) },
        ],
      });
    expect((await analyze(await mk('10.1.2.3'))).verdict.valid).toBe(true);
    expect((await analyze(await mk('192.168.1.1'))).paths[0]?.reasons.map((r) => r.code)).toEqual([
      'name-constraint-permitted',
    ]);
  });

  it('applies EKU: a clientAuth-only leaf fails serverAuth, and an intermediate EKU restricts its subtree', async () => {
    const leafOnly = await generate({
      roots: ['root'],
      leaf: 'leaf',
      graph: [
        { issuer: 'root', subject: 'inter' },
        { issuer: 'inter', subject: 'leaf', mutate: (t) => (t.eku = ['1.3.6.1.5.5.7.3.2']) },
      ],
    });
    const a = await analyze(leafOnly);
    expect(a.paths[0]?.reasons.map((r) => r.code)).toEqual(['eku-mismatch']);
    expect(a.paths[0]?.reasons[0]?.message).toBe('"leaf" is for clientAuth, not serverAuth');
    expect((await analyze(leafOnly, { purpose: 'clientAuth' })).verdict.valid).toBe(true);

    const caRestricted = await generate({
      roots: ['root'],
      leaf: 'leaf',
      graph: [
        { issuer: 'root', subject: 'inter', mutate: (t) => (t.eku = ['1.3.6.1.5.5.7.3.4']) },
        { issuer: 'inter', subject: 'leaf' },
      ],
    });
    expect((await analyze(caRestricted)).paths[0]?.reasons.map((r) => r.code)).toEqual(['ca-eku-mismatch']);
  });

  it('rejects a CA without keyCertSign and a non-CA issuer', async () => {
    const noCertSign = await generate({
      roots: ['root'],
      leaf: 'leaf',
      graph: [
        {
          issuer: 'root',
          subject: 'inter',
          mutate: (t) => (t.keyUsage = x509.KeyUsageFlags.digitalSignature),
        },
        { issuer: 'inter', subject: 'leaf' },
      ],
    });
    expect((await analyze(noCertSign)).paths[0]?.reasons.map((r) => r.code)).toEqual([
      'key-usage-no-cert-sign',
    ]);
    const notCa = await generate({
      roots: ['root'],
      leaf: 'leaf',
      graph: [
        { issuer: 'root', subject: 'inter', mutate: (t) => (t.ca = false) },
        { issuer: 'inter', subject: 'leaf' },
      ],
    });
    expect((await analyze(notCa)).paths[0]?.reasons.map((r) => r.code)).toEqual([
      'not-a-ca',
      'key-cert-sign-not-ca',
    ]);
  });

  it('rejects an unknown critical extension', async () => {
    const g = await generate({
      roots: ['root'],
      leaf: 'leaf',
      graph: [
        { issuer: 'root', subject: 'inter' },
        {
          issuer: 'inter',
          subject: 'leaf',
          mutate: (t) =>
            (t.extra = [new x509.Extension('1.3.6.1.4.1.99999.1', true, new Uint8Array([5, 0]).buffer)]),
        },
      ],
    });
    const a = await analyze(g);
    expect(a.paths[0]?.reasons.map((r) => r.code)).toEqual(['unknown-critical-extension']);
  });

  it('shows a forged edge as invalid with its reason and finds no path through it', async () => {
    const g = await generate({
      roots: ['root'],
      leaf: 'leaf',
      graph: [
        { issuer: 'root', subject: 'inter' },
        { issuer: 'inter', subject: 'leaf', mutate: (t) => (t.signWith = 'mallory') },
      ],
    });
    const a = await analyze(g);
    expect(a.paths).toEqual([]);
    expect(a.verdict.valid).toBe(false);
    expect(a.verdict.error?.code).toBe('bad-signature');
    const edge = a.graph.edges.find((e) => e.child === g.leaf.id);
    expect(edge?.signature).toBe('invalid');
    expect(edge?.reason).toMatch(/does not verify|signature/);
  });

  it('reports the host name check with the names the leaf is valid for', async () => {
    const g = await generate({ roots: ['root'], leaf: 'leaf', graph: [{ issuer: 'root', subject: 'leaf' }] });
    expect((await analyze(g, { hostname: 'leaf.example.com' })).verdict.valid).toBe(true);
    const a = await analyze(g, { hostname: 'other.example.com' });
    expect(a.paths[0]?.reasons.map((r) => r.code)).toEqual(['hostname-mismatch']);
    expect(a.paths[0]?.reasons[0]?.message).toBe(
      '"leaf" is not valid for other.example.com: other.example.com matches none of leaf.example.com',
    );
  });

  it('says which issuer is missing when no path exists', async () => {
    const g = await generate({
      roots: ['root'],
      leaf: 'leaf',
      graph: [
        { issuer: 'other root', subject: 'inter' },
        { issuer: 'inter', subject: 'leaf' },
      ],
    });
    const a = await analyze(g);
    expect(a.paths).toEqual([]);
    expect(a.verdict.error).toEqual(
      expect.objectContaining({
        code: 'unknown-issuer',
        message: expect.stringContaining(
          '"inter" was issued by CN=other root, which was neither sent nor trusted',
        ),
      }),
    );
  });
});

describe('weak algorithms and unsupported policy processing', () => {
  it('warns (without invalidating) about a SHA-1 signature and a 1024-bit RSA key', async () => {
    const g = await generate({
      roots: ['root'],
      leaf: 'leaf',
      rsa: { leaf: 1024 },
      graph: [
        { issuer: 'root', subject: 'inter' },
        { issuer: 'inter', subject: 'leaf', mutate: (t) => (t.sha1 = true) },
      ],
    });
    const a = await analyze(g);
    expect(a.paths[0]?.valid).toBe(true);
    expect(a.paths[0]?.reasons.map((r) => [r.code, r.severity])).toEqual([
      ['weak-signature-algorithm', 'warning'],
      ['weak-key', 'warning'],
    ]);
    expect(a.paths[0]?.reasons[1]?.message).toBe(
      '"leaf" has a RSA 1024 key (RSA/DSA below 2048 bits and EC below 224 bits give less than 112 bits of security)',
    );
    // Go refuses SHA-1 signatures outright.
    const go = (await analyze(g, { profile: 'go' })).verdict;
    expect(go.error?.message).toMatch(/insecure algorithm ECDSA-SHA1/);
  });

  it('reports a path with requireExplicitPolicy as "not supported: policy processing", never valid', async () => {
    // PolicyConstraints ::= SEQUENCE { requireExplicitPolicy [0] SkipCerts } with SkipCerts 0 (RFC 5280 §4.2.1.11)
    const policyConstraints = new x509.Extension(
      '2.5.29.36',
      true,
      new Uint8Array([0x30, 0x03, 0x80, 0x01, 0x00]).buffer,
    );
    const g = await generate({
      roots: ['root'],
      leaf: 'leaf',
      graph: [
        { issuer: 'root', subject: 'inter', mutate: (t) => (t.extra = [policyConstraints]) },
        { issuer: 'inter', subject: 'leaf' },
      ],
    });
    const a = await analyze(g);
    expect(a.paths[0]?.status).toBe('unsupported');
    expect(a.paths[0]?.valid).toBe(false);
    expect(a.paths[0]?.reasons.map((r) => r.code)).toEqual(['not-supported-policy-processing']);
    expect(a.notSupported).toContain('policy-processing');
    expect(a.verdict.valid).toBe(false);
  });
});
