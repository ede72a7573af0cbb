/**
 * Real public CA certificates (fixtures/public-ca, sources in its README) parsed by our parser and
 * compared field by field with the README's table and with the OpenSSL CLI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCertificates, verifyCertificateSignature } from '../../../../src/lib/pki/parse.ts';
import type { CertView } from '../../../../src/lib/pki/types.ts';
import { openssl, PUBLIC_CA, publicCaFiles } from './helpers.ts';

interface Row {
  file: string;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  sha256: string;
  sha1: string;
  spki16: string;
}

function readmeTable(): Row[] {
  const text = readFileSync(join(PUBLIC_CA, 'README.md'), 'utf8');
  return text
    .split('\n')
    .filter((l) => /^\| (azure|letsencrypt)\/\S+\.pem \|/.test(l))
    .map((l) => {
      const c = l.split('|').map((s) => s.trim());
      return {
        file: c[1]!,
        subject: c[2]!,
        issuer: c[3]!,
        notBefore: c[4]!,
        notAfter: c[5]!,
        sha256: c[6]!,
        sha1: c[7]!,
        spki16: c[8]!,
      };
    });
}

async function load(file: string): Promise<CertView> {
  const report = await parseCertificates(readFileSync(join(PUBLIC_CA, file), 'utf8'));
  expect(report.problems).toEqual([]);
  expect(report.certificates).toHaveLength(1);
  return report.certificates[0]!;
}

const FILES = publicCaFiles();
const TABLE = readmeTable();

describe('public CA fixtures', () => {
  it('the README table lists every fixture file', () => {
    expect(TABLE.map((r) => r.file).sort()).toEqual([...FILES].sort());
  });

  it.each(TABLE.map((r) => [r.file, r] as const))('%s agrees with the README table', async (file, row) => {
    const cert = await load(file);
    expect(cert.subject.rfc4514).toBe(row.subject);
    expect(cert.issuer.rfc4514).toBe(row.issuer);
    expect(cert.validity.notBeforeMs).toBe(Date.parse(row.notBefore));
    expect(cert.validity.notAfterMs).toBe(Date.parse(row.notAfter));
    expect(cert.fingerprints.sha256).toBe(row.sha256.toLowerCase());
    expect(cert.fingerprints.sha1).toBe(row.sha1.toLowerCase());
    expect(cert.fingerprints.spkiSha256.slice(0, 16)).toBe(row.spki16);
    expect(cert.id).toBe(cert.fingerprints.sha256);
  });

  it.each(FILES)('%s agrees with openssl x509 (subject, issuer, dates, fingerprints, SPKI)', async (file) => {
    const path = join(PUBLIC_CA, file);
    const cert = await load(file);
    const out = openssl([
      'x509',
      '-in',
      path,
      '-noout',
      '-nameopt',
      'RFC2253',
      '-subject',
      '-issuer',
      '-dates',
      '-fingerprint',
      '-sha256',
    ])
      .toString('utf8')
      .split('\n');
    const field = (k: string): string => {
      const line = out.find((l) => l.startsWith(`${k}=`));
      expect(line, `openssl printed ${k}`).toBeDefined();
      return line!.slice(k.length + 1);
    };
    expect(cert.subject.rfc4514).toBe(field('subject'));
    expect(cert.issuer.rfc4514).toBe(field('issuer'));
    expect(cert.validity.notBeforeMs).toBe(Date.parse(field('notBefore')));
    expect(cert.validity.notAfterMs).toBe(Date.parse(field('notAfter')));
    expect(cert.fingerprints.sha256).toBe(field('sha256 Fingerprint').replaceAll(':', '').toLowerCase());
    const sha1 = openssl(['x509', '-in', path, '-noout', '-fingerprint', '-sha1']).toString().trim();
    expect(cert.fingerprints.sha1).toBe(sha1.split('=')[1]!.replaceAll(':', '').toLowerCase());
    // SPKI: openssl extracts the public key, re-encodes it as DER and hashes it.
    const pub = openssl(['x509', '-in', path, '-noout', '-pubkey']);
    const spkiDer = openssl(['pkey', '-pubin', '-outform', 'DER'], pub);
    expect(Buffer.from(cert.publicKey.spkiDer).equals(spkiDer)).toBe(true);
    const digest = openssl(['dgst', '-sha256', '-binary'], spkiDer);
    expect(cert.fingerprints.spkiSha256).toBe(digest.toString('hex'));
    expect(cert.fingerprints.spkiSha256Base64).toBe(digest.toString('base64'));
    // Serial number as openssl prints it (upper-case hex without a leading 00).
    const serial = openssl(['x509', '-in', path, '-noout', '-serial']).toString().trim().split('=')[1]!;
    expect(cert.serialHex.replace(/^00/, '')).toBe(serial.toLowerCase());
  });

  it('cross-signed and re-issued versions of one CA share spkiSha256 but not their identity', async () => {
    const pairs: [string, string][] = [
      [
        'azure/int_azure-rsa-tls-issuing-ca-03_by-digicert-g2_xsign.pem',
        'azure/int_azure-rsa-tls-issuing-ca-03_by-microsoft-rsa-root-2017.pem',
      ],
      [
        'azure/int_azure-rsa-tls-issuing-ca-07_by-digicert-g2_xsign.pem',
        'azure/int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem',
      ],
      [
        'azure/int_microsoft-tls-rsa-root-g2_by-digicert-g2_xsign.pem',
        'azure/root_microsoft-tls-rsa-root-g2_selfsigned.pem',
      ],
      [
        'letsencrypt/int_isrg-root-x1_by-dst-root-ca-x3_crosssigned.pem',
        'letsencrypt/root_isrg-root-x1_selfsigned.pem',
      ],
      [
        'letsencrypt/int_isrg-root-x2_by-isrg-root-x1_crosssigned.pem',
        'letsencrypt/root_isrg-root-x2_selfsigned.pem',
      ],
      ['letsencrypt/int_e5_by-isrg-root-x1_crosssigned.pem', 'letsencrypt/int_e5_by-isrg-root-x2.pem'],
      ['letsencrypt/int_r3_by-dst-root-ca-x3_crosssigned.pem', 'letsencrypt/int_r3_by-isrg-root-x1.pem'],
    ];
    for (const [a, b] of pairs) {
      const [x, y] = [await load(a), await load(b)];
      expect(x.fingerprints.spkiSha256, `${a} vs ${b}`).toBe(y.fingerprints.spkiSha256);
      expect(x.id).not.toBe(y.id);
      expect(x.subject.key).toBe(y.subject.key);
      expect(x.subjectKeyId).toBe(y.subjectKeyId);
    }
  });

  it('decodes the extensions of the www.microsoft.com leaf as openssl shows them', async () => {
    const file = 'azure/leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem';
    const cert = await load(file);
    const text = openssl([
      'x509',
      '-in',
      join(PUBLIC_CA, file),
      '-noout',
      '-ext',
      'subjectAltName,keyUsage,extendedKeyUsage,basicConstraints,subjectKeyIdentifier,authorityKeyIdentifier',
    ]).toString();
    const dns = [...text.matchAll(/DNS:([^,\s]+)/g)].map((m) => m[1]);
    expect(cert.san?.dns).toEqual(dns);
    expect(cert.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(text).toMatch(/Digital Signature, Key Encipherment/);
    expect(cert.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1']);
    expect(text).toMatch(/TLS Web Client Authentication, TLS Web Server Authentication/);
    expect(cert.basicConstraints).toEqual({ ca: false });
    const ski = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(text)![1]!;
    expect(cert.subjectKeyId).toBe(ski.replaceAll(':', '').toLowerCase());
    const aki = /Authority Key Identifier:\s*\n\s*(?:keyid:)?([0-9A-F:]+)/.exec(text)![1]!;
    expect(cert.authorityKeyId).toBe(aki.replaceAll(':', '').toLowerCase());
    expect(cert.publicKey).toMatchObject({ algorithm: 'RSA', bits: 2048 });
    expect(cert.signatureAlgorithm).toEqual({
      oid: '1.2.840.113549.1.1.12',
      name: 'sha384WithRSAEncryption',
      hash: 'SHA-384',
    });
    expect(cert.selfIssued).toBe(false);
    expect(cert.version).toBe(3);
  });

  it('reads EC keys and AIA/CRL DP/policies (Let’s Encrypt E5, ISRG Root X2)', async () => {
    const e5 = await load('letsencrypt/int_e5_by-isrg-root-x2.pem');
    expect(e5.publicKey).toMatchObject({ algorithm: 'EC', curve: 'P-384', bits: 384 });
    expect(e5.signatureAlgorithm.name).toBe('ecdsa-with-SHA384');
    expect(e5.basicConstraints).toEqual({ ca: true, pathLen: 0 });
    const text = openssl([
      'x509',
      '-in',
      join(PUBLIC_CA, 'letsencrypt/int_e5_by-isrg-root-x2.pem'),
      '-noout',
      '-text',
    ]).toString();
    expect(e5.aia?.caIssuers).toEqual([...text.matchAll(/CA Issuers - URI:(\S+)/g)].map((m) => m[1]));
    expect(e5.crlDistributionPoints).toEqual([...text.matchAll(/^\s+URI:(\S+)$/gm)].map((m) => m[1]));
    expect(e5.policies?.map((p) => p.oid)).toEqual([...text.matchAll(/Policy: ([\d.]+)/g)].map((m) => m[1]));
    const x2 = await load('letsencrypt/root_isrg-root-x2_selfsigned.pem');
    expect(x2.selfIssued).toBe(true);
    expect(x2.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    expect(x2.extensions.every((e) => e.known)).toBe(true);
  });
});

/** File-name short names (after "_by-") to the root file that issued them. */
const ROOT_OF: Record<string, string> = {
  'digicert-g2': 'azure/root_digicert-global-root-g2.pem',
  'microsoft-rsa-root-2017': 'azure/root_microsoft-rsa-root-ca-2017.pem',
  'microsoft-tls-rsa-root-g2': 'azure/root_microsoft-tls-rsa-root-g2_selfsigned.pem',
  'isrg-root-x1': 'letsencrypt/root_isrg-root-x1_selfsigned.pem',
  'isrg-root-x2': 'letsencrypt/root_isrg-root-x2_selfsigned.pem',
  'dst-root-ca-x3': 'letsencrypt/root_dst-root-ca-x3_expired-2021.pem',
};

describe('signature checks on real chains', () => {
  const intermediates = FILES.filter((f) => f.split('/')[1]!.startsWith('int_'));

  it('covers every int_* fixture with a known root', () => {
    expect(intermediates.length).toBe(21);
    for (const f of intermediates)
      expect(ROOT_OF[/_by-([a-z0-9-]+?)(?:_|\.pem)/.exec(f)![1]!], f).toBeDefined();
  });

  it.each(intermediates)(
    '%s verifies against the root in its name and fails against another',
    async (file) => {
      const rootName = /_by-([a-z0-9-]+?)(?:_|\.pem)/.exec(file)![1]!;
      const child = await load(file);
      const root = await load(ROOT_OF[rootName]!);
      expect(await verifyCertificateSignature(child, root)).toEqual({ ok: true });
      const wrongFile = rootName === 'isrg-root-x1' ? ROOT_OF['isrg-root-x2']! : ROOT_OF['isrg-root-x1']!;
      const wrong = await verifyCertificateSignature(child, await load(wrongFile));
      expect(wrong.ok).toBe(false);
      if (!wrong.ok) expect(wrong.reason).toMatch(/does not verify|issuer's key is/);
    },
  );

  it('a leaf verifies through both versions of its cross-signed issuer (same key)', async () => {
    const leaf = await load('azure/leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem');
    for (const f of [
      'azure/int_azure-rsa-tls-issuing-ca-07_by-digicert-g2_xsign.pem',
      'azure/int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem',
    ]) {
      expect(await verifyCertificateSignature(leaf, await load(f))).toEqual({ ok: true });
    }
  });

  it('a tampered certificate fails with a reason', async () => {
    const child = await load('letsencrypt/int_r10_by-isrg-root-x1.pem');
    const root = await load(ROOT_OF['isrg-root-x1']!);
    const der = child.der.slice();
    der[200] = der[200]! ^ 1; // inside the TBS
    const tampered = { ...child, der };
    const r = await verifyCertificateSignature(tampered, root);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('sha256WithRSAEncryption signature does not verify');
  });
});
