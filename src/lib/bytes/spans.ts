/**
 * Annotation spans: the field tree a decoder records while it reads. Offsets are absolute to the start of
 * the decoded buffer, `end` is exclusive. Leaves tile the message exactly (no gap, no overlap) and
 * children nest inside their parent; zero-length fields are not recorded.
 *
 * Field ids are stable dotted names (`client_hello.random`, `client_hello.cipher_suites[3]`,
 * `extension.server_name.host_name`); `normaliseFieldId` turns indices into `[]` so prose can be keyed
 * by pattern.
 */

export interface Span {
  /** Stable dotted field id, with list indices (`client_hello.cipher_suites[3]`). */
  id: string;
  /** Optional human label for display. */
  label?: string;
  /** Absolute start offset (inclusive). */
  start: number;
  /** Absolute end offset (exclusive). */
  end: number;
  /** Decoded value for display: a number, a code-point name, text, or hex for short byte strings. */
  value?: string | number;
  /** Sub-fields, in wire order, tiling [start, end). Absent on leaves. */
  children?: Span[];
}

/** Records spans as a tree while a Reader (and its sub-readers) read. */
export class SpanRecorder {
  readonly roots: Span[] = [];
  readonly #stack: Span[] = [];

  #siblings(): Span[] {
    const top = this.#stack[this.#stack.length - 1];
    if (!top) return this.roots;
    return (top.children ??= []);
  }

  /** Adds a leaf (ignored when empty). */
  leaf(span: Span): void {
    if (span.end <= span.start) return;
    this.#siblings().push(span);
  }

  /** Opens a node; every span recorded until `close` becomes its descendant. */
  open(id: string, start: number, label?: string): Span {
    const span: Span = { id, start, end: start, children: [] };
    if (label !== undefined) span.label = label;
    this.#siblings().push(span);
    this.#stack.push(span);
    return span;
  }

  /** Closes the innermost open node (which must be `span`) at `end`; empty nodes are dropped. */
  close(span: Span, end: number): void {
    const top = this.#stack.pop();
    if (top !== span) throw new Error('SpanRecorder: close() does not match the innermost open()');
    span.end = end;
    if (span.children && span.children.length === 0) delete span.children;
    if (end <= span.start) {
      const siblings = this.#siblings();
      if (siblings[siblings.length - 1] === span) siblings.pop();
    }
  }
}

/**
 * The single source of spans for bytes we build ourselves. Encoders write plain bytes (`Writer` records no
 * spans); a message this project sends, or makes up for a simulated peer (the lab's PostgreSQL answers), is
 * annotated by reading its bytes back with the same decoder that reads a peer's message. So each field is
 * named in one place, the decoder; our bytes and a peer's get the same field ids; and an encoder that writes
 * what its decoder cannot read fails at once. Every caller that wants the spans of bytes it built (the TLS
 * engine's records and handshake messages, the PostgreSQL framing in the lab and the CLI) goes through here.
 */
export function decodeOwnBytes<Decoded extends { spans: Span[] }>(
  bytes: Uint8Array,
  decode: (bytes: Uint8Array) => Decoded,
): Decoded {
  return decode(bytes);
}

/** `client_hello.cipher_suites[3]` -> `client_hello.cipher_suites[]`. */
export function normaliseFieldId(id: string): string {
  return id.replace(/\[\d+\]/g, '[]');
}

/** A deep copy of `spans` with every offset moved by `delta` (to place a message inside a record, say). */
export function shiftSpans(spans: readonly Span[], delta: number): Span[] {
  return spans.map((s) => {
    const copy: Span = { ...s, start: s.start + delta, end: s.end + delta };
    if (s.children) copy.children = shiftSpans(s.children, delta);
    return copy;
  });
}

/** Visits every span depth-first, parents before children. */
export function walkSpans(
  spans: readonly Span[],
  visit: (span: Span, depth: number) => void,
  depth = 0,
): void {
  for (const s of spans) {
    visit(s, depth);
    if (s.children) walkSpans(s.children, visit, depth + 1);
  }
}

/** The leaves of the tree in wire order. */
export function leafSpans(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  walkSpans(spans, (s) => {
    if (!s.children || s.children.length === 0) out.push(s);
  });
  return out;
}

/** The innermost span containing `offset`, for hover/selection in a byte view. */
export function spanAt(spans: readonly Span[], offset: number): Span | undefined {
  for (const s of spans) {
    if (offset >= s.start && offset < s.end) {
      return (s.children && spanAt(s.children, offset)) ?? s;
    }
  }
  return undefined;
}
