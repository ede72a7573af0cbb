/**
 * Signature verification of certificates and CRLs with WebCrypto (globalThis.crypto.subtle), so it runs in
 * Node 20 and browsers alike; Ed25519 falls back to @noble/curves where WebCrypto lacks it.
 * DSA is verified with bigint arithmetic (dsa.ts; WebCrypto has no DSA), with parameters inherited from the
 * issuer's issuer when the key omits them (RFC 3279 §2.3.2, RFC 5280 §6.1.4 (e)-(f)).
 * RFC 5280 §6.1.3 (a)(1), with the algorithms of RFC 3279, RFC 4055 (PSS), RFC 5758 (ECDSA, DSA), RFC 8410.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { ed448 } from '@noble/curves/ed448.js';
import type { CertView, PublicKeyView } from '../types.ts';
import {
  bitStringBytes,
  childrenOf,
  ecdsaSigToRaw,
  encodeTlv,
  expectUniversal,
  readOid,
  readTlv,
  Tag,
} from '../../bytes/der.ts';
import { concatBytes, fromHex, toHex } from '../../bytes/hex.ts';
import { Recent } from '../../bytes/recent.ts';
import { pssHash, signedParts, UnsupportedPssHash, type SignedParts } from './certificate.ts';
import { parseDsaPublicKey, verifyDsa, type DsaParams } from './dsa.ts';
import { verifyEcdsaNoble } from './ecdsa-noble.ts';
import { SIGNATURE_ALGORITHMS } from './oids.ts';

/**
 * `unsupported`: this engine cannot check the signature (an algorithm, hash or curve it or the platform's WebCrypto
 * lacks), which is neither valid nor invalid.
 */
export type VerifyResult = { ok: true } | { ok: false; reason: string; unsupported?: boolean };

/**
 * The candidate issuers of a certificate, best first: the issuer graph's candidates, or the next certificate of
 * a path. Used only to find the DSA parameters a key without them inherits.
 */
export type IssuersOf = (cert: CertView) => readonly CertView[];

/** Supplies inherited DSA parameters (RFC 5280 working_public_key_parameters) when the key has none. */
export type InheritDsaParams = () => Promise<DsaParams | undefined>;

/** How far up a chain of parameter-less DSA keys the inheritance walk goes. */
const MAX_INHERITANCE_DEPTH = 8;

const WEBCRYPTO_HASHES = new Set(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']);

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (s === undefined) throw new Error('WebCrypto (crypto.subtle) is not available in this environment');
  return s;
}

function copy(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

// Issuer keys as WebCrypto imported them, by import parameters and SubjectPublicKeyInfo: the same anchor or
// intermediate checks the next certificate on every connection, and WebCrypto's SPKI import (in Node, OpenSSL 3's
// decoder) costs more than the signature check itself. Public data only; the last 64 are kept.
const imports = new Recent<Promise<CryptoKey>>(64);

function importIssuerKey(
  spki: Uint8Array,
  params: RsaHashedImportParams | EcKeyImportParams,
): Promise<CryptoKey> {
  return imports.get(`${JSON.stringify(params)}/${toHex(spki)}`, () =>
    subtle().importKey('spki', copy(spki), params, false, ['verify']),
  );
}

/**
 * Verifies `signed` (a certificate's or CRL's TBS and signature) with the issuer's public key. `inherit` supplies
 * the DSA parameters when the issuer's DSA key omits them (see `inheritedDsaParams`).
 */
export async function verifySigned(
  signed: SignedParts,
  key: PublicKeyView,
  inherit?: InheritDsaParams,
): Promise<VerifyResult> {
  const alg = SIGNATURE_ALGORITHMS[signed.algorithmOid];
  if (alg === undefined)
    return {
      ok: false,
      reason: `the signature algorithm ${signed.algorithmOid} is not supported`,
      unsupported: true,
    };
  const needs = alg.keyType === 'RSA-PSS' ? 'RSA' : alg.keyType;
  if (key.algorithm !== needs) {
    return { ok: false, reason: `the signature is ${alg.name} but the issuer's key is ${key.algorithm}` };
  }
  try {
    switch (alg.keyType) {
      case 'RSA': {
        if (alg.hash === undefined || !WEBCRYPTO_HASHES.has(alg.hash)) {
          return {
            ok: false,
            reason: `${alg.name} is not supported (WebCrypto has no ${alg.hash ?? 'such'} hash)`,
            unsupported: true,
          };
        }
        const k = await importIssuerKey(key.spkiDer, { name: 'RSASSA-PKCS1-v1_5', hash: alg.hash });
        const ok = await subtle().verify('RSASSA-PKCS1-v1_5', k, copy(signed.signature), copy(signed.tbs));
        return ok
          ? { ok: true }
          : { ok: false, reason: `the ${alg.name} signature does not verify with the issuer's RSA key` };
      }
      case 'RSA-PSS': {
        const { hash, saltLength } = pssHash(signed.algorithmParams);
        if (!WEBCRYPTO_HASHES.has(hash))
          return { ok: false, reason: `RSASSA-PSS with ${hash} is not supported`, unsupported: true };
        const k = await importIssuerKey(asRsaEncryptionKey(key.spkiDer), { name: 'RSA-PSS', hash });
        const ok = await subtle().verify(
          { name: 'RSA-PSS', saltLength },
          k,
          copy(signed.signature),
          copy(signed.tbs),
        );
        return ok
          ? { ok: true }
          : {
              ok: false,
              reason: `the RSASSA-PSS (${hash}, salt ${saltLength}) signature does not verify with the issuer's RSA key`,
            };
      }
      case 'EC': {
        const curve = key.curve ?? '';
        const hash = alg.hash ?? '';
        let ok: boolean | undefined;
        if (['P-256', 'P-384', 'P-521'].includes(curve) && WEBCRYPTO_HASHES.has(hash)) {
          const raw = ecdsaSigToRaw(signed.signature, Math.ceil(key.bits / 8));
          const k = await importIssuerKey(key.spkiDer, { name: 'ECDSA', namedCurve: curve });
          ok = await subtle().verify({ name: 'ECDSA', hash }, k, copy(raw), copy(signed.tbs));
        } else {
          ok = verifyEcdsaNoble(curve, hash, signed.tbs, signed.signature, spkiKeyBits(key.spkiDer, 'EC'));
          if (ok === undefined)
            return { ok: false, reason: `${alg.name} on curve ${curve} is not supported`, unsupported: true };
        }
        return ok
          ? { ok: true }
          : { ok: false, reason: `the ${alg.name} signature does not verify with the issuer's ${curve} key` };
      }
      case 'Ed25519': {
        const ok = await verifyEdDsa('Ed25519', signed, key);
        return ok
          ? { ok: true }
          : { ok: false, reason: "the Ed25519 signature does not verify with the issuer's key" };
      }
      case 'Ed448': {
        const ok = await verifyEdDsa('Ed448', signed, key);
        return ok
          ? { ok: true }
          : { ok: false, reason: "the Ed448 signature does not verify with the issuer's key" };
      }
      case 'DSA': {
        if (alg.hash === undefined) return { ok: false, reason: `${alg.name} has no hash` };
        // RFC 3279 §2.2.2, RFC 5758 §3.1: the DSA signature AlgorithmIdentifiers have absent parameters.
        if (signed.algorithmParams !== undefined)
          return {
            ok: false,
            reason: `the ${alg.name} AlgorithmIdentifier has parameters (they must be absent)`,
          };
        const pub = parseDsaPublicKey(key.spkiDer);
        const params = pub.params ?? (inherit ? await inherit() : undefined);
        if (params === undefined) {
          return {
            ok: false,
            reason:
              "the issuer's DSA key has no parameters (p, q, g) and none could be inherited from a DSA key that signed it (RFC 3279 §2.3.2)",
          };
        }
        const ok = verifyDsa(alg.hash, signed.tbs, signed.signature, pub.y, params);
        return ok
          ? { ok: true }
          : {
              ok: false,
              reason: `the ${alg.name} signature does not verify with the issuer's DSA key${pub.params ? '' : ' (parameters inherited)'}`,
            };
      }
    }
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    // WebCrypto names an algorithm the platform lacks NotSupportedError (Ed448 in most browsers); its message
    // differs between platforms, its name does not.
    const unsupported =
      err instanceof UnsupportedPssHash || (err instanceof Error && err.name === 'NotSupportedError');
    return {
      ok: false,
      reason: `the ${alg.name} signature could not be checked: ${why}`,
      ...(unsupported ? { unsupported: true } : {}),
    };
  }
}

/**
 * The DSA parameters `cert`'s key inherits when its SubjectPublicKeyInfo omits them (RFC 3279 §2.3.2; RFC 5280
 * §6.1.4 (e)-(f) working_public_key_parameters): those of the first candidate issuer (in `issuersOf` order) whose
 * key is DSA, has parameters (its own or, recursively, inherited) and verifies `cert`'s signature with them.
 * Undefined when `cert`'s key is not DSA, has its own parameters, or no such issuer is found.
 */
export async function inheritedDsaParams(
  cert: CertView,
  issuersOf: IssuersOf,
  depth = 0,
): Promise<DsaParams | undefined> {
  if (cert.publicKey.algorithm !== 'DSA' || depth >= MAX_INHERITANCE_DEPTH) return undefined;
  let parts: SignedParts;
  try {
    if (parseDsaPublicKey(cert.publicKey.spkiDer).params !== undefined) return undefined;
    parts = signedParts(cert.der, 'certificate');
  } catch {
    return undefined;
  }
  for (const parent of issuersOf(cert)) {
    if (parent.id === cert.id || parent.publicKey.algorithm !== 'DSA') continue;
    let params: DsaParams | undefined;
    try {
      params = parseDsaPublicKey(parent.publicKey.spkiDer).params;
    } catch {
      continue;
    }
    params ??= await inheritedDsaParams(parent, issuersOf, depth + 1);
    if (params === undefined) continue;
    const found = params;
    if ((await verifySigned(parts, parent.publicKey, () => Promise.resolve(found))).ok) return found;
  }
  return undefined;
}

const RSA_ENCRYPTION_ALGORITHM = fromHex('300d06092a864886f70d0101010500');
const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';

/**
 * An id-RSASSA-PSS SubjectPublicKeyInfo (RFC 4055 §1.2: an RSA key for PSS only) as the same RSAPublicKey under
 * rsaEncryption, the only RSA form WebCrypto imports; any other key as it is. The PSS parameters travel with each
 * signature, which is how they are checked.
 */
function asRsaEncryptionKey(spki: Uint8Array): Uint8Array {
  const seq = readTlv(spki, 0, spki.length);
  const [algorithm, bits] = childrenOf(spki, seq);
  const [oid] = childrenOf(spki, expectUniversal(algorithm, Tag.SEQUENCE, 'the key algorithm', seq.start));
  if (bits === undefined || readOid(spki, oid, 'the key algorithm', seq.start) !== OID_RSASSA_PSS)
    return spki;
  return encodeTlv(0x30, concatBytes(RSA_ENCRYPTION_ALGORITHM, spki.subarray(bits.start, bits.end)));
}

/** The subjectPublicKey BIT STRING's bytes of a SubjectPublicKeyInfo (an EC point, an EdDSA key). */
function spkiKeyBits(spki: Uint8Array, what: string): Uint8Array {
  const seq = readTlv(spki, 0, spki.length);
  const [, bits] = childrenOf(spki, seq);
  return bitStringBytes(spki, expectUniversal(bits, Tag.BIT_STRING, `the ${what} key`, 0)).bytes;
}

/** RFC 8410 EdDSA: WebCrypto when it has the curve, else @noble/curves (RFC 8032 §5.1.7 / §5.2.7). */
async function verifyEdDsa(
  name: 'Ed25519' | 'Ed448',
  signed: SignedParts,
  key: PublicKeyView,
): Promise<boolean> {
  try {
    const k = await subtle().importKey('spki', copy(key.spkiDer), { name }, false, ['verify']);
    return await subtle().verify({ name }, k, copy(signed.signature), copy(signed.tbs));
  } catch {
    const pub = spkiKeyBits(key.spkiDer, name);
    // RFC 8032 strict decoding, as OpenSSL (noble's default, ZIP-215, accepts non-canonical points).
    return (name === 'Ed25519' ? ed25519 : ed448).verify(signed.signature, signed.tbs, pub, {
      zip215: false,
    });
  }
}
