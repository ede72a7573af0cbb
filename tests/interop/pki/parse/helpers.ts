/** Helpers for the parser tests that check against the OpenSSL CLI (they fail when it is missing). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ParseReport } from '../../../../src/lib/pki/types.ts';

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

/** The EC private scalar as openssl prints it ("priv:" in `openssl ec -text`). */
export function ecPrivateScalar(keyFile: string): Uint8Array {
  const text = openssl(['ec', '-in', keyFile, '-noout', '-text']).toString();
  const m = /priv:\s*\n([\s0-9a-f:]+?)\npub:/.exec(text);
  expect(m).not.toBeNull();
  return Buffer.from(m![1]!.replace(/[\s:]/g, ''), 'hex');
}

/** No 16-byte window of the secret appears in any byte array, nor as hex/base64 in the JSON. */
export function expectNoSecret(report: ParseReport, secret: Uint8Array): void {
  expect(secret.length).toBeGreaterThanOrEqual(16);
  const json = JSON.stringify(report, (_k, v: unknown) =>
    v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
  );
  const jsonB64 = JSON.stringify(report, (_k, v: unknown) =>
    v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
  );
  const plain = JSON.stringify(report);
  const clone = structuredClone(report);
  const arrays: Uint8Array[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Uint8Array) arrays.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(clone);
  for (let i = 0; i + 16 <= secret.length; i += 4) {
    const window = Buffer.from(secret.subarray(i, i + 16));
    expect(json.includes(hex(window))).toBe(false);
    expect(plain.includes(hex(window))).toBe(false);
    for (const a of arrays) expect(Buffer.from(a).includes(window)).toBe(false);
  }
  expect(jsonB64.includes(Buffer.from(secret).toString('base64').slice(4, 28))).toBe(false);
}
