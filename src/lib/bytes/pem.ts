/**
 * PEM scanning (RFC 7468) that tolerates what people paste: text around the blocks (openssl s_client
 * output, logs), e-mail quoting ("> "), CRLF or CR line ends, a byte-order mark, indentation, trailing
 * spaces, a missing final newline, RFC 1421 headers (Proc-Type, DEK-Info), an END and the next BEGIN on one line
 * and PEM inside a JSON or YAML string (escaped line ends). Every block reports its line span in the text; a failing
 * block says which line and why.
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
  /**
   * Its BEGIN follows the previous block's END on the same line, which OpenSSL's PEM reader refuses ("bad end
   * line"): read here all the same, and said.
   */
  readonly sharesLineWithEnd?: true;
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

/** A line as the scanner reads it, with the number of the text's line it is on. */
interface ScanLine {
  readonly text: string;
  readonly number: number;
  /** It starts with a BEGIN that followed an END on the same line of the text. */
  readonly afterEnd: boolean;
}

/**
 * The lines the scanner reads. A line of the text is split further where PEM's own line ends were lost:
 * - at escaped line ends ("\n", "\r\n"), on a line with a BEGIN or END (a PEM inside JSON or a YAML string);
 * - after an END that a BEGIN follows on the same line (`cat a.pem b.pem` when a.pem has no final newline).
 */
function scanLines(text: string): ScanLine[] {
  const out: ScanLine[] = [];
  const markers = new RegExp(`${BEGIN.source}|${END.source}`, 'gu');
  pemLines(text).forEach((line, i) => {
    const parts = /-----(?:BEGIN|END) /u.test(line) ? line.split(/\\r\\n|\\n/u) : [line];
    for (const part of parts) {
      // One pass over the markers: a cut before each BEGIN that comes right after an END.
      let from = 0;
      let afterEnd = false;
      let lastWasEnd = false;
      for (const m of part.matchAll(markers)) {
        const isBegin = m[1] !== undefined;
        if (isBegin && lastWasEnd) {
          out.push({ text: part.slice(from, m.index), number: i + 1, afterEnd });
          from = m.index;
          afterEnd = true;
        }
        lastWasEnd = !isBegin;
      }
      out.push({ text: part.slice(from), number: i + 1, afterEnd });
    }
  });
  return out;
}

export function scanPem(text: string): PemScan {
  const lines = scanLines(text);
  const blocks: PemBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i] as ScanLine;
    const begin = BEGIN.exec(first.text);
    if (begin === null) {
      i++;
      continue;
    }
    const label = begin[1] as string;
    const startLine = first.number;
    const headers: string[] = [];
    let b64 = '';
    /** For each base64 chunk: its offset in `b64` and its line number. */
    const chunks: { at: number; line: number }[] = [];
    let endLine = -1;
    let failure: string | undefined;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const { text: raw, number } = lines[j] as ScanLine;
      const end = END.exec(raw);
      if (end !== null) {
        if (end[1] !== label)
          failure = `the END line ${number} says "${end[1]}" but the block began as "${label}"`;
        endLine = number;
        const before = unquote(raw.slice(0, end.index));
        if (before !== '') {
          chunks.push({ at: b64.length, line: number });
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
      chunks.push({ at: b64.length, line: number });
      b64 += line.replace(/\s+/gu, '');
    }
    const sharesLine = first.afterEnd ? { sharesLineWithEnd: true as const } : {};
    if (endLine < 0) {
      const last = (lines[Math.min(j, lines.length) - 1] as ScanLine).number;
      blocks.push({
        index: blocks.length + 1,
        label,
        startLine,
        endLine: last,
        headers,
        ...sharesLine,
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
    blocks.push({ index: blocks.length + 1, label, startLine, endLine, headers, ...sharesLine, result });
    i = j;
  }
  return { blocks, lineCount: pemLines(text).length };
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
 * The text with the contents of every PEM private key block removed: its BEGIN and END markers and every line end
 * stay, so parsing it still reports (and counts) a key recognised and dropped at the same lines, but the key itself
 * is no longer in the text. Found by its markers wherever they are (quoted, indented, after an END on the same line,
 * inside a JSON string with escaped line ends); a key without an END loses everything up to the next BEGIN or the
 * end of the text. For pasted text the page keeps (the Chain Lab's inputs): a key is never kept.
 */
export function redactPrivateKeys(text: string): string {
  const blank = (body: string) => body.replace(/[^\r\n]/gu, '');
  const markers = new RegExp(`${BEGIN.source}|${END.source}`, 'gu');
  let out = '';
  let from = 0;
  /** Where the body of the key being read starts, while one is. */
  let body = -1;
  for (const m of text.matchAll(markers)) {
    if (body >= 0) {
      out += text.slice(from, body) + blank(text.slice(body, m.index)); // the body stops at the next marker
      from = m.index;
      body = -1;
    }
    if (m[1] !== undefined && isPrivateKeyLabel(m[1])) body = m.index + m[0].length;
  }
  return body >= 0 ? out + text.slice(from, body) + blank(text.slice(body)) : out + text.slice(from);
}
