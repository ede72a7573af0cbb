/**
 * The certificate-signature verifier keeps the issuer keys WebCrypto imported (by import parameters and
 * SubjectPublicKeyInfo): checking certificates against the same issuer again imports its key once, and a kept key
 * never vouches for a certificate that another key signed.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseCertificates, verifyCertificateSignature } from '../../../../src/lib/pki/parse.ts';
import type { CertView } from '../../../../src/lib/pki/types.ts';
import { testPki } from '../../../kit/pure/pki.ts';

let ca: CertView;
let untrustedCa: CertView;
let leaf: CertView;
beforeAll(async () => {
  const pki = await testPki();
  const one = async (der: Uint8Array) => (await parseCertificates(der)).certificates[0]!;
  [ca, untrustedCa, leaf] = await Promise.all([
    one(pki.ca.certDer),
    one(pki.untrustedCa.certDer),
    one(pki.rsa.certDer),
  ]);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('issuer keys imported once', () => {
  it('verifies a certificate against the same issuer three times with one import of its key', async () => {
    expect(await verifyCertificateSignature(leaf, ca)).toEqual({ ok: true }); // kept from here on
    const importKey = vi.spyOn(globalThis.crypto.subtle, 'importKey');
    for (let i = 0; i < 3; i++) expect(await verifyCertificateSignature(leaf, ca)).toEqual({ ok: true });
    expect(importKey).not.toHaveBeenCalled();
  });

  it('a kept key of another issuer does not verify the certificate', async () => {
    expect(await verifyCertificateSignature(leaf, ca)).toEqual({ ok: true });
    for (let i = 0; i < 2; i++) {
      const r = await verifyCertificateSignature(leaf, untrustedCa);
      expect(r.ok).toBe(false);
    }
  });
});
