/**
 * PKCS#12 / PFX (RFC 7292) via pkijs: certificates only. Key bags (keyBag, pkcs8ShroudedKeyBag) are
 * counted and never decrypted or copied. The password is checked through the MAC (RFC 7292 §4, macData)
 * and used for password-encrypted SafeContents: PBES2 (RFC 8018) through pkijs, the legacy RFC 7292
 * Appendix C schemes (RC2 and triple DES, the OpenSSL 1.x and Windows default) through pbe/legacy-pbe.ts.
 */
import * as pkijs from 'pkijs';
import { PaddingError } from './pbe/cbc.ts';
import { legacyPbeDecrypt, legacyPbeName, legacyPbeSupported, parsePbeParams } from './pbe/legacy-pbe.ts';

const BAG = {
  key: '1.2.840.113549.1.12.10.1.1',
  shroudedKey: '1.2.840.113549.1.12.10.1.2',
  cert: '1.2.840.113549.1.12.10.1.3',
  crl: '1.2.840.113549.1.12.10.1.4',
  x509Certificate: '1.2.840.113549.1.9.22.1',
} as const;

/** encryptedData content type (RFC 5652 §8), what password-privacy SafeContents use (RFC 7292 §4.1). */
const ENCRYPTED_DATA = '1.2.840.113549.1.7.6';

/** More MAC or PBE iterations than this is treated as hostile (OpenSSL uses 2048). */
const MAX_ITERATIONS = 1_000_000;

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
  if (iterations > MAX_ITERATIONS) {
    return {
      ok: false,
      needsPassword: false,
      reason: `the PKCS#12 MAC asks for ${iterations} iterations (over ${MAX_ITERATIONS})`,
    };
  }
  const hasMac = pfx.macData !== undefined;
  if (hasMac && password === undefined) {
    // An empty password is a password too (`openssl pkcs12 -export -passout pass:`): tried before asking for one.
    const empty = await readPkcs12(der, '');
    if (empty.ok) return empty;
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
  const contents: pkijs.SafeContents[] = [];
  for (const info of authSafe.safeContents) {
    const opened = await openSafeContents(info, password, pw, hasMac);
    if (!(opened instanceof pkijs.SafeContents)) return opened;
    contents.push(opened);
  }
  const certificates: Uint8Array[] = [];
  let privateKeys = 0;
  let skippedBags = 0;
  for (const sc of contents) {
    for (const bag of sc.safeBags) {
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

/** One ContentInfo of the AuthenticatedSafe (RFC 7292 §4.1) as SafeContents, or why it cannot be opened. */
async function openSafeContents(
  info: pkijs.ContentInfo,
  password: string | undefined,
  pw: ArrayBuffer,
  hasMac: boolean,
): Promise<pkijs.SafeContents | Extract<Pkcs12Result, { ok: false }>> {
  try {
    if (info.contentType === ENCRYPTED_DATA) {
      const encrypted = new pkijs.EncryptedData({ schema: info.content });
      const name = legacyPbeName(encrypted.encryptedContentInfo.contentEncryptionAlgorithm.algorithmId);
      if (name !== undefined) return openLegacy(encrypted, name, password ?? '', hasMac);
      // PBES2 (RFC 8018), as pkijs's AuthenticatedSafe.parseInternalValues would decrypt it.
      return pkijs.SafeContents.fromBER(await encrypted.decrypt({ password: pw }));
    }
    // Plain Data (or public-key privacy, which needs a recipient key and fails with pkijs's message).
    const single = new pkijs.AuthenticatedSafe({ safeContents: [info] });
    await single.parseInternalValues({ safeContents: [{ password: pw }] });
    const parsed = (single.parsedValue as { safeContents?: { value?: pkijs.SafeContents }[] } | undefined)
      ?.safeContents?.[0]?.value;
    return parsed ?? { ok: false, needsPassword: false, reason: 'the PKCS#12 contents are empty' };
  } catch (err) {
    const why = message(err);
    const wrong = /decrypt|password|operation-specific/i.test(why);
    return {
      ok: false,
      needsPassword: wrong && password === undefined,
      reason: wrong
        ? `the PKCS#12 contents could not be decrypted (wrong password or unsupported cipher): ${why}`
        : `the PKCS#12 contents could not be read: ${why}`,
    };
  }
}

/** SafeContents under an RFC 7292 Appendix C scheme (`name`), decrypted by pbe/legacy-pbe.ts. */
function openLegacy(
  encrypted: pkijs.EncryptedData,
  name: string,
  password: string,
  hasMac: boolean,
): pkijs.SafeContents | Extract<Pkcs12Result, { ok: false }> {
  const algorithm = encrypted.encryptedContentInfo.contentEncryptionAlgorithm;
  if (!legacyPbeSupported(algorithm.algorithmId)) {
    return {
      ok: false,
      needsPassword: false,
      reason:
        `the PKCS#12 certificates are encrypted with ${name} (RFC 7292 Appendix C), which this tool cannot ` +
        'decrypt; extract them with `openssl pkcs12 -in FILE -nokeys -legacy` and paste the PEM instead',
    };
  }
  let plaintext: Uint8Array;
  try {
    const params = parsePbeParams(
      new Uint8Array((algorithm.algorithmParams as { toBER(sizeOnly?: boolean): ArrayBuffer }).toBER(false)),
    );
    if (params.iterations > MAX_ITERATIONS) {
      return {
        ok: false,
        needsPassword: false,
        reason: `the PKCS#12 ${name} encryption asks for ${params.iterations} iterations (over ${MAX_ITERATIONS})`,
      };
    }
    const ciphertext = new Uint8Array(encrypted.encryptedContentInfo.getEncryptedContent());
    plaintext = legacyPbeDecrypt(algorithm.algorithmId, params, password, ciphertext);
  } catch (err) {
    if (err instanceof PaddingError && !hasMac) {
      return {
        ok: false,
        needsPassword: true,
        reason: `the PKCS#12 password is wrong (the ${name} contents decrypt to invalid padding: ${err.message})`,
      };
    }
    return {
      ok: false,
      needsPassword: false,
      reason: `the PKCS#12 ${name} contents could not be decrypted: ${message(err)}`,
    };
  }
  try {
    return pkijs.SafeContents.fromBER(bytesToArrayBuffer(plaintext));
  } catch (err) {
    return {
      ok: false,
      needsPassword: !hasMac,
      reason: hasMac
        ? `the PKCS#12 ${name} contents decrypt to something that is not SafeContents: ${message(err)}`
        : `the PKCS#12 password is wrong (the ${name} contents decrypt to something that is not SafeContents)`,
    };
  }
}
