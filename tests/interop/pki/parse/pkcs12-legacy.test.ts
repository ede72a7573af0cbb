/**
 * Legacy PKCS#12 files (RFC 7292 Appendix C: RC2 and triple DES under the PKCS#12 KDF), made by OpenSSL 3
 * (fixtures/pkcs12/README.md): our parser gets the same certificates as `openssl pkcs12 -legacy -nokeys`,
 * counts the key bag and keeps none of the key, and a wrong password gives the clear error, with or without
 * a MAC. RC4 files are still refused, with the OpenSSL workaround.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCertificates } from '../../../../src/lib/pki/parse.ts';
import { checkBounded } from '../../../kit/pure/property.ts';
import { ecPrivateScalar, expectNoSecret, openssl, ROOT, tempDir } from './helpers.ts';

const DIR = join(ROOT, 'fixtures', 'pkcs12');
const PASSWORD = 'legacy pass';

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(DIR, name)));
}

/** The DER of each certificate `openssl pkcs12 -legacy -nokeys` prints, as hex, in file order. */
function opensslCertificates(file: string, password: string): string[] {
  const pem = openssl([
    'pkcs12',
    '-legacy',
    '-nokeys',
    '-in',
    file,
    '-passin',
    `pass:${password}`,
  ]).toString();
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => openssl(['x509', '-outform', 'DER'], b).toString('hex'));
}

describe('legacy PKCS#12 (RFC 7292 Appendix C) made by OpenSSL 3', () => {
  it.each([
    ['legacy-default.p12', 'pbeWithSHAAnd40BitRC2-CBC certificates, 3-key 3DES key, SHA-1 MAC (-legacy)'],
    ['rc2-40-3des.p12', 'pbeWithSHAAnd40BitRC2-CBC certificates, 3-key 3DES key'],
    ['rc2-128.p12', 'pbeWithSHAAnd128BitRC2-CBC certificates'],
    ['3des.p12', 'pbeWithSHAAnd3-KeyTripleDES-CBC certificates'],
    ['2des.p12', 'pbeWithSHAAnd2-KeyTripleDES-CBC certificates and key'],
    ['legacy-nomac.p12', 'pbeWithSHAAnd40BitRC2-CBC certificates, no MAC'],
  ])('%s (%s): the certificates openssl extracts, the key counted and dropped', async (name) => {
    const expected = opensslCertificates(join(DIR, name), PASSWORD);
    expect(expected).toHaveLength(2);
    const report = await parseCertificates(fixture(name), { password: PASSWORD });
    expect(report.problems).toEqual([]);
    expect(report.needsPassword).toBeUndefined();
    expect(report.certificates.map((c) => Buffer.from(c.der).toString('hex'))).toEqual(expected);
    expect(report.discardedPrivateKeys).toBe(1);
    expect(report.blocks[0]!.kind).toBe('PKCS#12');
    expectNoSecret(report, ecPrivateScalar(join(DIR, 'leaf.key')));
  });

  it('a wrong password with a MAC: the MAC error, as openssl refuses it', async () => {
    expect(() => opensslCertificates(join(DIR, 'legacy-default.p12'), 'wrong')).toThrow();
    const report = await parseCertificates(fixture('legacy-default.p12'), { password: 'wrong' });
    expect(report.certificates).toEqual([]);
    expect(report.needsPassword).toBe(true);
    expect(report.problems[0]!.message).toBe('the PKCS#12 password is wrong (the MAC does not verify)');
  });

  it('a wrong password without a MAC: the padding says so, as openssl refuses it', async () => {
    expect(() => opensslCertificates(join(DIR, 'legacy-nomac.p12'), 'wrong')).toThrow();
    const report = await parseCertificates(fixture('legacy-nomac.p12'), { password: 'wrong' });
    expect(report.certificates).toEqual([]);
    expect(report.needsPassword).toBe(true);
    expect(report.problems[0]!.message).toMatch(
      /^the PKCS#12 password is wrong \(the pbeWithSHAAnd40BitRC2-CBC contents decrypt to (invalid padding: .+|something that is not SafeContents)\)$/,
    );
  });

  it('no password given: the empty password is tried, as openssl pkcs12 -passin pass: opens the file', async () => {
    const expected = opensslCertificates(join(DIR, 'empty-password.p12'), '');
    expect(expected).toHaveLength(2);
    const report = await parseCertificates(fixture('empty-password.p12'));
    expect(report.problems).toEqual([]);
    expect(report.certificates.map((c) => Buffer.from(c.der).toString('hex'))).toEqual(expected);
    expect(report.discardedPrivateKeys).toBe(1);
    expectNoSecret(report, ecPrivateScalar(join(DIR, 'leaf.key')));
  });

  it('no password: needsPassword', async () => {
    const report = await parseCertificates(fixture('rc2-128.p12'));
    expect(report.needsPassword).toBe(true);
    expect(report.problems[0]!.message).toBe('the PKCS#12 file is protected by a password; none was given');
  });

  it('a password outside ASCII and the BMP (UTF-16 surrogates, as OpenSSL encodes it)', async () => {
    const dir = tempDir();
    const password = 'pässwörd 😀';
    const file = join(dir, 'utf8.p12');
    openssl([
      'pkcs12',
      '-export',
      '-provider',
      'default',
      '-provider',
      'legacy',
      '-certpbe',
      'PBE-SHA1-RC2-40',
      '-keypbe',
      'PBE-SHA1-3DES',
      '-nomac',
      '-in',
      join(DIR, 'leaf.pem'),
      '-inkey',
      join(DIR, 'leaf.key'),
      '-passout',
      `pass:${password}`,
      '-out',
      file,
    ]);
    const report = await parseCertificates(new Uint8Array(readFileSync(file)), { password });
    expect(report.problems).toEqual([]);
    expect(report.certificates.map((c) => Buffer.from(c.der).toString('hex'))).toEqual(
      opensslCertificates(file, password),
    );
  });

  it('RC4 (pbeWithSHAAnd128BitRC4) is refused with the openssl workaround', async () => {
    const report = await parseCertificates(fixture('rc4-128.p12'), { password: PASSWORD });
    expect(report.certificates).toEqual([]);
    expect(report.needsPassword).toBeUndefined();
    expect(report.problems[0]!.message).toBe(
      'the PKCS#12 certificates are encrypted with pbeWithSHAAnd128BitRC4 (RFC 7292 Appendix C), which this ' +
        'tool cannot decrypt; extract them with `openssl pkcs12 -in FILE -nokeys -legacy` and paste the PEM instead',
    );
  });

  it('damaged MAC-less legacy files give problems, never a crash or a half-read key', async () => {
    // Without a MAC, flipped bytes reach the KDF, RC2, 3DES and the padding check.
    const base = fixture('legacy-nomac.p12');
    const secret = ecPrivateScalar(join(DIR, 'leaf.key'));
    await checkBounded(
      'damaged legacy PKCS#12',
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }),
        async (flips) => {
          const bytes = base.slice();
          for (const [pos, x] of flips) bytes[pos % bytes.length] = bytes[pos % bytes.length]! ^ x;
          const report = await parseCertificates(bytes, { password: PASSWORD });
          for (const p of report.problems) expect(p.message.length).toBeGreaterThan(0);
          expect(structuredClone(report)).toEqual(report);
          expectNoSecret(report, secret);
        },
      ),
      { numRuns: 60, timeLimitMs: 10_000 },
    );
  });
});
