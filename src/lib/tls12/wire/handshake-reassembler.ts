/**
 * RFC 5246 §6.2.1: "multiple client messages of the same ContentType MAY be coalesced into a single
 * TLSPlaintext record, or a single message MAY be fragmented across several records". The reassembler
 * takes handshake record fragments in order and yields whole handshake messages (header + body), each with
 * the stream positions its bytes came from.
 */
import { ByteQueue, Reader } from '../../bytes/index.ts';
import { HANDSHAKE_HEADER_LENGTH, MAX_HANDSHAKE_BODY_LENGTH } from './handshake-header.ts';

/** A run of bytes of a message in the stream: `length` bytes at stream offset `offset`. */
export interface Piece {
  offset: number;
  length: number;
}

export interface ReassembledMessage {
  msgType: number;
  /** The whole message, header included: the transcript input. */
  bytes: Uint8Array;
  /** Where its bytes were (one piece per record it spans); empty when no offsets were given. */
  pieces: Piece[];
}

export interface ReassemblerOptions {
  /** Largest body accepted (default 2^24-1, the uint24 limit). A larger declared length throws. */
  maxMessageLength?: number;
}

export class HandshakeReassembler {
  readonly #max: number;
  readonly #queue = new ByteQueue();
  #pieces: Piece[] = [];
  /** Offset, in the handshake message stream, of the first queued byte (for error offsets). */
  #consumed = 0;
  /** Header of the message being collected, once its 4 bytes are in. */
  #current: { msgType: number; total: number } | undefined;

  constructor(options: ReassemblerOptions = {}) {
    this.#max = options.maxMessageLength ?? MAX_HANDSHAKE_BODY_LENGTH;
  }

  /** True while part of a message is buffered (a ChangeCipherSpec must not arrive now). */
  get hasPartial(): boolean {
    return this.#queue.size > 0;
  }

  get pending(): number {
    return this.#queue.size;
  }

  /**
   * Adds one handshake fragment. `origin` is the stream offset of `fragment[0]` (e.g. record offset + 5),
   * used only to report pieces. Returns the messages completed by this fragment.
   */
  push(fragment: Uint8Array, origin?: number): ReassembledMessage[] {
    if (fragment.length > 0) {
      this.#queue.push(fragment);
      if (origin !== undefined) this.#pieces.push({ offset: origin, length: fragment.length });
    }
    const out: ReassembledMessage[] = [];
    for (;;) {
      if (!this.#current) {
        if (this.#queue.size < HANDSHAKE_HEADER_LENGTH) break;
        const head = this.#queue.peek(HANDSHAKE_HEADER_LENGTH);
        const length = (head[1]! << 16) | (head[2]! << 8) | head[3]!;
        if (length > this.#max) {
          new Reader(head, { base: this.#consumed }).fail(
            'invalid-value',
            'handshake.header.length',
            `message length ${length} exceeds the limit ${this.#max}`,
            this.#consumed + 1,
          );
        }
        this.#current = { msgType: head[0]!, total: HANDSHAKE_HEADER_LENGTH + length };
      }
      const { msgType, total } = this.#current;
      if (this.#queue.size < total) break;
      out.push({ msgType, bytes: this.#queue.take(total), pieces: this.#takePieces(total) });
      this.#consumed += total;
      this.#current = undefined;
    }
    return out;
  }

  #takePieces(total: number): Piece[] {
    const taken: Piece[] = [];
    let need = total;
    while (need > 0 && this.#pieces.length > 0) {
      const first = this.#pieces[0]!;
      if (first.length <= need) {
        taken.push(first);
        this.#pieces.shift();
        need -= first.length;
      } else {
        taken.push({ offset: first.offset, length: need });
        this.#pieces[0] = { offset: first.offset + need, length: first.length - need };
        need = 0;
      }
    }
    return taken;
  }

  /**
   * The message cut short so far: how many of its bytes arrived and (once its 4-byte header is in) its type and
   * its whole length. Undefined when nothing is buffered.
   */
  get partial(): { have: number; msgType?: number; total?: number } | undefined {
    if (this.#queue.size === 0) return undefined;
    const current = this.#current;
    return { have: this.#queue.size, ...(current ? { msgType: current.msgType, total: current.total } : {}) };
  }

  /** Call when no more handshake data will come: throws `truncated` if a partial message is left. */
  end(): void {
    if (this.#queue.size > 0) {
      new Reader(new Uint8Array(0), { base: this.#consumed }).fail(
        'truncated',
        'handshake',
        `handshake stream ended inside a message (${this.#queue.size} bytes pending)`,
      );
    }
  }
}
