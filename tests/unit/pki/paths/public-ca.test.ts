/**
 * Real public CA certificates (fixtures/public-ca, facts checked with openssl 3.0.19 in its README):
 * the Azure www.microsoft.com leaf has two valid paths through the two versions of Microsoft Azure RSA TLS
 * Issuing CA 07 (same key), and the Let's Encrypt 2021 chain separates OpenSSL 3 (trusted first) from OpenSSL
 * 1.0.2 (follows the served chain to the expired DST Root CA X3).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeChain } from '../../../../src/lib/pki/index.ts';

const DIR = fileURLToPath(new URL('../../../../fixtures/public-ca/', import.meta.url));
const pem = (p: string) => readFileSync(DIR + p, 'utf8');

const LEAF = pem('azure/leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem');
const CA07_XSIGN = pem('azure/int_azure-rsa-tls-issuing-ca-07_by-digicert-g2_xsign.pem');
const CA07_MS = pem('azure/int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem');
const G2 = pem('azure/root_digicert-global-root-g2.pem');
const MS2017 = pem('azure/root_microsoft-rsa-root-ca-2017.pem');
const AT = new Date('2024-01-15T00:00:00Z');

const R3 = pem('letsencrypt/int_r3_by-isrg-root-x1.pem');
const X1_CROSS = pem('letsencrypt/int_isrg-root-x1_by-dst-root-ca-x3_crosssigned.pem');
const X1 = pem('letsencrypt/root_isrg-root-x1_selfsigned.pem');
const DST = pem('letsencrypt/root_dst-root-ca-x3_expired-2021.pem');

describe('Azure www.microsoft.com with both versions of Issuing CA 07 in the pool', () => {
  it('has exactly 2 valid paths when both roots are trusted', async () => {
    const a = await analyzeChain({
      certificates: LEAF + CA07_XSIGN + CA07_MS,
      trustAnchors: G2 + MS2017,
      time: AT,
      hostname: 'www.microsoft.com',
      compareProfiles: true,
    });
    expect(a.paths.filter((p) => p.valid).map((p) => p.display.split(' -> ')[2])).toEqual([
      'CN=DigiCert Global Root G2,OU=www.digicert.com,O=DigiCert Inc,C=US',
      'CN=Microsoft RSA Root Certificate Authority 2017,O=Microsoft Corporation,C=US',
    ]);
    expect(a.paths).toHaveLength(2);
    expect(a.truncated).toBe(false);
    // The two CA 07 certificates are one identity (same subject, same key).
    expect(
      a.graph.identities.find((i) => i.subject.startsWith('CN=Microsoft Azure RSA TLS Issuing CA 07'))
        ?.certificateIds,
    ).toHaveLength(2);
    expect(a.profiles?.every((p) => p.valid)).toBe(true);
    expect(() => structuredClone(a)).not.toThrow();
  });

  it.each([
    ['DigiCert Global Root G2', G2],
    ['Microsoft RSA Root Certificate Authority 2017', MS2017],
  ])('has exactly 1 valid path with only %s trusted', async (name, root) => {
    const a = await analyzeChain({ certificates: LEAF + CA07_XSIGN + CA07_MS, trustAnchors: root, time: AT });
    expect(a.paths.filter((p) => p.valid)).toHaveLength(1);
    expect(a.paths[0]?.display).toContain(`CN=${name}`);
  });

  it('served cross-signed CA 07 first, only Microsoft root trusted: every-path builders succeed, OpenSSL 3 does not backtrack', async () => {
    const a = await analyzeChain({
      certificates: LEAF + CA07_XSIGN + CA07_MS,
      trustAnchors: MS2017,
      time: AT,
      compareProfiles: true,
    });
    const byProfile = Object.fromEntries(
      (a.profiles ?? []).map((p) => [p.profile, p.error?.message ?? 'ok']),
    );
    expect(byProfile).toEqual({
      rfc5280: 'ok',
      go: 'ok',
      // the first acceptable untrusted issuer (the xsign CA 07) is taken and never reconsidered
      'openssl-3': 'unable to get local issuer certificate',
      'openssl-1.0.2': 'unable to get local issuer certificate',
      // webpki tries the next intermediate after UnknownIssuer
      webpki: 'ok',
    });
    const o3 = a.profiles?.find((p) => p.profile === 'openssl-3');
    expect(o3?.error).toMatchObject({ number: 20, depth: 1 });
  });

  it('flags the leaf expired in 2025 in every profile with each client’s own words', async () => {
    const a = await analyzeChain({
      certificates: LEAF + CA07_MS,
      trustAnchors: MS2017,
      time: new Date('2025-01-01T00:00:00Z'),
      compareProfiles: true,
    });
    const byProfile = Object.fromEntries((a.profiles ?? []).map((p) => [p.profile, p.error?.message]));
    expect(byProfile).toEqual({
      rfc5280: expect.stringMatching(/^"www.microsoft.com" expired at 2024-09-08T17:24:20/),
      'openssl-3': 'certificate has expired',
      'openssl-1.0.2': 'certificate has expired',
      go: 'x509: certificate has expired or is not yet valid: current time 2025-01-01T00:00:00Z is after 2024-09-08T17:24:20Z',
      webpki: expect.stringMatching(/^CertExpired/),
    });
  });

  it('reports the host name mismatch per client', async () => {
    const a = await analyzeChain({
      certificates: LEAF + CA07_MS,
      trustAnchors: MS2017,
      time: AT,
      hostname: 'example.org',
      compareProfiles: true,
    });
    const byProfile = Object.fromEntries(
      (a.profiles ?? []).map((p) => [p.profile, p.error?.message ?? 'ok']),
    );
    expect(byProfile['openssl-3']).toBe('hostname mismatch');
    expect(byProfile['openssl-1.0.2']).toBe('Hostname mismatch');
    expect(byProfile.go).toMatch(
      /^x509: certificate is valid for (.+, )?www\.microsoft\.com, .*, not example\.org$/,
    );
    expect(byProfile.webpki).toBe('CertNotValidForName');
  });
});

describe("Let's Encrypt after DST Root CA X3 expired (2021-09-30), R3 as the end of the chain", () => {
  const served = R3 + X1_CROSS; // as servers sent it in 2021: R3, then ISRG Root X1 cross-signed by DST
  const anchors = X1 + DST;

  it('succeeds under openssl-3 (trusted first finds the self-signed ISRG Root X1)', async () => {
    const a = await analyzeChain({
      certificates: served,
      trustAnchors: anchors,
      time: new Date('2021-10-01T00:00:00Z'),
      purpose: 'any',
      profile: 'openssl-3',
    });
    expect(a.verdict.valid).toBe(true);
    expect(a.verdict.path).toHaveLength(2);
  });

  it('fails under openssl-1.0.2 with "certificate has expired" at the DST root (error 10, depth 2)', async () => {
    const a = await analyzeChain({
      certificates: served,
      trustAnchors: anchors,
      time: new Date('2021-10-01T00:00:00Z'),
      purpose: 'any',
      profile: 'openssl-1.0.2',
    });
    expect(a.verdict.valid).toBe(false);
    expect(a.verdict.error).toMatchObject({
      code: 'X509_V_ERR_CERT_HAS_EXPIRED',
      message: 'certificate has expired',
      number: 10,
      depth: 2,
    });
    expect(a.verdict.error?.certificate?.subject).toBe('CN=DST Root CA X3,O=Digital Signature Trust Co.');
  });

  it('passes under openssl-1.0.2 the day before the expiry', async () => {
    const a = await analyzeChain({
      certificates: served,
      trustAnchors: anchors,
      time: new Date('2021-09-29T00:00:00Z'),
      purpose: 'any',
      profile: 'openssl-1.0.2',
    });
    expect(a.verdict.valid).toBe(true);
    expect(a.verdict.path).toHaveLength(3);
  });

  it('enumerates both paths: the one through the expired DST root is invalid, the other valid', async () => {
    const a = await analyzeChain({
      certificates: served,
      trustAnchors: anchors,
      time: new Date('2021-10-01T00:00:00Z'),
      purpose: 'any',
    });
    expect(
      a.paths.map((p) => [
        p.certificates.length,
        p.valid,
        p.reasons.filter((r) => r.severity === 'error').map((r) => r.code),
      ]),
    ).toEqual([
      [2, true, []],
      [3, false, ['expired']],
    ]);
  });
});
