/**
 * What each client profile does with the defects the parser tolerates (src/lib/pki/paths/defects.ts). The
 * openssl-3 column is proven against the real CLI in tests/interop/pki/parse/lenient.test.ts; the go and webpki
 * columns follow their sources, cited per row:
 * - Go crypto/x509 parser.go: parseName loops over the attributes of each SET (an empty one is fine);
 *   parseBasicConstraintsExtension reads pathLen with ReadASN1Integer into a uint ("x509: invalid basic
 *   constraints" when negative); parseSANExtension refuses a non-IA5 dNSName ("x509: SAN dNSName is malformed");
 *   processExtensions returns each decoded extension's error; golang.org/x/crypto cryptobyte ReadASN1UTCTime falls
 *   back to minute precision; ReadASN1GeneralizedTime accepts a fraction that re-serialises unchanged.
 * - rustls-webpki der.rs nonnegative_integer (negative -> BadDer); time.rs (seconds required, no fraction:
 *   BadDerTime); verify_cert.rs checks validity, basicConstraints and EKU of every certificate on the path.
 */
import { describe, expect, it } from 'vitest';
import type { ProfileName } from '../../../../src/lib/pki/profiles/types.ts';
import { chainFor, DEFECT_CASES } from './defect-cases.ts';
import { analyzeRaw } from './raw-certs.ts';

interface Expectation {
  go: string | 'valid';
  webpki: string | 'valid';
}

/** Per case name: Go's error text (or valid) and webpki's error (or valid). */
const EXPECTED: Record<string, Expectation> = {
  'empty RDN in the leaf subject': { go: 'valid', webpki: 'valid' },
  // Go and webpki compare issuer and subject bytes: "CN=inter" + an empty SET is not "CN=inter".
  'empty RDN in the CA subject': {
    go: 'x509: certificate signed by unknown authority',
    webpki: 'UnknownIssuer',
  },
  'negative pathLen in the intermediate': {
    go: 'tls: failed to parse certificate from server: x509: invalid basic constraints',
    webpki: 'BadDer',
  },
  // Go drops a root it cannot parse from the pool; webpki never reads the anchor's basicConstraints.
  'negative pathLen in the root': { go: 'x509: certificate signed by unknown authority', webpki: 'valid' },
  'UTCTime notAfter without seconds in the leaf': { go: 'valid', webpki: 'BadDerTime' },
  'UTCTime notBefore without seconds in the intermediate': { go: 'valid', webpki: 'BadDerTime' },
  'GeneralizedTime notAfter with .123 fractional seconds': { go: 'valid', webpki: 'BadDerTime' },
  'GeneralizedTime notAfter with .500 fractional seconds': {
    go: 'tls: failed to parse certificate from server: x509: malformed GeneralizedTime',
    webpki: 'BadDerTime',
  },
  'UTF-8 dNSName SAN': {
    go: 'tls: failed to parse certificate from server: x509: SAN dNSName is malformed',
    webpki: 'valid',
  },
  'broken keyUsage DER in the leaf': {
    go: 'tls: failed to parse certificate from server: x509: invalid key usage',
    webpki: 'valid',
  },
  'broken subjectAltName DER in the leaf': {
    go: 'tls: failed to parse certificate from server: x509: invalid subject alternative names',
    webpki: 'BadDer',
  },
  'broken basicConstraints DER in the intermediate': {
    go: 'tls: failed to parse certificate from server: x509: invalid basic constraints',
    webpki: 'BadDer',
  },
  'broken certificatePolicies DER in the leaf': {
    go: 'tls: failed to parse certificate from server: x509: invalid certificate policies',
    webpki: 'valid',
  },
};

async function verdict(c: (typeof DEFECT_CASES)[number], profile: ProfileName) {
  return (await analyzeRaw(await chainFor(c))).by[profile];
}

describe('certificate defects per client profile', () => {
  it('every defect case has an expectation', () => {
    expect(DEFECT_CASES.map((c) => c.name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const c of DEFECT_CASES) {
    const want = EXPECTED[c.name] as Expectation;
    it(`${c.name}: go ${want.go === 'valid' ? 'accepts' : 'refuses'}`, async () => {
      const v = await verdict(c, 'go');
      if (want.go === 'valid') expect(v.error).toBeUndefined();
      else expect(v.error?.message.startsWith(want.go), v.error?.message).toBe(true);
      expect(v.valid).toBe(want.go === 'valid');
    });
    it(`${c.name}: webpki ${want.webpki === 'valid' ? 'accepts' : want.webpki}`, async () => {
      const v = await verdict(c, 'webpki');
      expect(v.valid).toBe(want.webpki === 'valid');
      if (want.webpki !== 'valid') expect(v.error?.code).toBe(want.webpki);
    });
    // RFC 5280 §6.1.1 (d) takes the trust anchor as given data: its defects are not the path's.
    it(`${c.name}: rfc5280 ${c.on === 'root' ? 'ignores the anchor' : `reports defect-${c.kind}`}`, async () => {
      const { analysis: a } = await analyzeRaw(await chainFor(c), { profile: 'rfc5280' });
      expect(a.verdict.valid).toBe(c.on === 'root');
      const codes = a.paths.flatMap((p) => p.reasons.map((r) => r.code));
      if (c.on === 'root') expect(codes).not.toContain(`defect-${c.kind}`);
      else expect(codes).toContain(`defect-${c.kind}`);
    });
  }
});
