/**
 * The openssl-3 profile against the REAL `openssl verify` with libpq's settings on Debian: security level 2
 * (`-auth_level 2`), no -x509_strict, no -partial_chain, purpose sslserver, an IP peer name as `-verify_ip`:
 *
 *   openssl verify -no-CApath -no-CAstore -CAfile ANCHORS -untrusted INTERMEDIATES -purpose sslserver
 *     -auth_level 2 -attime T [-verify_hostname H | -verify_ip IP] LEAF
 *
 * over odd chains generated here (weak RSA keys, SHA-1, missing or critical AKI/SKI, odd serials, expired
 * anchors, pathLen, depth, name constraints incl. wildcards and IPs, CN/SAN/IP host combinations, roots
 * without basicConstraints or with an unknown critical extension). Every case must give the same verdict, the
 * same first error number, text and depth; the agreement count is printed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  DAY,
  generate,
  T0,
  x509,
  type Template,
  type TrustGraphDescription,
} from '../kit/pure/trust-graph.ts';
import { opensslProfile, opensslVerify, scratch } from '../kit/programs/openssl-verify.ts';

const work = scratch();
let agreed = 0;
let total = 0;
afterAll(() => {
  work.dispose();
  process.stdout.write(`openssl-3 profile vs openssl verify -auth_level 2: ${agreed}/${total} agree\n`);
});

type Mutations = Partial<Record<'inter' | 'leaf' | 'root' | 'inter2', (t: Template) => void>>;

const chain = (m: Mutations = {}, rsa?: Record<string, number>, long = false): TrustGraphDescription => ({
  roots: ['root'],
  leaf: 'leaf',
  graph: [
    { issuer: 'root', subject: 'inter', ...(m.inter ? { mutate: m.inter } : {}) },
    ...(long ? [{ issuer: 'inter', subject: 'inter2', ...(m.inter2 ? { mutate: m.inter2 } : {}) }] : []),
    { issuer: long ? 'inter2' : 'inter', subject: 'leaf', ...(m.leaf ? { mutate: m.leaf } : {}) },
  ],
  ...(m.root ? { mutateRoot: { root: m.root } } : {}),
  ...(rsa ? { rsa } : {}),
});

const expire = (t: Template) => {
  t.notBefore = new Date(T0.getTime() - 400 * DAY);
  t.notAfter = new Date(T0.getTime() - DAY);
};
/** nsCertType (2.16.840.1.113730.1.1): a BIT STRING of one byte (unused trailing bits counted). */
const nsCertType =
  (bits: number, critical = false) =>
  (t: Template) => {
    const unused = bits === 0 ? 0 : Math.min(7, 31 - Math.clz32(bits & -bits));
    const value = bits === 0 ? [3, 1, 0] : [3, 2, unused, bits];
    t.extra = [
      ...(t.extra ?? []),
      new x509.Extension('2.16.840.1.113730.1.1', critical, new Uint8Array(value).buffer),
    ];
  };
const unknownCritical = (t: Template) =>
  (t.extra = [new x509.Extension('1.3.6.1.4.1.99999.1', true, new Uint8Array([5, 0]).buffer)]);

interface Case {
  name: string;
  desc: TrustGraphDescription;
  hosts?: (string | undefined)[];
}

const ipLeaf =
  (ips: string[], dns: string[] = ['leaf.example.com']) =>
  (t: Template) => {
    t.ips = ips;
    t.dns = dns;
  };

const CASES: Case[] = [
  { name: 'plain chain', desc: chain(), hosts: [undefined, 'leaf.example.com', 'other.example.com'] },
  // Key sizes and signature hashes (auth_level 2 = 112 bits).
  { name: 'RSA-1024 leaf', desc: chain({}, { leaf: 1024 }) },
  { name: 'RSA-1024 intermediate', desc: chain({}, { inter: 1024 }) },
  { name: 'RSA-1024 root', desc: chain({}, { root: 1024 }) },
  { name: 'RSA-2048 everywhere', desc: chain({}, { root: 2048, inter: 2048, leaf: 2048 }) },
  { name: 'RSA-1024 leaf and RSA-1024 intermediate', desc: chain({}, { leaf: 1024, inter: 1024 }) },
  { name: 'SHA-1 leaf signature', desc: chain({ leaf: (t) => (t.sha1 = true) }) },
  { name: 'SHA-1 intermediate signature', desc: chain({ inter: (t) => (t.sha1 = true) }) },
  { name: 'SHA-1 self-signed root', desc: chain({ root: (t) => (t.sha1 = true) }) },
  {
    name: 'SHA-1 leaf signature and an expired leaf',
    desc: chain({ leaf: (t) => ((t.sha1 = true), expire(t)) }),
  },
  {
    name: 'RSA-1024 intermediate with a leaf EKU for clientAuth only',
    desc: chain({ leaf: (t) => (t.eku = ['1.3.6.1.5.5.7.3.2']) }, { inter: 1024 }),
  },
  {
    name: 'RSA-1024 leaf with a host name mismatch',
    desc: chain({}, { leaf: 1024 }),
    hosts: ['other.example.com'],
  },
  // Key identifiers.
  { name: 'no AKI/SKI on the leaf', desc: chain({ leaf: (t) => (t.noKeyIds = true) }) },
  { name: 'no AKI/SKI on the intermediate', desc: chain({ inter: (t) => (t.noKeyIds = true) }) },
  {
    name: 'no AKI/SKI anywhere',
    desc: chain({
      root: (t) => (t.noKeyIds = true),
      inter: (t) => (t.noKeyIds = true),
      leaf: (t) => (t.noKeyIds = true),
    }),
  },
  { name: 'critical AKI/SKI on the leaf', desc: chain({ leaf: (t) => (t.criticalKeyIds = true) }) },
  { name: 'critical AKI/SKI on the intermediate', desc: chain({ inter: (t) => (t.criticalKeyIds = true) }) },
  // Serial numbers (OpenSSL does not check them without -x509_strict).
  { name: 'serial 00 on the leaf', desc: chain({ leaf: (t) => (t.serial = '00') }) },
  { name: 'a 21-octet serial on the leaf', desc: chain({ leaf: (t) => (t.serial = '7f'.repeat(21)) }) },
  {
    name: 'a 20-octet serial on the intermediate',
    desc: chain({ inter: (t) => (t.serial = '01'.repeat(20)) }),
  },
  // Validity.
  { name: 'expired root', desc: chain({ root: expire }) },
  { name: 'expired intermediate and RSA-1024 leaf', desc: chain({ inter: expire }, { leaf: 1024 }) },
  {
    name: 'expired root with a SHA-1 intermediate',
    desc: chain({ root: expire, inter: (t) => (t.sha1 = true) }),
  },
  // Trust anchors.
  { name: 'root with an unknown critical extension', desc: chain({ root: unknownCritical }) },
  { name: 'root without basicConstraints (v3)', desc: chain({ root: (t) => (t.noBasicConstraints = true) }) },
  {
    name: 'root without basicConstraints, keyUsage keyCertSign',
    desc: chain({ root: (t) => (t.noBasicConstraints = true) }),
  },
  {
    name: 'root without basicConstraints nor keyUsage',
    desc: chain({ root: (t) => ((t.noBasicConstraints = true), (t.keyUsage = undefined)) }),
  },
  { name: 'root with basicConstraints cA FALSE', desc: chain({ root: (t) => (t.ca = false) }) },
  // Netscape's certificate type (easy-rsa, OpenVPN): OpenSSL's ns_reject and check_ssl_ca.
  { name: 'leaf nsCertType SSL client only', desc: chain({ leaf: nsCertType(0x80) }) },
  { name: 'leaf nsCertType SSL server', desc: chain({ leaf: nsCertType(0x40) }) },
  { name: 'leaf nsCertType, no bit set', desc: chain({ leaf: nsCertType(0) }) },
  { name: 'leaf nsCertType SSL client, critical', desc: chain({ leaf: nsCertType(0x80, true) }) },
  {
    name: 'root a CA only by its nsCertType, an SSL CA',
    desc: chain({
      root: (t) => ((t.noBasicConstraints = true), (t.keyUsage = undefined), nsCertType(0x04)(t)),
    }),
  },
  {
    name: 'root a CA only by its nsCertType, an S/MIME CA',
    desc: chain({
      root: (t) => ((t.noBasicConstraints = true), (t.keyUsage = undefined), nsCertType(0x02)(t)),
    }),
  },
  // pathLen and depth.
  {
    name: 'pathLen 0 on the intermediate, two intermediates',
    desc: chain({ inter: (t) => (t.pathLen = 0) }, undefined, true),
  },
  {
    name: 'pathLen 0 on the root, two intermediates',
    desc: chain({ root: (t) => (t.pathLen = 0) }, undefined, true),
  },
  {
    name: 'pathLen 1 on the root, two intermediates',
    desc: chain({ root: (t) => (t.pathLen = 1) }, undefined, true),
  },
  { name: 'pathLen 1 on the root, one intermediate', desc: chain({ root: (t) => (t.pathLen = 1) }) },
  { name: 'leaf is a CA', desc: chain({ leaf: (t) => (t.ca = true) }) },
  // Name constraints.
  {
    name: 'permitted DNS subtree satisfied',
    desc: chain({ inter: (t) => (t.permittedDns = ['example.com']) }),
  },
  {
    name: 'permitted DNS subtree violated',
    desc: chain({ inter: (t) => (t.permittedDns = ['example.org']) }),
  },
  { name: 'excluded DNS subtree hit', desc: chain({ inter: (t) => (t.excludedDns = ['leaf.example.com']) }) },
  {
    name: 'permitted and excluded both broken (OpenSSL checks permitted first)',
    desc: chain({ inter: (t) => ((t.permittedDns = ['example.org']), (t.excludedDns = ['example.com'])) }),
  },
  {
    name: 'wildcard SAN vs excluded subtree (OpenSSL compares text)',
    desc: chain({
      inter: (t) => (t.excludedDns = ['bar.example.com']),
      leaf: (t) => (t.dns = ['*.example.com']),
    }),
    hosts: [undefined, 'bar.example.com'],
  },
  {
    name: 'wildcard SAN under a permitted subtree of one name',
    desc: chain({
      inter: (t) => (t.permittedDns = ['bar.example.com']),
      leaf: (t) => (t.dns = ['*.example.com']),
    }),
  },
  {
    name: 'leading-period DNS constraint',
    desc: chain({ inter: (t) => (t.permittedDns = ['.example.com']) }),
  },
  { name: 'excluded subtree on the root', desc: chain({ root: (t) => (t.excludedDns = ['example.com']) }) },
  {
    name: 'CN-only leaf under a permitted DNS subtree (CN checked as DNS)',
    desc: chain({ inter: (t) => (t.permittedDns = ['example.org']), leaf: (t) => (t.dns = []) }),
  },
  {
    name: 'permitted IP subtree satisfied',
    desc: chain({ inter: (t) => (t.permittedIp = ['10.0.0.0/8']), leaf: ipLeaf(['10.1.2.3']) }),
  },
  {
    name: 'permitted IP subtree violated',
    desc: chain({ inter: (t) => (t.permittedIp = ['10.0.0.0/8']), leaf: ipLeaf(['192.0.2.1']) }),
  },
  {
    name: 'IPv4 permitted subtree, IPv6 SAN',
    desc: chain({ inter: (t) => (t.permittedIp = ['10.0.0.0/8']), leaf: ipLeaf(['2001:db8::1']) }),
  },
  {
    name: 'many names x many constraints (below the cost guard)',
    desc: chain({
      inter: (t) => (t.permittedDns = Array.from({ length: 60 }, (_, i) => `n${i}.example.com`)),
      leaf: (t) => (t.dns = Array.from({ length: 60 }, (_, i) => `n${i}.example.com`)),
    }),
  },
  // Host names.
  {
    name: 'IP SAN, IP peer names',
    desc: chain({ leaf: ipLeaf(['127.0.0.1', '2001:db8::1']) }),
    hosts: [
      '127.0.0.1',
      '127.000.000.001',
      '127.0.0.2',
      '2001:DB8:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
      'leaf.example.com',
    ],
  },
  {
    name: 'IP only in the CN, no SAN',
    desc: {
      roots: ['root'],
      leaf: '127.0.0.1',
      graph: [
        { issuer: 'root', subject: 'inter' },
        { issuer: 'inter', subject: '127.0.0.1', mutate: (t) => (t.dns = []) },
      ],
    },
    hosts: ['127.0.0.1'],
  },
  {
    name: 'CN-only leaf, host equals the CN',
    desc: chain({ leaf: (t) => (t.dns = []) }),
    hosts: ['leaf', 'LEAF', 'other'],
  },
  {
    name: 'DNS SAN present, host equals only the CN',
    desc: chain({ leaf: (t) => (t.dns = ['other.example.com']) }),
    hosts: ['leaf'],
  },
  {
    name: 'wildcard SAN',
    desc: chain({ leaf: (t) => (t.dns = ['*.example.com', 'f*.example.org']) }),
    hosts: ['a.example.com', 'a.b.example.com', 'example.com', 'foo.example.org'],
  },
  {
    name: 'partial wildcards: at the end, at the start, inside the label',
    desc: chain({ leaf: (t) => (t.dns = ['f*.example.org', '*z.example.net', 'x*y.example.com']) }),
    hosts: ['foo.example.org', 'baz.example.net', 'xaby.example.com'],
  },
  {
    name: 'a DNS SAN with a trailing dot',
    desc: chain({ leaf: (t) => (t.dns = ['leaf.example.com.']) }),
    hosts: ['leaf.example.com', 'leaf.example.com.', 'LEAF.example.com.'],
  },
  {
    name: 'a host with a trailing dot against a SAN without one',
    desc: chain(),
    hosts: ['leaf.example.com.'],
  },
  {
    name: 'a wildcard SAN with a trailing dot',
    desc: chain({ leaf: (t) => (t.dns = ['*.example.com.']) }),
    hosts: ['a.example.com.', 'a.example.com', '*.example.com.'],
  },
];

const RUNS = CASES.flatMap((c) => (c.hosts ?? [undefined]).map((host) => ({ ...c, host })));

describe('openssl-3 profile agrees with `openssl verify -auth_level 2` (OpenSSL 3.0, libpq settings)', () => {
  it.each(RUNS)('$name (host: $host)', async (c) => {
    const g = await generate(c.desc);
    const v = {
      leaf: g.leafPem,
      served: g.intermediatePems,
      anchors: g.rootPems,
      at: T0,
      authLevel: 2,
      ipAsVerifyIp: true,
      ...(c.host ? { host: c.host } : {}),
    };
    const real = opensslVerify(work.dir, v);
    const mine = await opensslProfile(v);
    total++;
    if (JSON.stringify(real) === JSON.stringify(mine)) agreed++;
    expect(mine).toEqual(real);
  });
});

// Node's level (NODE_OPENSSL_AUTH_LEVEL, 1: Node reads openssl.cnf's nodejs_conf section, not Debian's SECLEVEL=2):
// the key and signature cases again, where levels 1 and 2 differ.
const LEVEL_1 = CASES.filter((c) => /RSA-1024|SHA-1|P-192|DSA/.test(c.name));

describe("openssl-3 profile at Node's level agrees with `openssl verify -auth_level 1`", () => {
  it('has the weak-key and weak-hash cases to run', () => {
    expect(LEVEL_1.length).toBeGreaterThan(3);
  });
  it.each(LEVEL_1)('$name', async (c) => {
    const g = await generate(c.desc);
    const v = { leaf: g.leafPem, served: g.intermediatePems, anchors: g.rootPems, at: T0, authLevel: 1 };
    expect(await opensslProfile(v)).toEqual(opensslVerify(work.dir, v));
  });
});
