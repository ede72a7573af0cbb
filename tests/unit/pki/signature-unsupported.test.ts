/**
 * verifySigned says when it cannot check a signature (`unsupported`), as a field: the issuer graph reads it to draw
 * such an edge as neither valid nor invalid, instead of matching words in the reason, which for WebCrypto's own
 * errors differ from one platform to the next.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifySigned } from '../../../src/lib/pki/adapter/signature.ts';
import { signedParts } from '../../../src/lib/pki/adapter/certificate.ts';
import { parseCertificates } from '../../../src/lib/pki/index.ts';

describe('verifySigned on what it cannot check', () => {
  it('an unknown algorithm, an MD5 signature or a PSS hash it lacks is unsupported; a wrong or malformed one is not', async () => {
    const [leaf, issuer] = (
      await parseCertificates(
        readFileSync(
          'fixtures/public-ca/azure/leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem',
          'utf8',
        ) +
          readFileSync(
            'fixtures/public-ca/azure/int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem',
            'utf8',
          ),
      )
    ).certificates;
    const parts = signedParts(leaf!.der, 'certificate');
    expect(await verifySigned(parts, issuer!.publicKey)).toEqual({ ok: true });
    const unknown = await verifySigned({ ...parts, algorithmOid: '1.2.3.4' }, issuer!.publicKey);
    expect(unknown).toMatchObject({ ok: false, unsupported: true });
    const md5 = await verifySigned({ ...parts, algorithmOid: '1.2.840.113549.1.1.4' }, issuer!.publicKey);
    expect(md5).toMatchObject({ ok: false, unsupported: true });
    // RSASSA-PSS whose parameters name SHA3-256 (2.16.840.1.101.3.4.2.8), well formed but a hash this engine lacks.
    const sha3 = Uint8Array.of(
      0x30,
      0x0f,
      0xa0,
      0x0d,
      0x30,
      0x0b,
      0x06,
      0x09,
      0x60,
      0x86,
      0x48,
      0x01,
      0x65,
      0x03,
      0x04,
      0x02,
      0x08,
    );
    const pss = await verifySigned(
      { ...parts, algorithmOid: '1.2.840.113549.1.1.10', algorithmParams: sha3 },
      issuer!.publicKey,
    );
    expect(pss).toMatchObject({ ok: false, unsupported: true });
    // Malformed PSS parameters are not "unsupported": they are wrong.
    const malformed = await verifySigned(
      { ...parts, algorithmOid: '1.2.840.113549.1.1.10', algorithmParams: Uint8Array.of(0x30, 0x05, 0xa0) },
      issuer!.publicKey,
    );
    expect(malformed.ok).toBe(false);
    expect('unsupported' in malformed && malformed.unsupported).toBeFalsy();
    const broken = parts.signature.slice();
    broken[10]! ^= 1;
    const wrong = await verifySigned({ ...parts, signature: broken }, issuer!.publicKey);
    expect(wrong.ok).toBe(false);
    expect('unsupported' in wrong && wrong.unsupported).toBeFalsy();
  });
});
