/**
 * Loads the records of "The Illustrated TLS 1.2 Connection" (syncsynchalt/illustrated-tls12, MIT), copied
 * to fixtures/tls12-vectors/illustrated-tls12/: each caps/<name> file is one complete record as sent.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../../../../fixtures/tls12-vectors/illustrated-tls12/', import.meta.url));

export function cap(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${DIR}caps/${name}`));
}

export interface ExpectedValues {
  client_random: string;
  server_random: string;
  client_ephemeral_public: string;
  server_ephemeral_public: string;
  cipher_suite: string;
  client_verify_data: string;
  server_verify_data: string;
}

export const expected: ExpectedValues = JSON.parse(readFileSync(`${DIR}expected-values.json`, 'utf8'));

/** The handshake message(s) inside a plaintext record file: the fragment after the 5-byte header. */
export function fragmentOf(name: string): Uint8Array {
  return cap(name).subarray(5);
}
