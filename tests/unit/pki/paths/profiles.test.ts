/**
 * The five client profiles side by side on generated scenarios. Expected texts come from the clients'
 * sources (OpenSSL 3.0 x509_txt.c; Go crypto/x509 verify.go CertificateInvalidError/HostnameError/
 * UnknownAuthorityError; rustls-webpki Error variants), not from our output; OpenSSL's are also checked
 * against the real CLI in tests/oracle/pki-openssl-verify.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  analyze,
  DAY,
  generate,
  T0,
  type Template,
  type TrustGraphDescription,
  x509,
} from '../../../kit/pure/trust-graph.ts';

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
const expire = (t: Template) => {
  t.notBefore = new Date(T0.getTime() - 400 * DAY);
  t.notAfter = new Date(T0.getTime() - DAY);
};

async function verdicts(desc: TrustGraphDescription, hostname?: string): Promise<Record<string, string>> {
  const a = await analyze(await generate(desc), { allProfiles: true, ...(hostname ? { hostname } : {}) });
  return Object.fromEntries(
    (a.profiles ?? []).map((p) => [p.profile, p.valid ? 'ok' : (p.error?.message ?? '?')]),
  );
}

describe('client profiles disagree the way the real clients do', () => {
  it('expired intermediate (no alternative)', async () => {
    expect(await verdicts(chain({ inter: expire }))).toEqual({
      rfc5280: expect.stringMatching(/^"inter" expired at 2024-12-31T00:00:00/),
      'openssl-3': 'certificate has expired',
      'openssl-1.0.2': 'certificate has expired',
      go: 'x509: certificate has expired or is not yet valid: current time 2025-01-01T00:00:00Z is after 2024-12-31T00:00:00Z',
      webpki: expect.stringMatching(/^CertExpired \{ time: 1735689600, not_after: 1735603200 \}$/),
    });
  });

  it('expired root: webpki does not check trust-anchor validity, the others do', async () => {
    const v = await verdicts(chain({ root: expire }));
    expect(v.webpki).toBe('ok');
    expect(v['openssl-3']).toBe('certificate has expired');
    expect(v.go).toMatch(/^x509: certificate has expired or is not yet valid: current time .* is after /);
    expect(v.rfc5280).toMatch(/"root" expired/);
  });

  it('issuer not sent: unknown authority / UnknownIssuer / local issuer', async () => {
    const g = await generate(chain());
    const a = await analyze({ ...g, intermediates: [] }, { allProfiles: true });
    const v = Object.fromEntries((a.profiles ?? []).map((p) => [p.profile, p.error?.message]));
    expect(v.go).toBe('x509: certificate signed by unknown authority');
    expect(v.webpki).toBe('UnknownIssuer');
    expect(v['openssl-3']).toBe('unable to get local issuer certificate');
  });

  it('forged leaf signature: Go names the rejected candidate in its hint', async () => {
    const v = await verdicts(chain({ leaf: (t) => (t.signWith = 'mallory') }));
    expect(v.go).toMatch(
      /^x509: certificate signed by unknown authority \(possibly because of ".+" while trying to verify candidate authority certificate "inter"\)$/,
    );
    expect(v.webpki).toBe('InvalidSignatureForPublicKey');
    expect(v['openssl-3']).toBe('certificate signature failure');
  });

  // Go's buildChains calls CheckSignatureFrom before isValid, and it refuses a parent that may not sign
  // (ConstraintViolationError, x509.go): the candidate is only the hint of an unknown authority.
  const goCannotSign = (name: string) =>
    `x509: certificate signed by unknown authority (possibly because of "x509: invalid signature: parent certificate cannot sign this kind of certificate" while trying to verify candidate authority certificate "${name}")`;

  it('intermediate with cA=FALSE', async () => {
    const v = await verdicts(chain({ inter: (t) => (t.ca = false) }));
    expect(v.go).toBe(goCannotSign('inter'));
    expect(v.webpki).toBe('EndEntityUsedAsCa');
    expect(v['openssl-3']).toBe('invalid CA certificate');
  });

  it('CA keyUsage without keyCertSign: Go refuses it as a signer; webpki 0.103 ignores keyUsage', async () => {
    const v = await verdicts(chain({ inter: (t) => (t.keyUsage = x509.KeyUsageFlags.digitalSignature) }));
    expect(v.go).toBe(goCannotSign('inter'));
    expect(v.webpki).toBe('ok');
    expect(v['openssl-3']).toBe('invalid CA certificate');
    expect(v.rfc5280).toMatch(/without keyCertSign/);
  });

  it('leaf EKU clientAuth only, purpose serverAuth', async () => {
    const v = await verdicts(chain({ leaf: (t) => (t.eku = ['1.3.6.1.5.5.7.3.2']) }));
    expect(v.go).toBe('x509: certificate specifies an incompatible key usage');
    expect(v.webpki).toBe('RequiredEkuNotFound');
    expect(v['openssl-3']).toBe('unsuitable certificate purpose');
    expect(v['openssl-1.0.2']).toBe('unsupported certificate purpose');
  });

  it('pathLenConstraint exceeded', async () => {
    const v = await verdicts({
      roots: ['root'],
      leaf: 'leaf',
      graph: [
        { issuer: 'root', subject: 'inter a', mutate: (t) => (t.pathLen = 0) },
        { issuer: 'inter a', subject: 'inter b' },
        { issuer: 'inter b', subject: 'leaf' },
      ],
    });
    expect(v.go).toBe('x509: too many intermediates for path length constraint');
    expect(v.webpki).toBe('PathLenConstraintViolated');
    expect(v['openssl-3']).toBe('path length constraint exceeded');
  });

  it('name constraint violation names the name and the subtree', async () => {
    const v = await verdicts(chain({ inter: (t) => (t.permittedDns = ['example.org']) }));
    expect(v.go).toBe(
      'x509: a root or intermediate certificate is not authorized to sign for this name: DNS name "leaf.example.com" is not permitted by any constraint',
    );
    expect(v.webpki).toBe('NameConstraintViolation');
    expect(v['openssl-3']).toBe('permitted subtree violation');
  });

  it('host name mismatch', async () => {
    const v = await verdicts(chain(), 'other.example.com');
    expect(v.go).toBe('x509: certificate is valid for leaf.example.com, not other.example.com');
    expect(v.webpki).toBe('CertNotValidForName');
    expect(v['openssl-3']).toBe('hostname mismatch');
    expect(v['openssl-1.0.2']).toBe('Hostname mismatch');
  });

  it('a SAN with a trailing dot, host with the same dot: OpenSSL and Go compare it exactly, webpki refuses it', async () => {
    const v = await verdicts(chain({ leaf: (t) => (t.dns = ['leaf.example.com.']) }), 'leaf.example.com.');
    expect(v['openssl-3']).toBe('ok');
    expect(v.go).toBe('ok');
    expect(v.webpki).toBe('CertNotValidForName');
  });

  it('CN-only leaf: OpenSSL falls back to the CN, Go and webpki do not', async () => {
    const v = await verdicts(chain({ leaf: (t) => (t.dns = []) }), 'leaf');
    expect(v['openssl-3']).toBe('ok');
    expect(v.go).toBe('x509: certificate relies on legacy Common Name field, use SANs instead');
    expect(v.webpki).toBe('CertNotValidForName');
  });

  it("Let's Encrypt 2021 shape: only openssl-1.0.2 follows the served cross-sign to the expired root", async () => {
    const v = await verdicts({
      roots: ['isrg', 'dst'],
      leaf: 'leaf',
      mutateRoot: { dst: expire },
      graph: [
        { issuer: 'dst', subject: 'isrg' },
        { issuer: 'isrg', subject: 'r3' },
        { issuer: 'r3', subject: 'leaf' },
      ],
    });
    expect(v).toEqual({
      rfc5280: 'ok',
      'openssl-3': 'ok',
      'openssl-1.0.2': 'certificate has expired',
      go: 'ok',
      webpki: 'ok',
    });
  });
});
