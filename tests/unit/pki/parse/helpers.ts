/** Shared helpers for the parser tests: fixture paths and the OpenSSL CLI (tests fail when it is missing). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
export const PUBLIC_CA = join(ROOT, 'fixtures', 'public-ca');
export const PKITS = join(ROOT, 'fixtures', 'pkits');

/** Runs the OpenSSL CLI; throws (failing the test) when it is missing or fails. */
export function openssl(args: string[], input?: string | Uint8Array): Buffer {
  return execFileSync('openssl', args, {
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

export function publicCaFiles(): string[] {
  return ['azure', 'letsencrypt'].flatMap((d) =>
    readdirSync(join(PUBLIC_CA, d))
      .filter((f) => f.endsWith('.pem'))
      .map((f) => `${d}/${f}`),
  );
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tls-lab-parse-'));
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
