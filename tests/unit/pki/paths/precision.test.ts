/**
 * Issue 13, "small precision bugs":
 * - Validity is compared at whole seconds: RFC 5280 §4.1.2.5 defines the period as notBefore through notAfter
 *   inclusive with times of one-second resolution and rustls-webpki compares a UnixTime of whole seconds, so
 *   notAfter 00:00:00Z still holds at 00:00:00.500. OpenSSL compares a time_t but X509_cmp_time maps "equal" to
 *   "before", so it expires at the notAfter second (checked with the real CLI: `-attime` = notAfter is error 10).
 *   Go compares time.Time exactly (verify.go isValid: `now.After(c.NotAfter)`), a canonical fraction included.
 * - Fractional seconds in notAfter: RFC 5280 §4.1.2.5.2 "MUST NOT include fractional seconds": an error for
 *   rfc5280; error 14 for openssl-3 (checked against the real CLI in tests/interop/pki/parse/lenient.test.ts);
 *   BadDerTime for webpki; Go keeps the fraction.
 * - The depth limit and pathLen count like RFC 5280 §6.1.4 (l) / §4.2.1.9: self-issued intermediates (a CA's
 *   key rollover) are not counted.
 */
import { describe, expect, it } from 'vitest';
import { analyzeChain } from '../../../../src/lib/pki/index.ts';
import type { ProfileName, ProfileVerdict } from '../../../../src/lib/pki/profiles/types.ts';
import {
  ascii,
  ext,
  generalizedTime,
  int,
  name,
  pem,
  rawCertificate,
  resetKeys,
  T0,
  utcTime,
} from './raw-certs.ts';

const leafExtensions = [
  ext.basicConstraints(false),
  ext.keyUsage(false),
  ext.serverAuth(),
  ext.sanDns(ascii('leaf.example.com')),
];
const ca = (pathLen?: number) => [
  ext.basicConstraints(true, pathLen === undefined ? undefined : int(pathLen)),
  ext.keyUsage(true),
];

async function leafWithNotAfter(notAfter: Uint8Array) {
  resetKeys();
  const root = await rawCertificate({ subject: 'root', issuer: 'root', extensions: ca() });
  const leaf = await rawCertificate({
    subject: 'leaf',
    issuer: 'root',
    notAfter,
    extensions: leafExtensions,
  });
  return { certificates: pem(leaf), trustAnchors: pem(root) };
}

async function verdicts(
  input: { certificates: string; trustAnchors: string },
  atMs: number,
  maxChainDepth?: number,
) {
  const a = await analyzeChain({
    ...input,
    time: new Date(atMs),
    compareProfiles: true,
    ...(maxChainDepth !== undefined ? { maxChainDepth } : {}),
  });
  return Object.fromEntries((a.profiles ?? []).map((v) => [v.profile, v])) as Record<
    ProfileName,
    ProfileVerdict
  >;
}

describe('validity at whole seconds', () => {
  it('notAfter 00:00:00Z holds through 00:00:00.999 for rfc5280 and webpki; OpenSSL expires at that second, Go after it', async () => {
    const chain = await leafWithNotAfter(utcTime(T0));
    const at500 = await verdicts(chain, T0.getTime() + 500);
    expect(at500['rfc5280'].valid).toBe(true);
    expect(at500['webpki'].valid).toBe(true);
    // X509_cmp_time maps "equal" to "before": the real `openssl verify -attime <notAfter>` gives error 10.
    expect(at500['openssl-3'].error?.number).toBe(10);
    expect(at500['openssl-1.0.2'].error?.number).toBe(10);
    expect(at500['go'].error?.message).toBe(
      'x509: certificate has expired or is not yet valid: current time 2025-01-01T00:00:00Z is after 2025-01-01T00:00:00Z',
    );
    const before = await verdicts(chain, T0.getTime() - 500);
    for (const p of ['rfc5280', 'openssl-3', 'openssl-1.0.2', 'go', 'webpki'] as const)
      expect(before[p].valid, p).toBe(true);
    const at1000 = await verdicts(chain, T0.getTime() + 1000);
    expect(at1000['rfc5280'].valid).toBe(false);
    expect(at1000['webpki'].error?.code).toBe('CertExpired');
  });

  it('a notAfter with .250 seconds: rfc5280 error, openssl-3 error 14, webpki BadDerTime, Go keeps the fraction', async () => {
    const chain = await leafWithNotAfter(generalizedTime(T0, '25'));
    const early = await verdicts(chain, T0.getTime() + 100);
    expect(early['rfc5280'].valid).toBe(false);
    expect(early['openssl-3'].error).toMatchObject({
      number: 14,
      message: "format error in certificate's notAfter field",
    });
    // 1.0.2 X509_cmp_time skipped the fraction and compared seconds: notAfter T0 at T0 is already expired.
    expect(early['openssl-1.0.2'].error?.number).toBe(10);
    expect(early['webpki'].error?.code).toBe('BadDerTime');
    expect(early['go'].valid).toBe(true);
    const late = await verdicts(chain, T0.getTime() + 300);
    expect(late['go'].valid).toBe(false);
    expect(late['go'].error?.message).toMatch(/is after 2025-01-01T00:00:00Z$/);
  });
});

/** root -> ca (pathLen as given) -> ca under a new key, self-issued (CN=ca by CN=ca) -> leaf. */
async function rolloverChain(pathLen?: number) {
  resetKeys();
  const root = await rawCertificate({ subject: 'root', issuer: 'root', extensions: ca() });
  const caOld = await rawCertificate({
    subject: 'ca',
    issuer: 'root',
    extensions: ca(pathLen),
  });
  const caNew = await rawCertificate({
    subject: 'ca-new',
    issuer: 'ca',
    subjectName: name(['CN', 'ca']),
    extensions: ca(),
  });
  const leaf = await rawCertificate({
    subject: 'leaf',
    issuer: 'ca-new',
    issuerName: name(['CN', 'ca']),
    extensions: leafExtensions,
  });
  return { certificates: pem(leaf) + pem(caNew) + pem(caOld), trustAnchors: pem(root) };
}

/** root -> ca1 -> ca2 -> leaf, no self-issued certificate. */
async function plainChain(pathLen?: number) {
  resetKeys();
  const root = await rawCertificate({ subject: 'root', issuer: 'root', extensions: ca() });
  const ca1 = await rawCertificate({ subject: 'ca1', issuer: 'root', extensions: ca(pathLen) });
  const ca2 = await rawCertificate({ subject: 'ca2', issuer: 'ca1', extensions: ca() });
  const leaf = await rawCertificate({ subject: 'leaf', issuer: 'ca2', extensions: leafExtensions });
  return { certificates: pem(leaf) + pem(ca2) + pem(ca1), trustAnchors: pem(root) };
}

describe('self-issued intermediates and the path limits (RFC 5280 §6.1.4 (l))', () => {
  it('pathLen 0 above a self-issued intermediate holds for rfc5280 and openssl-3; Go counts every intermediate', async () => {
    const v = await verdicts(await rolloverChain(0), T0.getTime());
    expect(v['rfc5280'].valid).toBe(true);
    expect(v['openssl-3'].valid).toBe(true);
    expect(v['go'].error?.message).toBe('x509: too many intermediates for path length constraint');
    const plain = await verdicts(await plainChain(0), T0.getTime());
    expect(plain['rfc5280'].valid).toBe(false);
    expect(plain['openssl-3'].error?.number).toBe(25);
  });

  it('the depth limit does not count a self-issued intermediate', async () => {
    // Four certificates, three once the self-issued one is left out: within a limit of 3.
    const rollover = await analyzeChain({ ...(await rolloverChain()), time: T0, maxChainDepth: 3 });
    expect(rollover.verdict.valid).toBe(true);
    expect(rollover.truncated).toBe(false);
    // Four certificates with none self-issued: over the same limit.
    const plain = await analyzeChain({ ...(await plainChain()), time: T0, maxChainDepth: 3 });
    expect(plain.verdict.valid).toBe(false);
    expect(plain.truncation).toBe('depth');
    expect(plain.verdict.error?.code).toBe('chain-too-long');
  });
});
