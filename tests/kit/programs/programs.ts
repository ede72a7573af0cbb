/** External programs the interop and oracle tests need: missing ones FAIL the test with a clear message. */
import { accessSync, constants } from 'node:fs';
import { execFileSync } from 'node:child_process';

export function requireProgram(name: string, candidates: string[] = []): string {
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // try the next
    }
  }
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      `${name} is required for this test but was not found (looked in PATH${candidates.length ? ' and ' + candidates.join(', ') : ''}); install it (e.g. apt-get install ${name === 'openssl' ? 'openssl' : 'postgresql-15'})`,
    );
  }
}
