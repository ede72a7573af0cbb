/**
 * A Python virtual environment under .tmp/ (ignored by git) with a project's pinned wheels, for the oracles that run a
 * real Python client (libpq 18 in psycopg's binary wheel, asyncpg). Made once, and made again when its requirements
 * file changes. Fails (throws) when python3's venv module or pip cannot do it: an oracle never silently skips.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Runs a command for an oracle named `who`; a failure says what it needs (`needs`). */
export function runFor(who: string, needs: string): (cmd: string, args: string[], what: string) => string {
  return (cmd, args, what) => {
    try {
      return execFileSync(cmd, args, {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 600_000,
      });
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(
        `${who}: ${what} failed (${cmd} ${args.join(' ')}):\n${err.stderr || err.message}\n` +
          'It needs python3 with the venv module (Debian: apt-get install python3-venv; scripts/system-deps.sh does this) ' +
          `and pip able to install ${needs}.`,
      );
    }
  };
}

/** The python of `.tmp/<name>` with `requirements` (a path under the repository) installed. */
export function ensureVenv(
  name: string,
  requirements: string,
  run: (cmd: string, args: string[], what: string) => string,
): string {
  const venv = join(ROOT, '.tmp', name);
  const python = join(venv, 'bin', 'python');
  const wanted = readFileSync(requirements, 'utf8');
  const stamp = join(venv, 'requirements.installed');
  if (!existsSync(python) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
    rmSync(venv, { recursive: true, force: true });
    mkdirSync(dirname(venv), { recursive: true });
    run('python3', ['-m', 'venv', venv], 'creating the virtual environment');
    // --retries 0: where only a local wheel store answers, pip does not wait on the unreachable index.
    run(
      python,
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--retries',
        '0',
        '-r',
        requirements,
      ],
      'pip install',
    );
    writeFileSync(stamp, wanted);
  }
  return python;
}
