/**
 * Trust-store presets: the generated modules hold exactly the public roots they claim (checked against the pinned
 * copy of Debian's ca-certificates in fixtures/ca-certificates and against fixtures/public-ca, never against the
 * machine's own bundle, which an install can change), every root parses, and every self-signature verifies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCertificates, verifyCertificateSignature } from '../../../../src/lib/pki/parse.ts';
import {
  formerRootsFor,
  getTrustStore,
  TRUST_STORE_PRESETS,
  type TrustStoreName,
} from '../../../../src/lib/pki/trust-stores/index.ts';
import { MOZILLA } from '../../../../src/lib/pki/trust-stores/mozilla.pem.ts';
import { MOZILLA_META } from '../../../../src/lib/pki/trust-stores/mozilla.meta.ts';
import type { PinnedVersion } from '../../../../scripts/refresh-ca-certificates.ts';
import { PUBLIC_CA, ROOT } from './helpers.ts';

const CA_CERTIFICATES = join(ROOT, 'fixtures', 'ca-certificates');
const PINNED = JSON.parse(readFileSync(join(CA_CERTIFICATES, 'source.json'), 'utf8')) as PinnedVersion;
const HISTORY = JSON.parse(readFileSync(join(CA_CERTIFICATES, 'history.json'), 'utf8')) as PinnedVersion[];

async function fingerprintsOf(text: string): Promise<string[]> {
  const r = await parseCertificates(text);
  expect(r.problems).toEqual([]);
  return r.certificates.map((c) => c.id);
}

describe('trust-store presets', () => {
  it('lists the three presets', () => {
    expect(TRUST_STORE_PRESETS.map((p) => p.name)).toEqual(['mozilla', 'azure-postgresql', 'letsencrypt']);
  });

  it('mozilla: exactly the pinned Debian ca-certificates Mozilla set, in order, every self-signature valid', async () => {
    const store = await getTrustStore('mozilla');
    expect(store.name).toBe('mozilla');
    const report = await parseCertificates(store.pem);
    expect(report.problems).toEqual([]);
    expect(report.certificates).toHaveLength(MOZILLA.count);
    // The pinned copy of the Debian package (fixtures/ca-certificates), never the machine's own bundle.
    expect(MOZILLA.debianPackageVersion).toBe(PINNED.version);
    expect(MOZILLA.mozillaBundleVersion).toBe(PINNED.mozillaBundleVersion);
    expect(MOZILLA.date).toBe(PINNED.date);
    expect(report.certificates.map((c) => c.fingerprints.sha256)).toEqual(PINNED.roots.map((r) => r.sha256));
    expect(report.certificates.map((c) => c.subject.rfc4514)).toEqual(PINNED.roots.map((r) => r.subject));
    expect(await fingerprintsOf(readFileSync(join(CA_CERTIFICATES, 'mozilla.pem'), 'utf8'))).toEqual(
      report.certificates.map((c) => c.id),
    );
    let verified = 0;
    for (const c of report.certificates) {
      expect(c.selfIssued, c.subject.rfc4514).toBe(true);
      const r = await verifyCertificateSignature(c, c);
      expect(r, c.subject.rfc4514).toEqual({ ok: true });
      verified++;
    }
    expect(verified).toBe(MOZILLA.count);
  });

  it('mozilla: the picker names its version and date; the small metadata agrees with the big module', () => {
    const preset = TRUST_STORE_PRESETS.find((p) => p.name === 'mozilla');
    expect(preset?.title).toBe(`Mozilla roots, Debian ca-certificates ${PINNED.version} (${PINNED.date})`);
    expect(preset?.version).toBe(PINNED.version);
    expect(MOZILLA_META.debianPackageVersion).toBe(MOZILLA.debianPackageVersion);
    expect(MOZILLA_META.count).toBe(MOZILLA.count);
  });

  it('mozilla: remembers the roots earlier pinned versions had and this one dropped', () => {
    const current = new Set(PINNED.roots.map((r) => r.sha256));
    const dropped = HISTORY.flatMap((h) =>
      h.roots.filter((r) => !current.has(r.sha256)).map((r) => r.sha256),
    );
    expect(MOZILLA_META.removed.map((r) => r.sha256).sort()).toEqual([...new Set(dropped)].sort());
    // The root that turned `npm test` red on fresh machines (issue 12), dropped after 20230311+deb12u1.
    expect(MOZILLA_META.removed).toContainEqual({
      subject: 'CN=Autoridad de Certificacion Firmaprofesional CIF A62634068,C=ES',
      sha256: '04048028bf1f2864d48f9ad4d83294366a828856553f3b14303f90147f5d40ef',
      lastVersion: '20230311+deb12u1',
      lastDate: HISTORY.find((h) => h.version === '20230311+deb12u1')?.date,
    });
    for (const r of MOZILLA_META.removed) expect(current.has(r.sha256), r.subject).toBe(false);
  });

  it('formerRootsFor: a dropped root found by its fingerprint or named as an issuer; other presets have none', async () => {
    const aaa = await parseCertificates(
      readFileSync(join(PUBLIC_CA, 'comodo', 'root_aaa-certificate-services.pem'), 'utf8'),
    );
    const root = aaa.certificates[0]!;
    const asSent = {
      sha256: root.fingerprints.sha256,
      subject: root.subject.rfc4514,
      issuer: root.issuer.rfc4514,
    };
    const byFingerprint = formerRootsFor('mozilla', [asSent]);
    expect(byFingerprint.map((r) => r.subject)).toEqual([root.subject.rfc4514]);
    const child = { sha256: '00'.repeat(32), subject: 'CN=Some intermediate', issuer: root.subject.rfc4514 };
    expect(formerRootsFor('mozilla', [child])).toEqual(byFingerprint);
    expect(formerRootsFor('mozilla', [{ ...child, issuer: 'CN=Someone else' }])).toEqual([]);
    expect(formerRootsFor('letsencrypt', [asSent])).toEqual([]);
  });

  it.each([
    [
      'azure-postgresql',
      [
        'azure/root_digicert-global-root-g2.pem',
        'azure/root_microsoft-rsa-root-ca-2017.pem',
        'azure/root_digicert-global-root-ca.pem',
      ],
    ],
    [
      'letsencrypt',
      ['letsencrypt/root_isrg-root-x1_selfsigned.pem', 'letsencrypt/root_isrg-root-x2_selfsigned.pem'],
    ],
  ] as const)('%s holds exactly its fixture roots', async (name, files) => {
    const store = await getTrustStore(name);
    const expected: string[] = [];
    for (const f of files) expected.push(...(await fingerprintsOf(readFileSync(join(PUBLIC_CA, f), 'utf8'))));
    expect(await fingerprintsOf(store.pem)).toEqual(expected);
    expect(store.description.length).toBeGreaterThan(20);
  });

  it('rejects an unknown name with the list of known ones', async () => {
    await expect(getTrustStore('nope' as TrustStoreName)).rejects.toThrow(
      'unknown trust store "nope" (known: mozilla, azure-postgresql, letsencrypt)',
    );
  });
});
