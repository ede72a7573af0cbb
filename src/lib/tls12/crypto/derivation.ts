/**
 * A named, explained intermediate value, so that the UI can show how each secret was computed.
 * Example: { name: 'master_secret', value, inputs: [{ name: 'pre_master_secret', value: … }, …],
 *            formula: 'PRF-SHA256(pre_master_secret, "master secret", client_random + server_random)[0..47]',
 *            source: 'RFC 5246 §8.1' }
 */
export interface Derivation {
  /** snake_case, as the RFC names the value (client_write_key, record_nonce, additional_data…). */
  name: string;
  value: Uint8Array;
  /** What went in, by name, with the bytes (labels appear as their ASCII bytes). */
  inputs: { name: string; value: Uint8Array }[];
  /** The computation in the RFC's notation; `a + b` is concatenation, `[i..j]` an inclusive byte range. */
  formula: string;
  /** Where the formula is specified. */
  source: string;
  /** An `openssl` (3.x) command line that prints `value`, where openssl can recompute it (its `kdf` command). */
  openssl?: string;
}

export function input(name: string, value: Uint8Array): { name: string; value: Uint8Array } {
  return { name, value };
}
