/**
 * PEM scanning (RFC 7468) that tolerates what people paste: text around the blocks (openssl s_client
 * output, logs), e-mail quoting ("> "), CRLF or CR line ends, a byte-order mark, indentation, trailing
 * spaces, a missing final newline and RFC 1421 headers (Proc-Type, DEK-Info). Every block reports its
 * line span; a failing block says which line and why.
 */
import { decodeBase64 } from './base64.ts';

export interface PemBlock {
  /** 1-based index among the blocks found. */
  readonly index: number;
  /** The label between "BEGIN " and "-----", e.g. "CERTIFICATE". */
  readonly label: string;
  /** 1-based line numbers of the BEGIN and END lines (END = last line read when the END is missing). */
  readonly startLine: number;
  readonly endLine: number;
  /** RFC 1421 headers (e.g. "Proc-Type: 4,ENCRYPTED"), as text. */
  readonly headers: readonly string[];
  readonly result: { ok: true; der: Uint8Array } | { ok: false; reason: string };
}

export interface PemScan {
  readonly blocks: PemBlock[];
  readonly lineCount: number;
}

const BEGIN = /-----BEGIN ([A-Z0-9][A-Z0-9 #_/.-]*?)-----/;
const END = /-----END ([A-Z0-9][A-Z0-9 #_/.-]*?)-----/;

/** Removes e-mail quoting and surrounding white space. */
function unquote(line: string): string {
  return line.replace(/^[\s>]*/u, '').trim();
}

/** The text's lines as the scanner numbers them: a byte-order mark dropped, CRLF, CR or LF ends. */
function pemLines(text: string): string[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return source.split(/\r\n|\r|\n/u);
}

export function scanPem(text: string): PemScan {
  const lines = pemLines(text);
  const blocks: PemBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const begin = BEGIN.exec(lines[i] as string);
    if (begin === null) {
      i++;
      continue;
    }
    const label = begin[1] as string;
    const startLine = i + 1;
    const headers: string[] = [];
    let b64 = '';
    /** For each base64 chunk: its offset in `b64` and its line number. */
    const chunks: { at: number; line: number }[] = [];
    let endLine = -1;
    let failure: string | undefined;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const raw = lines[j] as string;
      const end = END.exec(raw);
      if (end !== null) {
        if (end[1] !== label)
          failure = `the END line ${j + 1} says "${end[1]}" but the block began as "${label}"`;
        endLine = j + 1;
        const before = unquote(raw.slice(0, end.index));
        if (before !== '') {
          chunks.push({ at: b64.length, line: j + 1 });
          b64 += before.replace(/\s+/gu, '');
        }
        j++;
        break;
      }
      if (BEGIN.test(raw)) break; // a new block starts: this one has no END line
      const line = unquote(raw);
      if (line === '') continue;
      if (b64 === '' && /^[A-Za-z-]+:/u.test(line)) {
        headers.push(line);
        continue;
      }
      chunks.push({ at: b64.length, line: j + 1 });
      b64 += line.replace(/\s+/gu, '');
    }
    if (endLine < 0) {
      const last = j < lines.length ? j : lines.length;
      blocks.push({
        index: blocks.length + 1,
        label,
        startLine,
        endLine: last,
        headers,
        result: { ok: false, reason: `there is no "-----END ${label}-----" line after line ${startLine}` },
      });
      i = j;
      continue;
    }
    let result: PemBlock['result'];
    if (failure !== undefined) {
      result = { ok: false, reason: failure };
    } else if (b64 === '') {
      result = { ok: false, reason: 'the block holds no base64 data' };
    } else {
      const decoded = decodeBase64(b64);
      if (decoded.ok) {
        result = { ok: true, der: decoded.bytes };
      } else {
        let line = chunks[0]?.line ?? startLine;
        for (const c of chunks) if (c.at <= decoded.index) line = c.line;
        result = { ok: false, reason: `base64 is invalid at line ${line}: ${decoded.reason}` };
      }
    }
    blocks.push({ index: blocks.length + 1, label, startLine, endLine, headers, result });
    i = j;
  }
  return { blocks, lineCount: lines.length };
}

/** A PEM block that cannot be decoded, with the line it starts on and why. */
export class PemError extends Error {
  override readonly name = 'PemError';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`PEM line ${line}: ${reason}`);
  }
}

/**
 * The DER of every block labelled `label` ("CERTIFICATE", "PRIVATE KEY"), in order, read by the same tolerant
 * scanner as everything else. @throws PemError naming the line when such a block does not decode.
 */
export function pemToDer(text: string, label: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const block of scanPem(text).blocks) {
    if (block.label !== label) continue;
    if (!block.result.ok) throw new PemError(block.startLine, `the "${label}" block: ${block.result.reason}`);
    out.push(block.result.der);
  }
  return out;
}

/** A PEM label that holds a private key ("PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY" ...). */
export function isPrivateKeyLabel(label: string): boolean {
  return label.endsWith('PRIVATE KEY');
}

/**
 * The text with the contents of every PEM private key block blanked: its BEGIN and END lines stay, so parsing it
 * still reports (and counts) a key recognised and dropped at the same lines, but the key itself is no longer in the
 * text. For pasted text the page keeps (the Chain Lab's inputs): a key is never kept.
 */
export function redactPrivateKeys(text: string): string {
  const blocks = scanPem(text).blocks.filter((b) => isPrivateKeyLabel(b.label));
  if (blocks.length === 0) return text;
  const lines = pemLines(text);
  for (const b of blocks) {
    const begin = lines[b.startLine - 1] ?? '';
    const marker = BEGIN.exec(begin);
    if (marker) lines[b.startLine - 1] = begin.slice(0, marker.index + marker[0].length);
    for (let i = b.startLine; i < b.endLine - 1; i++) lines[i] = '';
    if (b.endLine === b.startLine) continue;
    const end = lines[b.endLine - 1] ?? '';
    const at = end.indexOf('-----END');
    if (at > 0) lines[b.endLine - 1] = end.slice(at);
    else if (at < 0) lines[b.endLine - 1] = ''; // no END line: the block ran to its last line
  }
  return lines.join('\n');
}
