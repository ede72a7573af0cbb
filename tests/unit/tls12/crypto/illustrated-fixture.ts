/**
 * "The Illustrated TLS 1.2 Connection" (syncsynchalt/illustrated-tls12, MIT), copied to
 * fixtures/tls12-vectors/illustrated-tls12/: expected-values.json (published values), keys/, caps/ (each
 * file one record as sent), keylog.txt (NSS key log of the capture).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromHex } from '../../../../src/lib/tls12/crypto/index.ts';

export const ILLUSTRATED_DIR = fileURLToPath(
  new URL('../../../../fixtures/tls12-vectors/illustrated-tls12/', import.meta.url),
);

export function cap(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${ILLUSTRATED_DIR}caps/${name}`));
}

export function keyFile(name: string): string {
  return readFileSync(`${ILLUSTRATED_DIR}keys/${name}`, 'utf8');
}

export function keylogText(): string {
  return readFileSync(`${ILLUSTRATED_DIR}keylog.txt`, 'utf8');
}

export interface PrfVector {
  hash: 'sha256' | 'sha384';
  secret: string;
  label: string;
  seed: string;
  length: number;
  output: string;
}

export const values = JSON.parse(readFileSync(`${ILLUSTRATED_DIR}expected-values.json`, 'utf8')) as Record<
  string,
  string
> & {
  prf_vectors: PrfVector[];
};

/** A published hex value from expected-values.json, as bytes. Fails loudly if the name is wrong. */
export function hexValue(name: string): Uint8Array {
  const v = values[name];
  if (typeof v !== 'string') throw new Error(`expected-values.json has no string "${name}"`);
  return fromHex(v);
}
