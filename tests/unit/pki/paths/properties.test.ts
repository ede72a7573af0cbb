/**
 * Properties of the verdicts (fast-check), over chains built from random combinations of odd features:
 * 1. no profile ever judges a certificate other than the one the peer sent first: when that one does not parse,
 *    every profile fails with `unparseable-leaf`; when it parses, the analysis' leaf is exactly those bytes;
 * 2. a chain valid under a client profile is valid under rfc5280, or every rfc5280 objection is one the
 *    profile documents not checking (docs/client-profiles.md, "Where the profiles differ from rfc5280").
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeChain, PROFILE_NAMES, type ProfileName } from '../../../../src/lib/pki/index.ts';
import type { Reason } from '../../../../src/lib/pki/paths/reasons.ts';
import {
  DAY,
  generate,
  T0,
  type Template,
  type TrustGraphDescription,
  x509,
} from '../../../kit/pure/trust-graph.ts';

type Role = 'root' | 'inter' | 'leaf';
interface Atom {
  readonly role: Role;
  readonly name: string;
  readonly apply: (t: Template) => void;
}

const ATOMS: readonly Atom[] = [
  { role: 'leaf', name: 'sha1', apply: (t) => (t.sha1 = true) },
  { role: 'inter', name: 'sha1', apply: (t) => (t.sha1 = true) },
  {
    role: 'root',
    name: 'expired',
    apply: (t) => (
      (t.notBefore = new Date(T0.getTime() - 400 * DAY)),
      (t.notAfter = new Date(T0.getTime() - DAY))
    ),
  },
  { role: 'inter', name: 'expired', apply: (t) => (t.notAfter = new Date(T0.getTime() - DAY)) },
  { role: 'inter', name: 'no keyCertSign', apply: (t) => (t.keyUsage = x509.KeyUsageFlags.digitalSignature) },
  { role: 'inter', name: 'not a CA', apply: (t) => (t.ca = false) },
  { role: 'root', name: 'no basicConstraints', apply: (t) => (t.noBasicConstraints = true) },
  { role: 'root', name: 'pathLen 0', apply: (t) => (t.pathLen = 0) },
  { role: 'inter', name: 'excluded bar', apply: (t) => (t.excludedDns = ['bar.example.com']) },
  { role: 'inter', name: 'permitted example.org', apply: (t) => (t.permittedDns = ['example.org']) },
  { role: 'leaf', name: 'wildcard SAN', apply: (t) => (t.dns = ['*.example.com']) },
  { role: 'leaf', name: 'partial wildcard', apply: (t) => (t.dns = ['b*.example.com']) },
  { role: 'leaf', name: 'no SAN', apply: (t) => (t.dns = []) },
  { role: 'leaf', name: 'IP SAN', apply: (t) => (t.ips = ['127.0.0.1']) },
  { role: 'leaf', name: 'clientAuth only', apply: (t) => (t.eku = ['1.3.6.1.5.5.7.3.2']) },
  { role: 'leaf', name: 'anyEKU', apply: (t) => (t.eku = ['2.5.29.37.0']) },
  { role: 'inter', name: 'critical key ids', apply: (t) => (t.criticalKeyIds = true) },
  { role: 'leaf', name: 'no key ids', apply: (t) => (t.noKeyIds = true) },
];
const HOSTS = [undefined, 'bar.example.com', 'leaf.example.com', 'leaf', '127.0.0.1', '127.000.000.001'];

function describeChain(atoms: readonly Atom[]): TrustGraphDescription {
  const on = (role: Role) => (t: Template) => {
    for (const a of atoms) if (a.role === role) a.apply(t);
  };
  return {
    roots: ['root'],
    leaf: 'leaf',
    graph: [
      { issuer: 'root', subject: 'inter', mutate: on('inter') },
      { issuer: 'inter', subject: 'leaf', mutate: on('leaf') },
    ],
    mutateRoot: { root: on('root') },
  };
}

/**
 * rfc5280 objections each client profile is documented not to raise (docs/client-profiles.md). A reason is
 * excused when its code is listed for the profile and, where given, it is at the trust anchor.
 */
// RFC 5280's issuance rules (validate.ts profileProblems) belong to the rfc5280 profile only.
const PROFILE_RULES = new Set([
  'aki-critical',
  'ski-critical',
  'aki-missing',
  'ski-missing',
  'serial-not-positive',
  'serial-too-long',
  'duplicate-extension',
  'ca-empty-subject',
  'san-not-critical',
  'key-cert-sign-not-ca',
  'name-constraints-not-ca',
]);

const DOCUMENTED_BY_PROFILE: Record<
  Exclude<ProfileName, 'rfc5280'>,
  (r: Pick<Reason, 'code' | 'depth'>, anchorDepth: number) => boolean
> = {
  // CN fallback and partial wildcards (X509_check_host); wildcard SANs compared as text (nc_dns);
  // anyExtendedKeyUsage is not the serverAuth purpose, so OpenSSL is stricter there, never looser.
  'openssl-3': (r) => r.code === 'hostname-mismatch' || r.code === 'name-constraint-excluded',
  'openssl-1.0.2': (r) => r.code === 'hostname-mismatch' || r.code === 'name-constraint-excluded',
  // None: CheckSignatureFrom refuses a signer without cA or keyCertSign (x509.go), as rfc5280 does.
  go: () => false,
  // The trust anchor is a name, a key and name constraints (no validity, no pathLen); keyUsage is not checked.
  webpki: (r, anchorDepth) =>
    r.code === 'key-usage-no-cert-sign' ||
    ((r.code === 'expired' || r.code === 'not-yet-valid' || r.code === 'path-length-exceeded') &&
      r.depth === anchorDepth),
};

describe('verdict properties', () => {
  it('a chain valid under a client profile is valid under rfc5280, or the difference is documented', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray([...ATOMS], { maxLength: 4 }),
        fc.constantFrom(...HOSTS),
        async (atoms, host) => {
          const g = await generate(describeChain(atoms));
          const a = await analyzeChain({
            certificates: g.leafPem + g.intermediatePems.join(''),
            trustAnchors: g.rootPems.join(''),
            time: T0,
            compareProfiles: true,
            ...(host ? { hostname: host } : {}),
          });
          const rfc = a.paths[0];
          for (const p of a.profiles ?? []) {
            if (p.profile === 'rfc5280' || !p.valid || a.verdict.valid) continue;
            const anchorDepth = (rfc?.certificates.length ?? 1) - 1;
            const objections: readonly Pick<Reason, 'code' | 'depth'>[] = rfc
              ? rfc.reasons.filter((r) => r.severity !== 'warning')
              : [{ code: 'no-path', depth: 0 }];
            const undocumented = objections.filter(
              (r) =>
                !PROFILE_RULES.has(r.code) &&
                !DOCUMENTED_BY_PROFILE[p.profile as Exclude<ProfileName, 'rfc5280'>](r, anchorDepth),
            );
            expect({
              profile: p.profile,
              atoms: atoms.map((x) => `${x.role}:${x.name}`),
              host,
              undocumented,
            }).toEqual({
              profile: p.profile,
              atoms: atoms.map((x) => `${x.role}:${x.name}`),
              host,
              undocumented: [],
            });
          }
        },
      ),
      // Every atom alone is an example, so each documented difference is exercised whatever the seed draws.
      { numRuns: 40, seed: 13, examples: ATOMS.map((a): [Atom[], string | undefined] => [[a], undefined]) },
    );
  });

  it('no profile judges a certificate other than the first one sent', async () => {
    const g = await generate(describeChain([]));
    const leafDer = g.leaf.der;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: leafDer.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        fc.boolean(),
        async (at, xor, truncate) => {
          const bad = truncate ? leafDer.slice(0, at) : leafDer.map((b, i) => (i === at ? b ^ xor : b));
          const a = await analyzeChain({
            certificates: [bad, g.intermediates[0]!.der],
            trustAnchors: [g.roots[0]!.der],
            time: T0,
            compareProfiles: true,
          });
          if (a.leaf === null) {
            expect(a.verdict.error?.code).toBe('unparseable-leaf');
            expect(a.profiles?.map((p) => p.valid)).toEqual(PROFILE_NAMES.map(() => false));
          } else {
            expect(Buffer.from(a.leaf.der).equals(Buffer.from(bad))).toBe(true);
          }
        },
      ),
      { numRuns: 150, seed: 13 },
    );
  });
});
