/** The Internet checksum (RFC 1071): ones' complement of the ones' complement sum of 16-bit words. */

/** Adds `data` to a running 32-bit sum (not yet folded). */
export function sumWords(data: Uint8Array, sum = 0): number {
  let s = sum;
  const even = data.length & ~1;
  for (let i = 0; i < even; i += 2) s += ((data[i] as number) << 8) | (data[i + 1] as number);
  if (data.length & 1) s += (data[data.length - 1] as number) << 8;
  return s;
}

export function foldChecksum(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

export function internetChecksum(data: Uint8Array): number {
  return foldChecksum(sumWords(data));
}
