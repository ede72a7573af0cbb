/** Capture timestamps as ms since the Unix epoch (fractional), from the units each format counts in. */

const TWO_32 = 4294967296;

/** pcap: seconds + a fraction in µs or ns. */
export function pcapTime(seconds: number, fraction: number, fractionPerSecond: number): number {
  return seconds * 1000 + (fraction * 1000) / fractionPerSecond;
}

/** pcapng: a 64-bit count (high, low words) of `unitsPerSecond` units. */
export function pcapngTime(high: number, low: number, unitsPerSecond: number): number {
  return (high * TWO_32 + low) * (1000 / unitsPerSecond);
}

/** pcapng if_tsresol: top bit clear = 10^-n s, set = 2^-n s. Default (absent) is 10^-6. */
export function unitsPerSecond(tsresol: number | undefined): number {
  if (tsresol === undefined) return 1e6;
  const n = tsresol & 0x7f;
  return tsresol & 0x80 ? 2 ** n : 10 ** n;
}
