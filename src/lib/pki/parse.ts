/**
 * The certificate engine's entrance: anything a person pastes or drops (PEM in text, DER, PKCS#7, PKCS#12, CRLs,
 * OpenSSL TRUSTED CERTIFICATE, Java JKS/JCEKS keystores) becomes a ParseReport of plain data (types.ts). Private
 * keys are recognised, counted and dropped. Every failing block says what it was, where and why.
 *
 * This module and ./adapter/ are the only places that touch pkijs / asn1js.
 */
import type { CertView, CrlView, ParsedBlock, ParseProblem, ParseReport } from './types.ts';
import { decodeCertificate, signedParts } from './adapter/certificate.ts';
import { decodeCrl } from './adapter/crl.ts';
import {
  childrenOf,
  DerError,
  expectUniversal,
  isContext,
  isUniversal,
  readOid,
  readTlv,
  Tag,
  type Tlv,
} from '../bytes/der.ts';
import { derKind, type DerKind } from './adapter/der-kind.ts';
import { sha256Hex } from './adapter/digest.ts';
import { readJavaKeystore, type KeystoreContents } from './adapter/java-keystore.ts';
import { readPkcs7 } from './adapter/pkcs7.ts';
import { inheritedDsaParams, verifySigned, type IssuersOf, type VerifyResult } from './adapter/signature.ts';
import { decodeBase64 } from '../bytes/base64.ts';
import { isPrivateKeyLabel, scanPem, type PemBlock } from '../bytes/pem.ts';

export type { VerifyResult } from './adapter/signature.ts';

export interface ParseOptions {
  /** PKCS#12 password. */
  readonly password?: string;
  /** Largest input accepted, in bytes (default 10 MB). */
  readonly maxBytes?: number;
  /** Most certificates kept (default 5,000). */
  readonly maxCertificates?: number;
}

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_CERTIFICATES = 5000;
/** Problems reported before the parse stops: past this the input is junk, not a certificate bundle. */
export const MAX_PROBLEMS = 1000;
/** Blocks (keys, duplicates, skipped types) allowed beyond the certificate limit. */
const MAX_EXTRA_BLOCKS = 5000;

const PRIVATE_KEY_KIND = 'private key (discarded)';

/** PEM labels (RFC 7468 §5-§11 and OpenSSL's) grouped by what the parser does with them. */
const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'X.509 CERTIFICATE']);
const CRL_LABELS = new Set(['X509 CRL', 'CRL']);
const PKCS7_LABELS = new Set(['PKCS7', 'PKCS #7 SIGNED DATA', 'CMS', 'CERTIFICATE CHAIN']);
const PKCS12_LABELS = new Set(['PKCS12']);

function isIndefinite(err: unknown): boolean {
  return err instanceof DerError && err.reason.startsWith('indefinite length');
}

function describeError(err: unknown): string {
  if (err instanceof DerError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

function byteSpan(start: number, end: number): string {
  return `bytes ${start}-${Math.max(start, end - 1)}`;
}

/** Collects the report while blocks are processed. */
class ReportBuilder {
  readonly certificates: CertView[] = [];
  readonly crls: CrlView[] = [];
  readonly blocks: ParsedBlock[] = [];
  readonly problems: ParseProblem[] = [];
  discardedPrivateKeys = 0;
  needsPassword = false;
  #certIndex = new Map<string, string>();
  #crlIds = new Set<string>();
  #limitReported = false;

  constructor(readonly maxCertificates: number) {}

  block(kind: string, where: string, certificateIds: string[], problem?: string, note?: string): void {
    this.blocks.push({
      kind,
      where,
      certificateIds,
      ...(problem !== undefined ? { problem } : {}),
      ...(note !== undefined ? { note } : {}),
    });
    if (problem !== undefined)
      this.problems.push({ where: `block ${this.blocks.length} (${kind}, ${where})`, message: problem });
  }

  /** A block that yielded nothing: listed with its reason, and the reason reported under `problemWhere`. */
  skipped(kind: string, where: string, problemWhere: string, why: string): void {
    this.blocks.push({ kind, where, certificateIds: [], problem: why });
    this.problem(problemWhere, why);
  }

  problem(where: string, message: string): void {
    this.problems.push({ where, message });
  }

  /** Adds a decoded certificate; returns its id and whether it was a duplicate, or undefined over the limit. */
  addCertificate(view: CertView, where: string): { id: string; duplicateOf?: string } | undefined {
    const seen = this.#certIndex.get(view.id);
    if (seen !== undefined) return { id: view.id, duplicateOf: seen };
    if (this.certificates.length >= this.maxCertificates) {
      this.limitReached(where);
      return undefined;
    }
    this.#certIndex.set(view.id, where);
    this.certificates.push(view);
    return { id: view.id };
  }

  /** Reports (once) that a limit stopped the parse at `where`. */
  limitReached(where: string): void {
    if (this.#limitReported) return;
    this.#limitReported = true;
    const why =
      this.certificates.length >= this.maxCertificates
        ? `more than ${this.maxCertificates} certificates`
        : this.problems.length >= MAX_PROBLEMS
          ? `more than ${MAX_PROBLEMS} problems`
          : `more than ${this.blocks.length} blocks`;
    this.problems.push({ where, message: `${why}: the rest of the input was not read` });
  }

  /** Where a certificate with this id was first seen, if it was. */
  seenAt(id: string): string | undefined {
    return this.#certIndex.get(id);
  }

  addCrl(view: CrlView): boolean {
    const id = view.id ?? '';
    if (this.#crlIds.has(id)) return false;
    this.#crlIds.add(id);
    this.crls.push(view);
    return true;
  }

  /** True once a limit is reached: certificates, problems, or blocks (so junk cannot grow the report without bound). */
  get full(): boolean {
    return (
      this.certificates.length >= this.maxCertificates ||
      this.problems.length >= MAX_PROBLEMS ||
      this.blocks.length >= this.maxCertificates + MAX_EXTRA_BLOCKS
    );
  }

  finish(): ParseReport {
    return {
      certificates: this.certificates,
      crls: this.crls,
      blocks: this.blocks,
      problems: this.problems,
      discardedPrivateKeys: this.discardedPrivateKeys,
      ...(this.needsPassword ? { needsPassword: true } : {}),
    };
  }
}

/**
 * Parses certificates (and CRLs) from text or bytes. Never throws for bad input: every failure is a
 * ParseProblem. Private keys are counted in `discardedPrivateKeys`; none of their bytes are kept.
 */
export async function parseCertificates(
  input: string | Uint8Array,
  options: ParseOptions = {},
): Promise<ParseReport> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const r = new ReportBuilder(options.maxCertificates ?? DEFAULT_MAX_CERTIFICATES);
  const size = typeof input === 'string' ? input.length : input.length;
  if (size > maxBytes) {
    r.problem(
      'input',
      `the input is ${size} ${typeof input === 'string' ? 'characters' : 'bytes'}, over the limit of ${maxBytes} bytes: nothing was parsed`,
    );
    return r.finish();
  }
  if (size === 0) {
    r.problem('input', 'the input is empty');
    return r.finish();
  }
  try {
    const keystore = typeof input !== 'string' ? readJavaKeystore(input) : undefined;
    if (keystore) handleKeystore(keystore, r);
    else if (typeof input !== 'string' && looksLikeDer(input)) {
      await parseDerStream(input, r, options.password);
    } else {
      const text =
        typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input);
      await parseText(text, r, options.password);
    }
  } catch (err) {
    // Defensive: a bug must not become an exception for the caller.
    r.problem('input', `internal error while parsing: ${describeError(err)}`);
  }
  return r.finish();
}

const PEM_MARKER = new TextEncoder().encode('-----BEGIN ');

/** DER starts with a SEQUENCE (0x30); a text file that happens to start with "0" still has PEM markers. */
function looksLikeDer(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x30) return false;
  const first = PEM_MARKER[0] as number;
  outer: for (let i = bytes.indexOf(first); i >= 0; i = bytes.indexOf(first, i + 1)) {
    for (let k = 1; k < PEM_MARKER.length; k++) if (bytes[i + k] !== PEM_MARKER[k]) continue outer;
    return false;
  }
  return true;
}

async function parseText(text: string, r: ReportBuilder, password: string | undefined): Promise<void> {
  const scan = scanPem(text);
  if (scan.blocks.length === 0) {
    // A bare base64 blob of DER (no BEGIN/END lines) is accepted too.
    const compact = text.replace(/^\uFEFF/u, '').replace(/\s+/gu, '');
    if (/^MI[A-Za-z0-9+/]+={0,2}$/u.test(compact)) {
      const decoded = decodeBase64(compact);
      if (decoded.ok) {
        await parseDerStream(decoded.bytes, r, password, 'base64 text (no PEM lines)');
        return;
      }
    }
    r.problem('input', 'no PEM block ("-----BEGIN ...-----") was found and the input is not DER');
    return;
  }
  for (const block of scan.blocks) {
    if (r.full) {
      r.limitReached(`block ${block.index} (PEM ${block.label}, lines ${block.startLine}-${block.endLine})`);
      break;
    }
    await parsePemBlock(block, r, password);
  }
}

async function parsePemBlock(block: PemBlock, r: ReportBuilder, password: string | undefined): Promise<void> {
  const kind = `PEM ${block.label}`;
  const where = `lines ${block.startLine}-${block.endLine}`;
  const blockName = `block ${block.index} (${kind}, ${where})`;
  if (block.sharesLineWithEnd)
    r.problem(
      blockName,
      `its BEGIN follows the END of the block before it on line ${block.startLine}, which OpenSSL refuses in a file ("bad end line"); it was read all the same, and a line break after that END mends the file`,
    );
  if (isPrivateKeyLabel(block.label)) {
    if (block.result.ok) block.result.der.fill(0);
    r.discardedPrivateKeys++;
    r.block(PRIVATE_KEY_KIND, where, [], undefined, `${kind}: recognised and dropped, never stored`);
    return;
  }
  if (!block.result.ok) {
    r.skipped(kind, where, blockName, block.result.reason);
    return;
  }
  const der = block.result.der;
  const label = block.label;
  if (label === 'TRUSTED CERTIFICATE') {
    // OpenSSL's X509_AUX form: the certificate, then its trust settings (X509_CERT_AUX).
    try {
      const first = readTlv(der, 0, der.length);
      const settings =
        first.end < der.length ? readTrustSettings(der, first.end) : { trust: null, reject: null };
      handleCertificate(der.subarray(0, first.end), r, kind, where, blockName, settings);
    } catch (err) {
      r.skipped(kind, where, blockName, describeError(err));
    }
    return;
  }
  let expected: DerKind | undefined;
  if (CERT_LABELS.has(label)) expected = 'certificate';
  else if (CRL_LABELS.has(label)) expected = 'crl';
  else if (PKCS7_LABELS.has(label)) expected = 'pkcs7';
  else if (PKCS12_LABELS.has(label)) expected = 'pkcs12';
  if (expected === undefined) {
    const why = `a ${kind} block is not a certificate, CRL, PKCS#7 or PKCS#12; it was skipped`;
    r.skipped(kind, where, blockName, why);
    return;
  }
  await parseDerElementOrFail(der, r, kind, where, blockName, password, expected);
}

/**
 * X509_CERT_AUX (OpenSSL crypto/x509/x_x509a.c) at `at`: SEQUENCE { trust SEQUENCE OF OID OPTIONAL, reject [0]
 * IMPLICIT SEQUENCE OF OID OPTIONAL, alias, keyid, other }; only the two purpose lists are kept.
 */
function readTrustSettings(der: Uint8Array, at: number): NonNullable<CertView['trustSettings']> {
  const aux = expectUniversal(readTlv(der, at, der.length), Tag.SEQUENCE, 'the trust settings', at);
  let trust: string[] | null = null;
  let reject: string[] | null = null;
  const oids = (list: Tlv) => childrenOf(der, list).map((t) => readOid(der, t, 'a trust purpose', t.start));
  for (const t of childrenOf(der, aux)) {
    if (isUniversal(t, Tag.SEQUENCE) && trust === null && reject === null) trust = oids(t);
    else if (isContext(t, 0)) reject = oids(t);
  }
  return { trust, reject };
}

/** One DER object that must fill `der` exactly (a PEM block's contents). */
async function parseDerElementOrFail(
  der: Uint8Array,
  r: ReportBuilder,
  kind: string,
  where: string,
  blockName: string,
  password: string | undefined,
  expected: DerKind | undefined,
): Promise<void> {
  let top: Tlv;
  try {
    top = readTlv(der, 0, der.length);
    if (top.end !== der.length)
      throw new DerError(top.end, `${der.length - top.end} bytes follow the end of the DER element`);
  } catch (err) {
    const why = describeError(err);
    if (isIndefinite(err) && (await handleIndefinite(der, why, r, kind, where, blockName, password))) return;
    r.skipped(kind, where, blockName, why);
    return;
  }
  const actual = derKind(der, top);
  // The label decides, except that a mislabelled private key is still dropped and a certificate/CRL mix-up is forgiven.
  const forgiven =
    (expected === 'certificate' && actual === 'crl') || (expected === 'crl' && actual === 'certificate');
  const isKey = actual === 'private-key' || actual === 'encrypted-private-key';
  const chosen = isKey || forgiven ? actual : (expected ?? actual);
  await dispatch(chosen, der, top, r, kind, where, blockName, password);
}

async function dispatch(
  k: DerKind,
  der: Uint8Array,
  top: Tlv,
  r: ReportBuilder,
  kind: string,
  where: string,
  blockName: string,
  password: string | undefined,
): Promise<void> {
  const element = der.subarray(top.start, top.end);
  switch (k) {
    case 'certificate':
      handleCertificate(element, r, kind, where, blockName);
      return;
    case 'crl':
      handleCrl(element, r, kind, where, blockName);
      return;
    case 'pkcs7':
      handlePkcs7(element, r, kind, where, blockName);
      return;
    case 'pkcs12':
      await handlePkcs12(element, r, kind, where, blockName, password);
      return;
    case 'private-key':
    case 'encrypted-private-key':
      // The caller's buffer is not ours to wipe; nothing of it is kept.
      r.discardedPrivateKeys++;
      r.block(PRIVATE_KEY_KIND, where, [], undefined, `${kind}: recognised and dropped, never stored`);
      return;
    case 'public-key': {
      const why = 'a bare public key (SubjectPublicKeyInfo) is not a certificate; it was skipped';
      r.skipped(kind, where, blockName, why);
      return;
    }
    case 'unknown': {
      const why = 'the DER element is not a certificate, CRL, PKCS#7, PKCS#12 or private key';
      r.skipped(kind, where, blockName, why);
    }
  }
}

function handleCertificate(
  der: Uint8Array,
  r: ReportBuilder,
  kind: string,
  where: string,
  blockName: string,
  trustSettings?: CertView['trustSettings'],
): void {
  // A duplicate is recognised by its hash before any decoding: bundles that repeat a certificate stay cheap.
  const id = sha256Hex(der);
  const seen = r.seenAt(id);
  if (seen !== undefined) {
    r.block(kind, where, [id], undefined, `duplicate of the certificate in ${seen} (listed once)`);
    return;
  }
  let view: CertView;
  try {
    view = decodeCertificate(der);
    if (trustSettings) view = { ...view, trustSettings };
  } catch (err) {
    const why = `not a valid certificate: ${describeError(err)}`;
    r.skipped(kind, where, blockName, why);
    return;
  }
  const added = r.addCertificate(view, blockName);
  if (added === undefined) return;
  r.block(
    kind,
    where,
    [added.id],
    undefined,
    added.duplicateOf !== undefined
      ? `duplicate of the certificate in ${added.duplicateOf} (listed once)`
      : undefined,
  );
}

function handleCrl(der: Uint8Array, r: ReportBuilder, kind: string, where: string, blockName: string): void {
  try {
    const crl = decodeCrl(der);
    const isNew = r.addCrl(crl);
    r.block(
      kind === 'DER' ? 'DER CRL' : kind,
      where,
      [],
      undefined,
      isNew ? undefined : 'duplicate CRL (listed once)',
    );
  } catch (err) {
    const why = `not a valid CRL: ${describeError(err)}`;
    r.skipped(kind, where, blockName, why);
  }
}

function handlePkcs7(
  der: Uint8Array,
  r: ReportBuilder,
  kind: string,
  where: string,
  blockName: string,
): void {
  const k = kind.startsWith('PEM') ? kind : 'PKCS#7';
  let contents;
  try {
    contents = readPkcs7(der, readTlv(der, 0, der.length));
  } catch (err) {
    const why = `not a valid PKCS#7 SignedData: ${describeError(err)}`;
    r.skipped(k, where, blockName, why);
    return;
  }
  addPkcs7Contents(
    contents.certificates.map((item) => ({
      der: item.der,
      span: `${byteSpan(item.start, item.end)} of the PKCS#7`,
    })),
    contents.crls.map((item) => ({ der: item.der, span: `${byteSpan(item.start, item.end)} of the PKCS#7` })),
    contents.skipped,
    r,
    k,
    where,
    blockName,
  );
}

function addPkcs7Contents(
  certificates: readonly { der: Uint8Array; span?: string }[],
  crls: readonly { der: Uint8Array; span?: string }[],
  skipped: number,
  r: ReportBuilder,
  kind: string,
  where: string,
  blockName: string,
  extraNote?: string,
): void {
  const ids: string[] = [];
  const notes: string[] = extraNote !== undefined ? [extraNote] : [];
  certificates.forEach((item, n) => {
    const itemWhere = `${blockName}, certificate ${n + 1}${item.span !== undefined ? ` (${item.span})` : ''}`;
    try {
      const added = r.addCertificate(decodeCertificate(item.der), itemWhere);
      if (added !== undefined) {
        ids.push(added.id);
        if (added.duplicateOf !== undefined)
          notes.push(`certificate ${n + 1} duplicates ${added.duplicateOf}`);
      }
    } catch (err) {
      r.problem(itemWhere, `not a valid certificate: ${describeError(err)}`);
    }
  });
  crls.forEach((item, n) => {
    try {
      r.addCrl(decodeCrl(item.der));
    } catch (err) {
      r.problem(
        `${blockName}, CRL ${n + 1}${item.span !== undefined ? ` (${item.span})` : ''}`,
        `not a valid CRL: ${describeError(err)}`,
      );
    }
  });
  if (skipped > 0) notes.push(`${skipped} non-X.509 entries skipped`);
  const empty =
    certificates.length === 0 && crls.length === 0 ? 'the PKCS#7 holds no certificates' : undefined;
  r.block(kind, where, ids, empty, notes.length > 0 ? notes.join('; ') : undefined);
}

/**
 * Indefinite-length BER at the top level: PKCS#12 (RFC 7292 allows BER; pkijs reads it) or PKCS#7 as
 * streamed by `openssl cms -stream`. Anything else keeps the strict reader's explanation.
 */
async function handleIndefinite(
  bytes: Uint8Array,
  derError: string,
  r: ReportBuilder,
  kind: string,
  where: string,
  blockName: string,
  password: string | undefined,
): Promise<boolean> {
  // PFX ::= SEQUENCE { version INTEGER (3), ... } starts 30 80 02 01 03.
  if (bytes[0] === 0x30 && bytes[1] === 0x80 && bytes[2] === 0x02 && bytes[3] === 0x01 && bytes[4] === 0x03) {
    await handlePkcs12(bytes, r, kind, where, blockName, password);
    return true;
  }
  const { readBerPkcs7 } = await import('./adapter/pkcs7-ber.ts');
  const ber = readBerPkcs7(bytes);
  if (!ber.ok) return false;
  const k = kind.startsWith('PEM') ? kind : 'PKCS#7';
  addPkcs7Contents(
    ber.certificates.map((der) => ({ der })),
    ber.crls.map((der) => ({ der })),
    0,
    r,
    k,
    where,
    blockName,
    `BER with indefinite lengths (read leniently; ${derError})`,
  );
  return true;
}

async function handlePkcs12(
  der: Uint8Array,
  r: ReportBuilder,
  kind: string,
  where: string,
  blockName: string,
  password: string | undefined,
): Promise<void> {
  // pkijs is loaded only when a PKCS#12 file shows up, keeping it out of the main bundle.
  const { readPkcs12 } = await import('./adapter/pkcs12.ts');
  const result = await readPkcs12(der, password);
  if (!result.ok) {
    if (result.needsPassword) r.needsPassword = true;
    r.skipped('PKCS#12', where, blockName, result.reason);
    return;
  }
  const ids: string[] = [];
  result.certificates.forEach((certDer, n) => {
    const itemWhere = `${blockName}, certificate bag ${n + 1}`;
    try {
      const added = r.addCertificate(decodeCertificate(certDer), itemWhere);
      if (added !== undefined) ids.push(added.id);
    } catch (err) {
      r.problem(itemWhere, `not a valid certificate: ${describeError(err)}`);
    }
  });
  r.discardedPrivateKeys += result.privateKeys;
  const notes: string[] = [];
  if (result.privateKeys > 0)
    notes.push(`${result.privateKeys} private key bag(s) dropped, never decrypted or stored`);
  if (result.skippedBags > 0) notes.push(`${result.skippedBags} other bag(s) skipped`);
  r.block(
    kind === 'DER' ? 'PKCS#12' : kind,
    where,
    ids,
    undefined,
    notes.length > 0 ? notes.join('; ') : undefined,
  );
}

/**
 * A Java keystore (JKS, JCEKS): each entry a block; its certificates (a trusted certificate, or a private key's chain)
 * are read as certificates, and a private key is counted as discarded (it was skipped by its length, never read).
 */
function handleKeystore(ks: KeystoreContents, r: ReportBuilder): void {
  for (const [i, entry] of ks.entries.entries()) {
    if (r.full) {
      r.limitReached(`${ks.format} entry ${i + 1}`);
      return;
    }
    const name = `${ks.format} entry ${entry.index} "${entry.alias}"`;
    const ids: string[] = [];
    for (const [n, c] of entry.certificates.entries()) {
      if (r.full) {
        r.limitReached(`${name}, certificate ${n + 1}`);
        return;
      }
      const where = entry.certificates.length > 1 ? `${name}, certificate ${n + 1} of its chain` : name;
      try {
        const added = r.addCertificate(decodeCertificate(c.der), where);
        if (added !== undefined) ids.push(added.id);
      } catch (err) {
        r.problem(
          `${where}, ${byteSpan(c.offset, c.offset + c.der.length)}`,
          `not a valid certificate: ${describeError(err)}`,
        );
      }
    }
    if (entry.kind === 'private-key') {
      r.discardedPrivateKeys++;
      r.block(
        `${ks.format} private key entry`,
        name,
        ids,
        undefined,
        'its protected private key was skipped, never decrypted or stored; its certificate chain is read',
      );
    } else r.block(`${ks.format} trusted certificate entry`, name, ids);
  }
  if (ks.secretKeys)
    r.block(
      `${ks.format} secret key entries`,
      `${ks.secretKeys} of them`,
      [],
      undefined,
      'a secret key holds no certificate: skipped, never decrypted or stored',
    );
  if (ks.stopped) r.problem(`${ks.format} keystore, byte ${ks.stopped.offset}`, ks.stopped.reason);
  else if (ks.entries.length === 0 && !ks.secretKeys)
    r.problem(`${ks.format} keystore`, 'the keystore holds no entries');
}

/** Binary input: one or more concatenated DER elements. */
async function parseDerStream(
  bytes: Uint8Array,
  r: ReportBuilder,
  password: string | undefined,
  origin?: string,
): Promise<void> {
  let p = 0;
  while (p < bytes.length) {
    if (r.full) {
      r.limitReached(`${origin !== undefined ? `${origin}, ` : ''}byte ${p}`);
      break;
    }
    let top: Tlv;
    try {
      top = readTlv(bytes, p, bytes.length);
    } catch (err) {
      const reason = err instanceof DerError ? err.reason : describeError(err);
      if (isIndefinite(err)) {
        const at = `${origin !== undefined ? `${origin}, ` : ''}${byteSpan(p, bytes.length)}`;
        if (await handleIndefinite(bytes.subarray(p), describeError(err), r, 'DER', at, at, password)) return;
      }
      const where = `${origin !== undefined ? `${origin}, ` : ''}${byteSpan(p, bytes.length)}`;
      r.skipped('DER', where, where, reason);
      return;
    }
    const where = `${origin !== undefined ? `${origin}, ` : ''}${byteSpan(top.start, top.end)}`;
    const k = derKind(bytes, top);
    const kind =
      k === 'certificate'
        ? 'DER certificate'
        : k === 'crl'
          ? 'DER CRL'
          : k === 'pkcs7'
            ? 'PKCS#7'
            : k === 'pkcs12'
              ? 'PKCS#12'
              : 'DER';
    // Spans inside one element are reported relative to the element; prefix its position.
    await dispatch(k, bytes, top, r, kind, where, where, password);
    p = top.end;
  }
}

/**
 * RFC 5280 §6.1.3 (a)(1): is `child`'s signature made by `issuer`'s key? `issuersOf` (optional) finds the
 * issuer's own issuers, from which a DSA key without parameters inherits them (RFC 3279 §2.3.2).
 */
export async function verifyCertificateSignature(
  child: CertView,
  issuer: CertView,
  issuersOf?: IssuersOf,
): Promise<VerifyResult> {
  return verifySignedBy(child.der, 'certificate', 'issuer candidate', issuer, issuersOf);
}

/** RFC 5280 §6.3.3 (f): is the CRL signed by `issuer`'s key? `issuersOf` as for verifyCertificateSignature. */
export async function verifyCrlSignature(
  crl: CrlView,
  issuer: CertView,
  issuersOf?: IssuersOf,
): Promise<VerifyResult> {
  return verifySignedBy(crl.der, 'CRL', 'CRL issuer candidate', issuer, issuersOf);
}

/** A signed object (certificate or CRL) against `issuer`'s key; a failure names the candidate. */
async function verifySignedBy(
  der: Uint8Array,
  what: 'certificate' | 'CRL',
  candidate: string,
  issuer: CertView,
  issuersOf: IssuersOf | undefined,
): Promise<VerifyResult> {
  let parts;
  try {
    parts = signedParts(der, what);
  } catch (err) {
    return { ok: false, reason: `the ${what} could not be read for its signature: ${describeError(err)}` };
  }
  const inherit = issuersOf === undefined ? undefined : () => inheritedDsaParams(issuer, issuersOf);
  const result = await verifySigned(parts, issuer.publicKey, inherit);
  // A failure keeps `unsupported`: an algorithm we cannot check is not a signature that does not verify.
  return result.ok
    ? result
    : { ...result, reason: `${result.reason} (${candidate} ${issuer.subject.rfc4514})` };
}
