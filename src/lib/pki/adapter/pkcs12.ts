/**
 * PKCS#12 / PFX (RFC 7292) via pkijs: certificates only. Key bags (keyBag, pkcs8ShroudedKeyBag) are
 * counted and never decrypted or copied. The password is checked through the MAC (RFC 7292 §4, macData)
 * and used for password-encrypted SafeContents (PBES2, RFC 8018).
 */
import * as pkijs from 'pkijs';

const BAG = {
  key: '1.2.840.113549.1.12.10.1.1',
  shroudedKey: '1.2.840.113549.1.12.10.1.2',
  cert: '1.2.840.113549.1.12.10.1.3',
  crl: '1.2.840.113549.1.12.10.1.4',
  x509Certificate: '1.2.840.113549.1.9.22.1',
} as const;

/** RFC 7292 Appendix C PBE algorithms (PKCS#12 KDF + RC2/RC4/3DES), which pkijs does not implement. */
const LEGACY_PBE: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.12.1.1': 'pbeWithSHAAnd128BitRC4',
  '1.2.840.113549.1.12.1.2': 'pbeWithSHAAnd40BitRC4',
  '1.2.840.113549.1.12.1.3': 'pbeWithSHAAnd3-KeyTripleDES-CBC',
  '1.2.840.113549.1.12.1.4': 'pbeWithSHAAnd2-KeyTripleDES-CBC',
  '1.2.840.113549.1.12.1.5': 'pbeWithSHAAnd128BitRC2-CBC',
  '1.2.840.113549.1.12.1.6': 'pbeWithSHAAnd40BitRC2-CBC',
};

/** More MAC iterations than this is treated as hostile (OpenSSL uses 2048). */
const MAX_MAC_ITERATIONS = 1_000_000;

export type Pkcs12Result =
  | { ok: true; certificates: Uint8Array[]; privateKeys: number; skippedBags: number }
  | { ok: false; needsPassword: boolean; reason: string };

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function bytesToArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

export async function readPkcs12(der: Uint8Array, password: string | undefined): Promise<Pkcs12Result> {
  let pfx: pkijs.PFX;
  try {
    pfx = pkijs.PFX.fromBER(bytesToArrayBuffer(der));
  } catch (err) {
    return { ok: false, needsPassword: false, reason: `the PKCS#12 structure is invalid: ${message(err)}` };
  }
  const iterations = pfx.macData?.iterations ?? 1;
  if (iterations > MAX_MAC_ITERATIONS) {
    return {
      ok: false,
      needsPassword: false,
      reason: `the PKCS#12 MAC asks for ${iterations} iterations (over ${MAX_MAC_ITERATIONS})`,
    };
  }
  const hasMac = pfx.macData !== undefined;
  if (hasMac && password === undefined) {
    return {
      ok: false,
      needsPassword: true,
      reason: 'the PKCS#12 file is protected by a password; none was given',
    };
  }
  const pw = bytesToArrayBuffer(new TextEncoder().encode(password ?? ''));
  try {
    await pfx.parseInternalValues({ password: pw, checkIntegrity: hasMac });
  } catch (err) {
    const why = message(err);
    if (/integrity/i.test(why)) {
      return {
        ok: false,
        needsPassword: true,
        reason: 'the PKCS#12 password is wrong (the MAC does not verify)',
      };
    }
    return { ok: false, needsPassword: false, reason: `the PKCS#12 file could not be opened: ${why}` };
  }
  const authSafe = pfx.parsedValue?.authenticatedSafe;
  if (authSafe === undefined)
    return { ok: false, needsPassword: false, reason: 'the PKCS#12 file has no authenticated safe' };
  try {
    await authSafe.parseInternalValues({ safeContents: authSafe.safeContents.map(() => ({ password: pw })) });
  } catch (err) {
    const why = message(err);
    const legacy = /contentEncryptionAlgorithm"?: ?([\d.]+)/.exec(why)?.[1];
    const legacyName = legacy === undefined ? undefined : LEGACY_PBE[legacy];
    if (legacyName !== undefined) {
      return {
        ok: false,
        needsPassword: false,
        reason:
          `the PKCS#12 certificates are encrypted with ${legacyName} (RFC 7292 Appendix C legacy PBE, the ` +
          'OpenSSL 1.x and Windows default), which this tool cannot decrypt; extract them with ' +
          '`openssl pkcs12 -in FILE -nokeys -legacy` and paste the PEM instead',
      };
    }
    const wrong = /decrypt|password|operation-specific/i.test(why);
    return {
      ok: false,
      needsPassword: wrong && password === undefined,
      reason: wrong
        ? `the PKCS#12 contents could not be decrypted (wrong password or unsupported cipher): ${why}`
        : `the PKCS#12 contents could not be read: ${why}`,
    };
  }
  const certificates: Uint8Array[] = [];
  let privateKeys = 0;
  let skippedBags = 0;
  const contents =
    (authSafe.parsedValue as { safeContents?: { value?: pkijs.SafeContents }[] } | undefined)?.safeContents ??
    [];
  for (const sc of contents) {
    for (const bag of sc.value?.safeBags ?? []) {
      if (bag.bagId === BAG.key || bag.bagId === BAG.shroudedKey) {
        privateKeys++;
      } else if (bag.bagId === BAG.cert) {
        const certBag = bag.bagValue as pkijs.CertBag;
        // certValue is the OCTET STRING holding the certificate's original DER (RFC 7292 §4.2.3).
        const view = (certBag.certValue as { valueBlock?: { valueHexView?: Uint8Array } }).valueBlock
          ?.valueHexView;
        if (certBag.certId === BAG.x509Certificate && view !== undefined) certificates.push(view.slice());
        else skippedBags++;
      } else {
        skippedBags++;
      }
    }
  }
  return { ok: true, certificates, privateKeys, skippedBags };
}
