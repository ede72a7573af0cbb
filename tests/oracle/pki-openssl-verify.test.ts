/**
 * The openssl-3 profile against the REAL `openssl verify` (OpenSSL 3.0 CLI at /usr/bin/openssl):
 *   openssl verify -no-CApath -no-CAstore -CAfile anchors -untrusted served -attime EPOCH
 *     [-verify_hostname H | -verify_ip IP] -purpose sslserver leaf
 * (without -auth_level: tests/oracle/pki-openssl-auth-level.test.ts runs Debian's level 2)
 * on generated scenarios (including two versions of one intermediate in both orders) and on real public CA
 * chains. Same pass/fail, same first error number, text and depth. Fails (does not skip) without openssl.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DAY,
  generate,
  T0,
  x509,
  type Template,
  type TrustGraphDescription,
} from '../kit/pure/trust-graph.ts';
import { opensslProfile, opensslVerify, scratch, type Outcome } from '../kit/programs/openssl-verify.ts';

const work = scratch();
afterAll(work.dispose);

// An IP literal host goes to `-verify_ip`, as an IP peer name does in a TLS client.
function opensslVerifyCli(
  leaf: string,
  served: string[],
  anchors: string[],
  at: Date,
  host?: string,
): Outcome {
  return opensslVerify(work.dir, {
    leaf,
    served,
    anchors,
    at,
    ipAsVerifyIp: true,
    ...(host ? { host } : {}),
  });
}

function ours(leaf: string, served: string[], anchors: string[], at: Date, host?: string): Promise<Outcome> {
  return opensslProfile({ leaf, served, anchors, at, ...(host ? { host } : {}) });
}

const expire = (t: Template) => {
  t.notBefore = new Date(T0.getTime() - 400 * DAY);
  t.notAfter = new Date(T0.getTime() - DAY);
};
const future = (t: Template) => {
  t.notBefore = new Date(T0.getTime() + DAY);
};

interface Scenario {
  name: string;
  desc: TrustGraphDescription;
  /** Subjects of the served intermediates in order (by graph index); default: graph order. */
  served?: (g: Awaited<ReturnType<typeof generate>>) => string[];
  /** Trust anchors other than the roots. */
  anchors?: (g: Awaited<ReturnType<typeof generate>>) => string[];
  host?: string;
}

const chain = (
  extra: Partial<Record<'inter' | 'leaf' | 'root', (t: Template) => void>> = {},
): TrustGraphDescription => ({
  roots: ['root'],
  leaf: 'leaf',
  graph: [
    { issuer: 'root', subject: 'inter', ...(extra.inter ? { mutate: extra.inter } : {}) },
    { issuer: 'inter', subject: 'leaf', ...(extra.leaf ? { mutate: extra.leaf } : {}) },
  ],
  ...(extra.root ? { mutateRoot: { root: extra.root } } : {}),
});

const twoVersions = (firstExpired: boolean): TrustGraphDescription => ({
  roots: ['root'],
  leaf: 'leaf',
  graph: [
    { issuer: 'root', subject: 'inter', ...(firstExpired ? { mutate: expire } : {}) },
    { issuer: 'root', subject: 'inter', ...(!firstExpired ? { mutate: expire } : {}) },
    { issuer: 'inter', subject: 'leaf' },
  ],
});

const twoIssuers = (untrustedFirst: boolean): TrustGraphDescription => ({
  roots: ['root a', 'root b'],
  leaf: 'leaf',
  graph: untrustedFirst
    ? [
        { issuer: 'root b', subject: 'inter' },
        { issuer: 'root a', subject: 'inter' },
        { issuer: 'inter', subject: 'leaf' },
      ]
    : [
        { issuer: 'root a', subject: 'inter' },
        { issuer: 'root b', subject: 'inter' },
        { issuer: 'inter', subject: 'leaf' },
      ],
});

const SCENARIOS: Scenario[] = [
  { name: 'valid chain', desc: chain() },
  { name: 'valid chain with host name', desc: chain(), host: 'leaf.example.com' },
  { name: 'host name mismatch', desc: chain(), host: 'other.example.com' },
  {
    name: 'wildcard SAN matches one label',
    desc: chain({ leaf: (t) => (t.dns = ['*.example.com']) }),
    host: 'a.example.com',
  },
  {
    name: 'wildcard SAN does not match two labels',
    desc: chain({ leaf: (t) => (t.dns = ['*.example.com']) }),
    host: 'a.b.example.com',
  },
  { name: 'CN-only leaf, host equals the CN', desc: chain({ leaf: (t) => (t.dns = []) }), host: 'leaf' },
  {
    name: 'partial-label wildcard f*.example.com',
    desc: chain({ leaf: (t) => (t.dns = ['f*.example.com']) }),
    host: 'foo.example.com',
  },
  { name: 'IP SAN vs IP host', desc: chain({ leaf: (t) => (t.ips = ['192.0.2.7']) }), host: '192.0.2.8' },
  { name: 'expired leaf', desc: chain({ leaf: expire }) },
  { name: 'expired intermediate', desc: chain({ inter: expire }) },
  { name: 'intermediate not yet valid', desc: chain({ inter: future }) },
  { name: 'expired root', desc: chain({ root: expire }) },
  { name: 'unknown issuer (intermediate not sent)', desc: chain(), served: () => [] },
  { name: 'unknown root', desc: { ...chain(), roots: ['root'] }, anchors: () => ['other'] },
  { name: 'intermediate not a CA', desc: chain({ inter: (t) => (t.ca = false) }) },
  {
    name: 'intermediate without keyCertSign',
    desc: chain({ inter: (t) => (t.keyUsage = x509.KeyUsageFlags.digitalSignature) }),
  },
  { name: 'leaf EKU clientAuth only', desc: chain({ leaf: (t) => (t.eku = ['1.3.6.1.5.5.7.3.2']) }) },
  {
    name: 'intermediate EKU emailProtection only',
    desc: chain({ inter: (t) => (t.eku = ['1.3.6.1.5.5.7.3.4']) }),
  },
  {
    name: 'leaf with unknown critical extension',
    desc: chain({
      leaf: (t) =>
        (t.extra = [new x509.Extension('1.3.6.1.4.1.99999.1', true, new Uint8Array([5, 0]).buffer)]),
    }),
  },
  {
    name: 'name constraint permitted violation',
    desc: chain({ inter: (t) => (t.permittedDns = ['example.org']) }),
  },
  {
    name: 'name constraint excluded violation',
    desc: chain({ inter: (t) => (t.excludedDns = ['example.com']) }),
  },
  {
    name: 'pathLen 0 with one more intermediate',
    desc: {
      roots: ['root'],
      leaf: 'leaf',
      graph: [
        { issuer: 'root', subject: 'inter a', mutate: (t) => (t.pathLen = 0) },
        { issuer: 'inter a', subject: 'inter b' },
        { issuer: 'inter b', subject: 'leaf' },
      ],
    },
  },
  {
    name: 'self-signed leaf, not trusted',
    desc: { roots: ['root'], leaf: 'leaf', graph: [{ issuer: 'leaf', subject: 'leaf' }] },
  },
  {
    name: 'root sent in the chain but a different root trusted',
    desc: {
      roots: ['other'],
      leaf: 'leaf',
      graph: [
        { issuer: 'root', subject: 'root' },
        { issuer: 'root', subject: 'inter' },
        { issuer: 'inter', subject: 'leaf' },
      ],
    },
  },
  {
    name: 'only the intermediate trusted (no partial chains)',
    desc: chain(),
    served: () => [],
    anchors: (g) => g.intermediatePems,
  },
  { name: 'two versions of the intermediate, expired one sent first', desc: twoVersions(true) },
  { name: 'two versions of the intermediate, expired one sent second', desc: twoVersions(false) },
  {
    name: 'cross-signed intermediate, untrusted-root version sent first',
    desc: twoIssuers(true),
    anchors: (g) => [g.rootPems[0] as string],
  },
  {
    name: 'cross-signed intermediate, trusted-root version sent first',
    desc: twoIssuers(false),
    anchors: (g) => [g.rootPems[0] as string],
  },
  {
    name: "Let's Encrypt 2021 shape: intermediate root cross-signed by an expired root, both roots trusted",
    desc: {
      roots: ['isrg', 'dst'],
      leaf: 'leaf',
      mutateRoot: { dst: expire },
      graph: [
        { issuer: 'dst', subject: 'isrg' },
        { issuer: 'isrg', subject: 'r3' },
        { issuer: 'r3', subject: 'leaf' },
      ],
    },
  },
  { name: 'forged leaf signature', desc: chain({ leaf: (t) => (t.signWith = 'mallory') }) },
];

describe('openssl-3 profile agrees with `openssl verify` (OpenSSL 3.0)', () => {
  it.each(SCENARIOS)('$name', async (s) => {
    const g = await generate(s.desc);
    const served = s.served ? s.served(g) : g.intermediatePems;
    let anchors = s.anchors ? s.anchors(g) : g.rootPems;
    if (anchors.length === 1 && anchors[0] === 'other')
      anchors = [
        (await generate({ roots: ['other'], leaf: 'x', graph: [{ issuer: 'other', subject: 'x' }] }))
          .rootPems[0] as string,
      ];
    const real = opensslVerifyCli(g.leafPem, served, anchors, T0, s.host);
    const mine = await ours(g.leafPem, served, anchors, T0, s.host);
    expect(mine).toEqual(real);
  });
});

const PUB = fileURLToPath(new URL('../../fixtures/public-ca/', import.meta.url));
const pem = (p: string) => readFileSync(PUB + p, 'utf8');

describe('openssl-3 profile agrees with `openssl verify` on real public CA chains', () => {
  const LEAF = pem('azure/leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem');
  const XS = pem('azure/int_azure-rsa-tls-issuing-ca-07_by-digicert-g2_xsign.pem');
  const MS = pem('azure/int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem');
  const G2 = pem('azure/root_digicert-global-root-g2.pem');
  const MSR = pem('azure/root_microsoft-rsa-root-ca-2017.pem');
  const R3 = pem('letsencrypt/int_r3_by-isrg-root-x1.pem');
  const X1C = pem('letsencrypt/int_isrg-root-x1_by-dst-root-ca-x3_crosssigned.pem');
  const X1 = pem('letsencrypt/root_isrg-root-x1_selfsigned.pem');
  const DST = pem('letsencrypt/root_dst-root-ca-x3_expired-2021.pem');
  const JAN = new Date('2024-01-15T00:00:00Z');
  const cases: [string, string, string[], string[], Date, string?][] = [
    ['Azure, both CA 07 versions, xsign first, Microsoft root only', LEAF, [XS, MS], [MSR], JAN],
    ['Azure, both CA 07 versions, Microsoft-signed first, Microsoft root only', LEAF, [MS, XS], [MSR], JAN],
    ['Azure, xsign CA 07, both roots', LEAF, [XS], [G2, MSR], JAN, 'www.microsoft.com'],
    ['Azure, host name mismatch', LEAF, [MS], [MSR], JAN, 'example.org'],
    ['Azure, leaf expired in 2025', LEAF, [MS], [MSR], new Date('2025-01-01T00:00:00Z')],
    [
      "Let's Encrypt R3 + X1 cross, both roots, 2021-10-01",
      R3,
      [X1C],
      [X1, DST],
      new Date('2021-10-01T00:00:00Z'),
    ],
    [
      "Let's Encrypt R3 + X1 cross, DST root only, 2021-10-01",
      R3,
      [X1C],
      [DST],
      new Date('2021-10-01T00:00:00Z'),
    ],
  ];
  it.each(cases)('%s', async (_name, leaf, served, anchors, at, host) => {
    expect(await ours(leaf, served, anchors, at, host)).toEqual(
      opensslVerifyCli(leaf, served, anchors, at, host),
    );
  });
});
