/** Helpers for the parser tests that check against the OpenSSL CLI (they fail when it is missing). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export { PKITS, PUBLIC_CA, publicCaFiles, ROOT } from '../../../unit/pki/parse/helpers.ts';

/** Runs the OpenSSL CLI; throws (failing the test) when it is missing or fails. */
export function openssl(args: string[], input?: string | Uint8Array): Buffer {
  return execFileSync('openssl', args, {
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tls-lab-parse-'));
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
