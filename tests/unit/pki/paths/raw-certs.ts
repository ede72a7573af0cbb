/**
 * Certificates assembled byte by byte (ECDSA P-256 / SHA-256 over WebCrypto), for the odd encodings a
 * certificate library refuses to produce: an empty RDN, a negative pathLenConstraint, a UTCTime without seconds,
 * a dNSName that is not IA5, an extension whose inner DER is broken, fractional seconds, empty subtrees. Every
 * certificate is really signed by its issuer's key, so OpenSSL and the engine judge the defect and nothing else.
 */
import { encodeBase64 } from '../../../../src/lib/bytes/base64.ts';
import { ecdsaRawToSig, encodeTlv } from '../../../../src/lib/bytes/der.ts';
import { concatBytes } from '../../../../src/lib/bytes/hex.ts';
import { analyzeChain, type AnalyzeChainInput } from '../../../../src/lib/pki/index.ts';
import type { ProfileName, ProfileVerdict } from '../../../../src/lib/pki/profiles/types.ts';

export const T0 = new Date('2025-01-01T00:00:00Z');

const enc = new TextEncoder();
export const ascii = (s: string): Uint8Array => enc.encode(s);

export const concat = concatBytes;

export const tlv = (tag: number, ...body: Uint8Array[]): Uint8Array => encodeTlv(tag, concat(...body));
export const seq = (...body: Uint8Array[]): Uint8Array => tlv(0x30, ...body);
export const set = (...body: Uint8Array[]): Uint8Array => tlv(0x31, ...body);

export function oid(dotted: string): Uint8Array {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [a * 40 + b];
  for (const n of rest) {
    const groups = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) groups.unshift((v & 0x7f) | 0x80);
    out.push(...groups);
  }
  return encodeTlv(0x06, Uint8Array.from(out));
}

/** A DER INTEGER from a (possibly negative) safe integer, two's complement, minimal. */
export function int(n: number): Uint8Array {
  const bytes: number[] = [];
  let v = n;
  for (;;) {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
    const top = bytes[0] as number;
    if ((v === 0 && (top & 0x80) === 0) || (v === -1 && (top & 0x80) !== 0)) break;
  }
  return encodeTlv(0x02, Uint8Array.from(bytes));
}

const bool = (b: boolean) => Uint8Array.of(0x01, 0x01, b ? 0xff : 0x00);

/** Name with one RDN per entry; an entry `null` is an empty RDN (a SET with no attributes). */
export function name(...rdns: (readonly [string, string] | null)[]): Uint8Array {
  const cn: Record<string, string> = { CN: '2.5.4.3', O: '2.5.4.10', C: '2.5.4.6' };
  return seq(
    ...rdns.map((r) =>
      r === null ? set() : set(seq(oid(cn[r[0]] ?? r[0]), tlv(r[0] === 'C' ? 0x13 : 0x0c, ascii(r[1])))),
    ),
  );
}

const two = (n: number) => String(n).padStart(2, '0');
/** UTCTime YYMMDDHHMMSSZ, or YYMMDDHHMMZ with `noSeconds`. */
export function utcTime(d: Date, noSeconds = false): Uint8Array {
  const s =
    two(d.getUTCFullYear() % 100) +
    two(d.getUTCMonth() + 1) +
    two(d.getUTCDate()) +
    two(d.getUTCHours()) +
    two(d.getUTCMinutes()) +
    (noSeconds ? '' : two(d.getUTCSeconds()));
  return tlv(0x17, ascii(`${s}Z`));
}
/** GeneralizedTime YYYYMMDDHHMMSS[.fff]Z. */
export function generalizedTime(d: Date, fraction?: string): Uint8Array {
  const s =
    String(d.getUTCFullYear()) +
    two(d.getUTCMonth() + 1) +
    two(d.getUTCDate()) +
    two(d.getUTCHours()) +
    two(d.getUTCMinutes()) +
    two(d.getUTCSeconds());
  return tlv(0x18, ascii(`${s}${fraction !== undefined ? `.${fraction}` : ''}Z`));
}

export function extension(extnId: string, critical: boolean, value: Uint8Array): Uint8Array {
  return seq(oid(extnId), ...(critical ? [bool(true)] : []), tlv(0x04, value));
}

export const ext = {
  basicConstraints: (ca: boolean, pathLen?: Uint8Array) =>
    extension('2.5.29.19', true, seq(...(ca ? [bool(true)] : []), ...(pathLen ? [pathLen] : []))),
  /** keyCertSign + cRLSign, or digitalSignature for a leaf. */
  keyUsage: (ca: boolean) =>
    extension(
      '2.5.29.15',
      true,
      ca ? Uint8Array.of(0x03, 0x02, 0x01, 0x06) : Uint8Array.of(0x03, 0x02, 0x07, 0x80),
    ),
  serverAuth: () => extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))),
  /** dNSName SANs given as raw bytes (so a non-IA5 name can be written). */
  sanDns: (...names: Uint8Array[]) => extension('2.5.29.17', false, seq(...names.map((n) => tlv(0x82, n)))),
  nameConstraints: (value: Uint8Array, critical = true) => extension('2.5.29.30', critical, value),
};

const keys = new Map<string, Promise<CryptoKeyPair>>();
function keyOf(who: string): Promise<CryptoKeyPair> {
  let k = keys.get(who);
  if (!k) {
    k = globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]) as Promise<CryptoKeyPair>;
    keys.set(who, k);
  }
  return k;
}

async function spkiOf(who: string): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', (await keyOf(who)).publicKey));
}

async function keyId(who: string): Promise<Uint8Array> {
  return new Uint8Array(
    await globalThis.crypto.subtle.digest('SHA-1', (await spkiOf(who)) as Uint8Array<ArrayBuffer>),
  );
}

export interface RawSpec {
  /** Identity (one key pair per name) and its CN. */
  subject: string;
  issuer: string;
  /** Override the subject Name DER (e.g. with an empty RDN). */
  subjectName?: Uint8Array;
  /** Override the issuer Name DER (e.g. a self-issued certificate under a new key). */
  issuerName?: Uint8Array;
  notBefore?: Uint8Array;
  notAfter?: Uint8Array;
  /** Extensions besides the SKI and AKI that are always added. */
  extensions: Uint8Array[];
  serial?: number;
}

/** Fresh key pairs for the next set of certificates. */
export function resetKeys(): void {
  keys.clear();
}

let serial = 100;
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

/** DER of a certificate for `spec.subject`, signed by `spec.issuer`'s key. */
export async function rawCertificate(spec: RawSpec): Promise<Uint8Array> {
  const day = 86_400_000;
  const exts = [
    ...spec.extensions,
    extension('2.5.29.14', false, tlv(0x04, await keyId(spec.subject))),
    extension('2.5.29.35', false, seq(tlv(0x80, await keyId(spec.issuer)))),
  ];
  const tbs = seq(
    tlv(0xa0, int(2)),
    int(spec.serial ?? serial++),
    ECDSA_SHA256,
    spec.issuerName ?? name(['CN', spec.issuer]),
    seq(
      spec.notBefore ?? utcTime(new Date(T0.getTime() - 30 * day)),
      spec.notAfter ?? utcTime(new Date(T0.getTime() + 300 * day)),
    ),
    spec.subjectName ?? name(['CN', spec.subject]),
    await spkiOf(spec.subject),
    tlv(0xa3, seq(...exts)),
  );
  const raw = new Uint8Array(
    await globalThis.crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      (await keyOf(spec.issuer)).privateKey,
      tbs as Uint8Array<ArrayBuffer>,
    ),
  );
  return seq(tbs, ECDSA_SHA256, tlv(0x03, Uint8Array.of(0), ecdsaRawToSig(raw, 32)));
}

export function pem(der: Uint8Array): string {
  const b64 = encodeBase64(der);
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/** A self-signed root, a CA and a leaf, each with the standard extensions unless `overrides` replaces them. */
export async function chainOf(
  overrides: {
    root?: Partial<RawSpec>;
    inter?: Partial<RawSpec>;
    leaf?: Partial<RawSpec>;
  } = {},
): Promise<{ root: string; inter: string; leaf: string }> {
  resetKeys();
  const ca = [ext.basicConstraints(true), ext.keyUsage(true)];
  const root = await rawCertificate({ subject: 'root', issuer: 'root', extensions: ca, ...overrides.root });
  const inter = await rawCertificate({
    subject: 'inter',
    issuer: 'root',
    extensions: ca,
    ...overrides.inter,
  });
  const leaf = await rawCertificate({
    subject: 'leaf',
    issuer: 'inter',
    extensions: [
      ext.basicConstraints(false),
      ext.keyUsage(false),
      ext.serverAuth(),
      ext.sanDns(ascii('leaf.example.com')),
    ],
    ...overrides.leaf,
  });
  return { root: pem(root), inter: pem(inter), leaf: pem(leaf) };
}

/**
 * analyzeChain over a chainOf() result (leaf and intermediate sent, root trusted) at T0 unless `options` says
 * otherwise, with every profile's verdict by name.
 */
export async function analyzeRaw(
  chain: { root: string; inter: string; leaf: string },
  options: Partial<AnalyzeChainInput> = {},
) {
  const analysis = await analyzeChain({
    certificates: chain.leaf + chain.inter,
    trustAnchors: chain.root,
    time: T0,
    compareProfiles: true,
    ...options,
  });
  const by = Object.fromEntries((analysis.profiles ?? []).map((v) => [v.profile, v])) as Record<
    ProfileName,
    ProfileVerdict
  >;
  return { analysis, by };
}
