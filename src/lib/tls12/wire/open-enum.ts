/**
 * Open enums for IANA code points (rustls' `enum_builder!`): the wire integer is the value, known values
 * have names, unknown values are kept and printed as hex (`unknown(0x1a1a)`), never rejected.
 */

export interface OpenEnum<Names extends string> {
  /** Registry name, e.g. "CipherSuite". */
  readonly registry: string;
  /** Width on the wire in bytes (1 or 2), which sets how unknown values are printed. */
  readonly width: 1 | 2;
  /** Named constants: `CipherSuite.values.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 === 0xc02f`. */
  readonly values: Readonly<Record<Names, number>>;
  /** The name for a known value, undefined otherwise. */
  name(value: number): Names | undefined;
  /** The name, or `unknown(0x1a1a)`. */
  format(value: number): string;
  isKnown(value: number): boolean;
}

export function hexCode(value: number, width: 1 | 2): string {
  return '0x' + value.toString(16).padStart(width * 2, '0');
}

export function openEnum<const Names extends string>(
  registry: string,
  width: 1 | 2,
  values: Record<Names, number>,
): OpenEnum<Names> {
  const byValue = new Map<number, Names>();
  for (const [name, value] of Object.entries(values) as [Names, number][]) {
    if (byValue.has(value)) throw new Error(`${registry}: duplicate value ${hexCode(value, width)}`);
    byValue.set(value, name);
  }
  return {
    registry,
    width,
    values: Object.freeze({ ...values }),
    name: (value) => byValue.get(value),
    format: (value) => byValue.get(value) ?? `unknown(${hexCode(value, width)})`,
    isKnown: (value) => byValue.has(value),
  };
}

/**
 * RFC 8701 GREASE values for 16-bit registries (cipher suites, extensions, groups, signature algorithms,
 * versions): 0x0a0a, 0x1a1a, ..., 0xfafa. They decode like any unknown value.
 */
export function isGrease16(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && value >> 8 === (value & 0xff);
}
