/**
 * Typed decode errors. Every decoder in the wire layer throws `DecodeError` and nothing else, whatever the
 * input: hostile bytes must never surface as a `TypeError`/`RangeError` from deep inside a parser.
 *
 * Messages say what failed, where and why, in one line:
 *   `ClientHello.cipher_suites: length 7 is odd (offset 43)`
 */

export type DecodeErrorKind =
  /** The input (or the enclosing top-level buffer) ended before the field did. */
  | 'truncated'
  /** Bytes are left over after a complete structure. */
  | 'trailing-data'
  /** A field was read but its value is not allowed (wrong code, out of range, duplicate...). */
  | 'invalid-value'
  /** An inner length prefix disagrees with the length of the structure that encloses it. */
  | 'length-mismatch';

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  readonly kind: DecodeErrorKind;
  /** Field id (`client_hello.cipher_suites`), the same ids the annotation spans use. */
  readonly field: string;
  /** Absolute offset (from the start of the decoded buffer) where the problem was found. */
  readonly offset: number;
  /** The "why" alone, without field and offset. */
  readonly reason: string;

  constructor(kind: DecodeErrorKind, field: string, offset: number, reason: string) {
    super(`${displayField(field)}: ${reason} (offset ${offset})`);
    this.kind = kind;
    this.field = field;
    this.offset = offset;
    this.reason = reason;
  }
}

/** `client_hello.cipher_suites[3]` -> `ClientHello.cipher_suites[3]`: the struct name the RFC uses, then the path. */
export function displayField(field: string): string {
  const dot = field.indexOf('.');
  const head = dot < 0 ? field : field.slice(0, dot);
  const rest = dot < 0 ? '' : field.slice(dot);
  const pascal = head
    .split('_')
    .map((part) => (part.length > 0 ? part[0]!.toUpperCase() + part.slice(1) : part))
    .join('');
  return pascal + rest;
}

export function isDecodeError(e: unknown): e is DecodeError {
  return e instanceof DecodeError;
}

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: DecodeError };

/** Runs a throwing decoder and returns a result instead. Non-DecodeError exceptions are rethrown (they are bugs). */
export function tryDecode<T>(decode: () => T): DecodeResult<T> {
  try {
    return { ok: true, value: decode() };
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, error: e };
    throw e;
  }
}
