/**
 * Trust-store presets: the generated modules hold exactly the public roots they claim (checked against the
 * Debian system bundle and fixtures/public-ca), every root parses, and every self-signature verifies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCertificates, verifyCertificateSignature } from '../../../../src/lib/pki/parse.ts';
import {
  getTrustStore,
  TRUST_STORE_PRESETS,
  type TrustStoreName,
} from '../../../../src/lib/pki/trust-stores/index.ts';
import { MOZILLA } from '../../../../src/lib/pki/trust-stores/mozilla.pem.ts';
import { PUBLIC_CA } from './helpers.ts';

async function fingerprintsOf(text: string): Promise<string[]> {
  const r = await parseCertificates(text);
  expect(r.problems).toEqual([]);
  return r.certificates.map((c) => c.id);
}

describe('trust-store presets', () => {
  it('lists the three presets', () => {
    expect(TRUST_STORE_PRESETS.map((p) => p.name)).toEqual(['mozilla', 'azure-postgresql', 'letsencrypt']);
  });

  it('mozilla: the Debian ca-certificates Mozilla set, every root in the system bundle, every self-signature valid', async () => {
    const store = await getTrustStore('mozilla');
    expect(store.name).toBe('mozilla');
    const report = await parseCertificates(store.pem);
    expect(report.problems).toEqual([]);
    expect(report.certificates).toHaveLength(MOZILLA.count);
    expect(MOZILLA.count).toBeGreaterThan(100);
    expect(MOZILLA.debianPackageVersion).toBe('20230311+deb12u1');
    // The system bundle (/etc/ssl/certs) = the Mozilla set + any locally added CA: ours must be a subset.
    const system = new Set(await fingerprintsOf(readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8')));
    for (const c of report.certificates) expect(system.has(c.id), c.subject.rfc4514).toBe(true);
    let verified = 0;
    for (const c of report.certificates) {
      expect(c.selfIssued, c.subject.rfc4514).toBe(true);
      const r = await verifyCertificateSignature(c, c);
      expect(r, c.subject.rfc4514).toEqual({ ok: true });
      verified++;
    }
    expect(verified).toBe(MOZILLA.count);
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
