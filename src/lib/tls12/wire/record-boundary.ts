/**
 * Record boundaries in a byte stream whose start was not captured: which offsets begin a run of plausible TLS
 * record headers. Used to tell TLS from other traffic in a capture (pcap/classify.ts) and to find the first whole
 * record of a capture begun inside one (observe.ts). A plausible header: content type 20 to 23, version 3.1 to 3.4,
 * length 1 to 2^14 + 2048 (RFC 5246 §6.2.3).
 */
import { MAX_CIPHERTEXT_LENGTH, RECORD_HEADER_LENGTH } from './record.ts';

/** The most of one record a capture can miss: a whole record, header included. */
const MAX_RECORD = RECORD_HEADER_LENGTH + MAX_CIPHERTEXT_LENGTH;
/** How many headers in a row recordBoundary looks at from each offset (two decide; the rest must be plausible too). */
const DECIDING_HEADERS = 4;

/** The header bytes at `at`, as far as `b` holds them (up to the version), are a plausible record's. */
function plausibleStart(b: Uint8Array, at: number): boolean {
  const type = b[at] ?? 0;
  const major = b[at + 1] ?? 3;
  const minor = b[at + 2] ?? 3;
  return type >= 20 && type <= 23 && major === 3 && minor >= 1 && minor <= 4;
}

/** The record length of a plausible whole header at `at`, else undefined. */
function plausibleLength(b: Uint8Array, at: number): number | undefined {
  const length = (b[at + 3]! << 8) | b[at + 4]!;
  return plausibleStart(b, at) && length > 0 && length <= MAX_CIPHERTEXT_LENGTH ? length : undefined;
}

/** Fewer bytes than a header that could begin a plausible one. */
export function mayStartRecord(b: Uint8Array): boolean {
  return b.length > 0 && b.length < RECORD_HEADER_LENGTH && plausibleStart(b, 0);
}

/** A record that ends the stream exactly, or is followed only by the plausible start of a header cut short. */
function endsTheStream(b: Uint8Array, end: number): boolean {
  return end === b.length || (end < b.length && mayStartRecord(b.subarray(end)));
}

/**
 * The plausible record headers that follow each other from `from`, as far as `b` holds their 5 bytes (or `most` of
 * them): how many, and where the last one's record ends (past `b`'s end when it is cut short). Undefined when one of
 * them is not plausible.
 */
export function recordChain(
  b: Uint8Array,
  from = 0,
  most = Infinity,
): { headers: number; end: number } | undefined {
  let at = from;
  let headers = 0;
  while (headers < most && at + RECORD_HEADER_LENGTH <= b.length) {
    const length = plausibleLength(b, at);
    if (length === undefined) return undefined;
    headers++;
    at += RECORD_HEADER_LENGTH + length;
  }
  return { headers, end: at };
}

/**
 * Where the first whole record starts in a stream whose capture began inside a record (a tcpdump started in the
 * middle of a transfer): the first offset, within one record's length of the start, from which plausible headers
 * follow each other: two or more, or (once the stream has `ended`) one whose record ends the stream (exactly, or
 * followed by a header cut short). A run of ciphertext passes that test by chance about once in 10^13 offsets.
 * Offsets before `from` are known not to be one. `{ at }`: found; `{ waitFrom }`: more bytes could still make `waitFrom` (or a later offset) the one;
 * undefined: there is none, so these bytes are not TLS.
 */
export function recordBoundary(
  b: Uint8Array,
  ended: boolean,
  from = 0,
): { at: number } | { waitFrom: number } | undefined {
  const last = Math.min(b.length, MAX_RECORD);
  for (let k = from; k < last; k++) {
    // A few headers decide; walking every one from every offset would be quadratic in hostile bytes.
    const chain = recordChain(b, k, DECIDING_HEADERS);
    if (chain === undefined) continue;
    if (chain.headers >= 2 || (ended && chain.headers === 1 && endsTheStream(b, chain.end))) return { at: k };
    if (!ended) return { waitFrom: k };
  }
  return !ended && last < MAX_RECORD ? { waitFrom: last } : undefined;
}
