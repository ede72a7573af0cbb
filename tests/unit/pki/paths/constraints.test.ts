/**
 * Malformed name constraints per client profile (issue 13); openssl-3 is checked against the real CLI in
 * tests/interop/pki/parse/constraints.test.ts. Rules:
 * - rfc5280: RFC 5280 §4.2.1.10 — "either the permittedSubtrees field or the excludedSubtrees MUST be present",
 *   GeneralSubtrees ::= SEQUENCE SIZE (1..MAX), and name constraints "MUST be used only in a CA certificate":
 *   all errors. A leading period in a dNSName constraint is read as "subdomains only", as every client does.
 * - go (crypto/x509 parser.go parseNameConstraintsExtension): "x509: empty name constraints extension",
 *   "x509: empty name constraints subtree sequence", "x509: invalid NameConstraints extension" for a subtree that
 *   is not a SEQUENCE; domainNameValid(constraint=true) strips a leading period and verify.go
 *   matchDomainConstraint then requires at least one more label; isValid applies constraints of CAs only.
 * - webpki (rustls-webpki subject_name/dns_name.rs): a constraint starting with "." matches subdomains only ("a
 *   presented ID of example.com does not [match .example.com]"); empty subtree lists hold no subtree of the
 *   name's type, so nothing is violated; a subtree that does not parse is BadDer; only CA constraints apply.
 */
import { describe, expect, it } from 'vitest';
import { CONSTRAINT_CASES, constraintChain } from './constraint-cases.ts';
import { analyzeRaw } from './raw-certs.ts';

const PARSE = 'tls: failed to parse certificate from server: ';
const NOT_AUTHORIZED = 'x509: a root or intermediate certificate is not authorized to sign for this name: ';

/** Per case: rfc5280's reason code (or valid), Go's error text (or valid), webpki's error (or valid). */
const EXPECTED: Record<string, { rfc5280: string; go: string; webpki: string }> = {
  'empty nameConstraints (no subtrees at all)': {
    rfc5280: 'defect-empty-name-constraints',
    go: `${PARSE}x509: empty name constraints extension`,
    webpki: 'valid',
  },
  'empty permittedSubtrees': {
    rfc5280: 'defect-empty-subtrees',
    go: `${PARSE}x509: empty name constraints subtree sequence`,
    webpki: 'valid',
  },
  'empty excludedSubtrees': {
    rfc5280: 'defect-empty-subtrees',
    go: `${PARSE}x509: empty name constraints subtree sequence`,
    webpki: 'valid',
  },
  'a NULL in permittedSubtrees': {
    rfc5280: 'defect-broken-extension',
    go: `${PARSE}x509: invalid NameConstraints extension`,
    webpki: 'BadDer',
  },
  'nameConstraints that is a NULL': {
    rfc5280: 'defect-broken-extension',
    go: `${PARSE}x509: invalid NameConstraints extension`,
    webpki: 'BadDer',
  },
  'permitted ".example.com" (leading period)': { rfc5280: 'valid', go: 'valid', webpki: 'valid' },
  'permitted ".leaf.example.com" (leading period, the name itself)': {
    rfc5280: 'name-constraint-permitted',
    go: `${NOT_AUTHORIZED}DNS name "leaf.example.com" is not permitted by any constraint`,
    webpki: 'NameConstraintViolation',
  },
  'excluded ".example.com" (leading period)': {
    rfc5280: 'name-constraint-excluded',
    go: `${NOT_AUTHORIZED}DNS name "leaf.example.com" is excluded by constraint ".example.com"`,
    webpki: 'NameConstraintViolation',
  },
  'name constraints in the end entity excluding its own name': {
    rfc5280: 'name-constraints-not-ca',
    go: 'valid',
    webpki: 'valid',
  },
};

const analyze = async (c: (typeof CONSTRAINT_CASES)[number]) =>
  analyzeRaw(await constraintChain(c), { hostname: 'leaf.example.com' });

describe('malformed name constraints per client profile', () => {
  it('every case has an expectation', () => {
    expect(CONSTRAINT_CASES.map((c) => c.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const c of CONSTRAINT_CASES) {
    const want = EXPECTED[c.name] as (typeof EXPECTED)[string];
    it(c.name, async () => {
      const { analysis: a, by } = await analyze(c);
      if (want.rfc5280 === 'valid') expect(by['rfc5280'].valid).toBe(true);
      else {
        expect(by['rfc5280'].valid).toBe(false);
        expect(a.paths.flatMap((p) => p.reasons.map((r) => r.code))).toContain(want.rfc5280);
      }
      expect(by['go'].valid).toBe(want.go === 'valid');
      if (want.go !== 'valid') expect(by['go'].error?.message).toBe(want.go);
      expect(by['webpki'].valid).toBe(want.webpki === 'valid');
      if (want.webpki !== 'valid') expect(by['webpki'].error?.code).toBe(want.webpki);
    });
  }
});
