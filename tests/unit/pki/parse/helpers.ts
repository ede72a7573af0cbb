/** Shared helpers for the parser tests: fixture paths (the OpenSSL helpers are in tests/interop/pki/parse/). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
export const PUBLIC_CA = join(ROOT, 'fixtures', 'public-ca');
export const PKITS = join(ROOT, 'fixtures', 'pkits');

export function publicCaFiles(): string[] {
  return ['azure', 'letsencrypt'].flatMap((d) =>
    readdirSync(join(PUBLIC_CA, d))
      .filter((f) => f.endsWith('.pem'))
      .map((f) => `${d}/${f}`),
  );
}
