/** Base64 (RFC 4648 §4) without DOM or Node globals, so the core runs unchanged in both. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += `${ALPHABET[n >> 18]!}${ALPHABET[(n >> 12) & 63]!}==`;
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += `${ALPHABET[n >> 18]!}${ALPHABET[(n >> 12) & 63]!}${ALPHABET[(n >> 6) & 63]!}=`;
  }
  return out;
}

export type Base64Result = { ok: true; bytes: Uint8Array } | { ok: false; index: number; reason: string };

/**
 * Decodes base64 text with no white space in it (the PEM scanner strips it per line). Reports the index
 * of the first offending character.
 */
export function decodeBase64(text: string): Base64Result {
  let end = text.length;
  let pad = 0;
  while (end > 0 && text[end - 1] === '=' && pad < 2) {
    end--;
    pad++;
  }
  if ((end + pad) % 4 !== 0 && pad > 0) return { ok: false, index: end, reason: 'the padding is wrong' };
  const out = new Uint8Array(Math.floor((end * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (LOOKUP[c] as number) : -1;
    if (v < 0) {
      const ch = text[i] === '=' ? '"=" before the end' : `character ${JSON.stringify(text[i])}`;
      return { ok: false, index: i, reason: `${ch} is not base64` };
    }
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (end % 4 === 1)
    return { ok: false, index: end - 1, reason: 'the base64 text stops one character into a group' };
  return { ok: true, bytes: out.subarray(0, o) };
}
