/** RFC 5246 §7.4.1.2 Random and SessionID, shared by ClientHello and ServerHello. */
import type { Reader } from '../../bytes/index.ts';

export const RANDOM_LENGTH = 32;
export const MAX_SESSION_ID_LENGTH = 32;

/** `struct { uint32 gmt_unix_time; opaque random_bytes[28]; } Random;` read as 32 opaque bytes. */
export function readRandom(r: Reader, id: string): Uint8Array {
  return r.bytes(RANDOM_LENGTH, id);
}

/** `opaque SessionID<0..32>;` */
export function readSessionId(r: Reader, id: string): Uint8Array {
  return r.vec8(id, { max: MAX_SESSION_ID_LENGTH });
}

export function checkRandom(random: Uint8Array, what: string): void {
  if (random.length !== RANDOM_LENGTH) {
    throw new RangeError(`${what}: random must be ${RANDOM_LENGTH} bytes, got ${random.length}`);
  }
}

export function checkSessionId(sessionId: Uint8Array, what: string): void {
  if (sessionId.length > MAX_SESSION_ID_LENGTH) {
    throw new RangeError(
      `${what}: session_id must be at most ${MAX_SESSION_ID_LENGTH} bytes, got ${sessionId.length}`,
    );
  }
}
