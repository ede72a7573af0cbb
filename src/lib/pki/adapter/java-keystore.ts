/**
 * Java keystores in the JKS and JCEKS formats (what `keytool` writes with -storetype JKS or JCEKS, and what Debian's
 * and older JDKs' `cacerts` are), read as OpenJDK's JavaKeyStore.engineLoad() and JceKeyStore.engineLoad() read
 * them: magic 0xFEEDFEED (JKS) or 0xCECECECE (JCEKS), version 1 or 2, an entry count, then entries in order:
 *   tag 1, private key: alias (Java modified UTF-8, u16 length), date (u64 ms), the protected key (u32 length),
 *          its certificate chain (u32 count; per certificate, from version 2, a type string, then u32 length + DER);
 *   tag 2, trusted certificate: alias, date, (version 2: type string,) u32 length + DER;
 *   tag 3 (JCEKS only), secret key: alias, date, a Java-serialized javax.crypto.SealedObject, skipped by
 *          java-serialization.ts (reading stops there when its serialization is not one that code understands).
 * A 20-byte SHA-1 integrity digest keyed by the store password ends the file; it is not checked (keytool -list
 * without a password does not check it either). Protected private keys are skipped by their length, never kept.
 */
import { Reader } from '../../bytes/reader.ts';
import { readJavaUtf, skipSerializedObject } from './java-serialization.ts';

const JKS_MAGIC = 0xfeedfeed;
const JCEKS_MAGIC = 0xcececece;

export type KeystoreFormat = 'JKS' | 'JCEKS';

export interface KeystoreEntry {
  readonly kind: 'private-key' | 'trusted-certificate';
  readonly alias: string;
  /** When the entry was made (ms since the epoch). */
  readonly created: number;
  /** DER certificates: the one trusted certificate, or the private key's chain (leaf first). */
  readonly certificates: readonly { der: Uint8Array; offset: number }[];
  /** Byte offset of the entry's tag. */
  readonly offset: number;
  /** Its place among the file's entries, from 1 (secret key entries counted too). */
  readonly index: number;
}

export interface KeystoreContents {
  readonly format: KeystoreFormat;
  readonly version: number;
  readonly entries: readonly KeystoreEntry[];
  /** JCEKS secret key entries skipped (they hold no certificate). */
  readonly secretKeys?: number;
  /** Why reading stopped before the last entry (a JCEKS secret key, a cut or damaged file), if it did. */
  readonly stopped?: { readonly offset: number; readonly reason: string };
}

/** The keystore format of these bytes, by their magic number, or undefined. */
export function keystoreFormat(bytes: Uint8Array): KeystoreFormat | undefined {
  if (bytes.length < 8) return undefined;
  const magic = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  const version = (bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!;
  if (version !== 1 && version !== 2) return undefined;
  return magic === JKS_MAGIC ? 'JKS' : magic === JCEKS_MAGIC ? 'JCEKS' : undefined;
}

/** u64 milliseconds, as a number (keystore dates fit in 2^53). */
function readDate(r: Reader): number {
  const high = r.u32('keystore.entry.date');
  return high * 2 ** 32 + r.u32('keystore.entry.date');
}

function readCertificate(r: Reader, version: number): { der: Uint8Array; offset: number } {
  if (version === 2) readJavaUtf(r, 'keystore.certificate.type');
  const length = r.u32('keystore.certificate.length');
  const offset = r.offset;
  return { der: r.bytes(length, 'keystore.certificate'), offset };
}

/**
 * The entries of a JKS or JCEKS keystore. Never throws: a damaged or cut file gives the entries read so far and
 * `stopped` with the offset and the reason.
 */
export function readJavaKeystore(bytes: Uint8Array): KeystoreContents | undefined {
  const format = keystoreFormat(bytes);
  if (!format) return undefined;
  const r = new Reader(bytes);
  r.u32('keystore.magic');
  const version = r.u32('keystore.version');
  const entries: KeystoreEntry[] = [];
  let secretKeys = 0;
  let at = r.offset;
  try {
    const count = r.u32('keystore.count');
    for (let i = 0; i < count; i++) {
      at = r.offset;
      const tag = r.u32('keystore.entry.tag');
      if (tag === 3 && format === 'JCEKS') {
        // A secret key: alias, date, then a serialized javax.crypto.SealedObject. It holds no certificate; it is
        // skipped, never decrypted or kept, when its serialization is one skipSerializedObject understands.
        const alias = readJavaUtf(r, 'keystore.entry.alias');
        readDate(r);
        try {
          skipSerializedObject(r);
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          const reason = `entry ${i + 1} ("${alias}") is a secret key, stored as a serialized Java object that could not be read (${why}); the ${count - i} entries from it on were not read`;
          return { format, version, entries, stopped: { offset: at, reason } };
        }
        secretKeys++;
        continue;
      }
      if (tag !== 1 && tag !== 2) {
        const reason = `entry ${i + 1} has the unknown tag ${tag} (1: private key, 2: trusted certificate${format === 'JCEKS' ? ', 3: secret key' : ''})`;
        return { format, version, entries, stopped: { offset: at, reason } };
      }
      const alias = readJavaUtf(r, 'keystore.entry.alias');
      const created = readDate(r);
      const certificates: { der: Uint8Array; offset: number }[] = [];
      if (tag === 1) {
        // The protected key is skipped by its length: never copied, never decrypted.
        const keyLength = r.u32('keystore.entry.key_length');
        r.sub(keyLength, 'keystore.entry.protected_key');
        const chain = r.u32('keystore.entry.chain_length');
        // Each certificate takes at least its 4-byte length: a count the bytes left cannot hold is damage.
        if (chain * 4 > r.remaining)
          throw new Error(`a chain of ${chain} certificates cannot fit in the ${r.remaining} bytes left`);
        for (let j = 0; j < chain; j++) certificates.push(readCertificate(r, version));
      } else certificates.push(readCertificate(r, version));
      entries.push({
        kind: tag === 1 ? 'private-key' : 'trusted-certificate',
        alias,
        created,
        certificates,
        offset: at,
        index: i + 1,
      });
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return {
      format,
      version,
      entries,
      secretKeys,
      stopped: { offset: at, reason: `entry ${entries.length + secretKeys + 1} cannot be read: ${reason}` },
    };
  }
  return { format, version, entries, secretKeys };
}
