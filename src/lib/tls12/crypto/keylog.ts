/**
 * NSS key log format (the SSLKEYLOGFILE that Wireshark, curl, Firefox and OpenSSL's keylog callback use):
 * one secret per line, `<label> <client_random hex> <secret hex>`; lines starting with '#' are comments.
 * For TLS 1.2 the label is CLIENT_RANDOM and the secret the 48-byte master secret. OpenSSL also writes,
 * for the RSA key exchange, `RSA <first 8 bytes of EncryptedPreMasterSecret hex> <pre_master_secret hex>`.
 * Reference: https://firefox-source-docs.mozilla.org/security/nss/legacy/key_log_format/index.html
 */
import { bytesEqual, fromHex, toHex } from './bytes-util.ts';

export const CLIENT_RANDOM_LABEL = 'CLIENT_RANDOM';
export const RSA_LABEL = 'RSA';

/** `CLIENT_RANDOM <client_random hex> <master_secret hex>` (no newline). */
export function formatKeyLogLine(clientRandom: Uint8Array, masterSecret: Uint8Array): string {
  if (clientRandom.length !== 32)
    throw new RangeError(`key log: client_random must be 32 bytes, got ${clientRandom.length}`);
  if (masterSecret.length !== 48)
    throw new RangeError(`key log: master_secret must be 48 bytes, got ${masterSecret.length}`);
  return `${CLIENT_RANDOM_LABEL} ${toHex(clientRandom)} ${toHex(masterSecret)}`;
}

/** The TLS 1.3 secrets the NSS format names (RFC 8446 §7.1; the same labels OpenSSL's keylog callback writes). */
export const TLS13_KEY_LOG_LABELS = {
  client_early_traffic_secret: 'CLIENT_EARLY_TRAFFIC_SECRET',
  client_handshake_traffic_secret: 'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
  server_handshake_traffic_secret: 'SERVER_HANDSHAKE_TRAFFIC_SECRET',
  client_application_traffic_secret_0: 'CLIENT_TRAFFIC_SECRET_0',
  server_application_traffic_secret_0: 'SERVER_TRAFFIC_SECRET_0',
  exporter_master_secret: 'EXPORTER_SECRET',
} as const;

export type Tls13KeyLogSecret = keyof typeof TLS13_KEY_LOG_LABELS;

/** `<TLS 1.3 label> <client_random hex> <secret hex>` (no newline); the secret is Hash.length bytes (32 or 48). */
export function formatTls13KeyLogLine(
  secret: Tls13KeyLogSecret,
  clientRandom: Uint8Array,
  value: Uint8Array,
): string {
  if (clientRandom.length !== 32)
    throw new RangeError(`key log: client_random must be 32 bytes, got ${clientRandom.length}`);
  if (value.length !== 32 && value.length !== 48)
    throw new RangeError(`key log: a TLS 1.3 secret is 32 or 48 bytes, got ${value.length}`);
  return `${TLS13_KEY_LOG_LABELS[secret]} ${toHex(clientRandom)} ${toHex(value)}`;
}

export interface KeyLogEntry {
  /** CLIENT_RANDOM, RSA, or a TLS 1.3 label such as CLIENT_TRAFFIC_SECRET_0 (kept, not interpreted). */
  label: string;
  /**
   * What the secret belongs to: the 32-byte client random, or for RSA lines the first 8 bytes of the
   * EncryptedPreMasterSecret.
   */
  identifier: Uint8Array;
  /** The master secret (CLIENT_RANDOM), the pre-master secret (RSA), or the labelled TLS 1.3 secret. */
  secret: Uint8Array;
  /** 1-based line number in the input. */
  line: number;
  /** Which key log it is from (a file name, the capture's Decryption Secrets Block), when several are read together. */
  source?: string;
}

/** "line 2", or "line 2 of FILE" when the entry names its key log. */
export function keyLogLineName(e: { line: number; source?: string }): string {
  return `line ${e.line}${e.source !== undefined ? ` of ${e.source}` : ''}`;
}

export class KeyLogParseError extends Error {
  override readonly name = 'KeyLogParseError';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`key log line ${line}: ${reason}`);
  }
}

/**
 * Parses a key log. Blank lines and '#' comments are skipped; every other line must be three
 * space-separated fields: a 32-byte client random (RSA lines: 8 bytes) and, for CLIENT_RANDOM and RSA,
 * a 48-byte secret.
 * @throws KeyLogParseError with the line number and what is wrong.
 */
export function parseKeyLog(text: string): KeyLogEntry[] {
  const entries: KeyLogEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    if (fields.length !== 3)
      throw new KeyLogParseError(
        line,
        `expected "<label> <client_random> <secret>", got ${fields.length} fields`,
      );
    const [label, identifierHex, secretHex] = fields as [string, string, string];
    if (!/^[A-Z0-9_]+$/.test(label)) throw new KeyLogParseError(line, `bad label "${label}"`);
    const hex = (what: string, value: string, length?: number): Uint8Array => {
      if (!/^(?:[0-9a-fA-F]{2})+$/.test(value)) throw new KeyLogParseError(line, `${what} is not hex`);
      const bytes = fromHex(value);
      if (length !== undefined && bytes.length !== length)
        throw new KeyLogParseError(line, `${what} must be ${length} bytes, got ${bytes.length}`);
      return bytes;
    };
    const isRsa = label === RSA_LABEL;
    const identifier = hex(
      isRsa ? 'encrypted pre-master prefix' : 'client_random',
      identifierHex,
      isRsa ? 8 : 32,
    );
    const secret = hex('secret', secretHex, label === CLIENT_RANDOM_LABEL || isRsa ? 48 : undefined);
    entries.push({ label, identifier, secret, line });
  });
  return entries;
}

/**
 * The key log line with `label` for `identifier` (a client random, or an RSA line's prefix). When several lines have
 * both, the LAST one counts, as in Wireshark: its `tls_keylog_process_lines` (epan/dissectors/packet-tls-utils.c)
 * stores every line in a map keyed by label and client random, so a later line replaces an earlier one. Checked with
 * tshark 4.0.17 on `fixtures/pcap/tls12-lo.pcap`: a wrong CLIENT_RANDOM line before the right one decrypts every
 * record, the reverse none; a capture's Decryption Secrets Block is read before a key log file (`-o
 * tls.keylog_file`), so the file's line wins: list the block's entries first.
 */
export function keyLogLine(
  entries: readonly KeyLogEntry[] | undefined,
  label: string,
  identifier: Uint8Array,
): KeyLogEntry | undefined {
  if (!entries) return undefined;
  return entries.findLast((e) => e.label === label && bytesEqual(e.identifier, identifier));
}

/** Where a key log line is: its label, line number and key log (for reports). */
export interface KeyLogLineRef {
  label: string;
  line: number;
  source?: string;
}

/** The line `e` as a report names it. */
export function keyLogLineRef(e: KeyLogEntry): KeyLogLineRef {
  return { label: e.label, line: e.line, ...(e.source !== undefined ? { source: e.source } : {}) };
}

/**
 * The lines `keyLogLine` passed over for the `used` ones: same label and identifier, another secret (a repeated line
 * with the same secret is not a conflict).
 */
export function conflictingLines(
  entries: readonly KeyLogEntry[] | undefined,
  used: readonly KeyLogEntry[],
): KeyLogLineRef[] {
  return (entries ?? [])
    .filter((e) =>
      used.some(
        (u) =>
          u !== e &&
          u.label === e.label &&
          bytesEqual(u.identifier, e.identifier) &&
          !bytesEqual(u.secret, e.secret),
      ),
    )
    .map(keyLogLineRef);
}

/** The TLS 1.2 master secret logged for this client random (the last such line, as `keyLogLine`), if any. */
export function findMasterSecret(entries: KeyLogEntry[], clientRandom: Uint8Array): Uint8Array | undefined {
  return keyLogLine(entries, CLIENT_RANDOM_LABEL, clientRandom)?.secret;
}
