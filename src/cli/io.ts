/**
 * What every `tls-lab` command shares: where it writes (injected, so tests run a command in-process), whether
 * it may colour its output, and the checks that turn bad input into one clear sentence and exit status 2.
 */
import { open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseIsoInstant } from '../lib/pki/validation-time.ts';

export interface CliIo {
  /** Standard output (the report, or JSON). */
  readonly out: (text: string) => void;
  /** Standard error (usage and input errors). */
  readonly err: (text: string) => void;
  /** ANSI colours on standard output: only on a terminal, and never when NO_COLOR is set. */
  readonly color: boolean;
  /** The environment variables a command reads (TLS_LAB_PKCS12_PASSWORD); none when absent, as in tests. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Colours follow https://no-color.org: a non-empty NO_COLOR turns them off; so does a stream that is not a
 * terminal (a pipe, a file) and TERM=dumb.
 */
export function colorWanted(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if (!isTTY) return false;
  if ((env.NO_COLOR ?? '') !== '') return false;
  return env.TERM !== 'dumb';
}

export function processIo(): CliIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    color: colorWanted(process.stdout.isTTY === true, process.env),
    env: process.env,
  };
}

/** Collects what a command writes: for tests and for callers that want the text. */
export function memoryIo(color = false): CliIo & { stdout: () => string; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  return {
    out: (text) => void (stdout += text),
    err: (text) => void (stderr += text),
    color,
    stdout: () => stdout,
    stderr: () => stderr,
  };
}

const SGR = { bold: '1', red: '31', green: '32', yellow: '33', dim: '2' } as const;
export type Style = keyof typeof SGR;

/** `paint('red', text)` wraps text in ANSI codes when colour is on, and returns it unchanged otherwise. */
export function painter(color: boolean): (style: Style, text: string) => string {
  return (style, text) => (color ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text);
}

/** Bad input from the user (flags, files, dates): the message is printed as is, and the exit status is 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/**
 * An ISO 8601 date or date-time, UTC unless it carries an offset ("2024-01-15", "2024-01-15T10:00:00Z",
 * "2024-01-15T12:00+02:00"), as `parseIsoInstant` reads it. Impossible calendar dates (2024-02-30) are refused.
 * @throws InputError naming `what`.
 */
export function parseIsoDate(text: string, what: string): Date {
  const date = parseIsoInstant(text);
  if (!date)
    throw new InputError(
      `${what} "${text}" is not an ISO 8601 date (for example 2024-01-15 or 2024-01-15T10:00:00Z)`,
    );
  return date;
}

/** Why a file the user named cannot be used, in words: the usual errno codes, else Node's message. */
function fileErrorWhy(e: unknown, missing: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT'
    ? missing
    : code === 'EISDIR'
      ? 'it is a directory'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOTDIR'
          ? 'a part of the path is not a folder'
          : messageOf(e);
}

/** Reads a file the user named; a missing, unreadable or directory path is an InputError naming it. */
export async function readInputFile(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new InputError(`cannot read ${what} ${path}: ${fileErrorWhy(e, 'no such file')}`);
  }
}

/**
 * Checks that the command can append to a file the user named (a key log), before the work whose result goes in
 * it: opened for appending and closed again, which creates it empty when it does not exist yet (as OpenSSL's
 * -keylogfile does). A missing folder, a directory or a file it may not write is an InputError naming it.
 */
export async function checkAppendable(path: string, what: string): Promise<void> {
  try {
    await (await open(path, 'a')).close();
  } catch (e) {
    throw new InputError(
      `cannot append to ${what} ${path}: ${fileErrorWhy(e, `no such folder ${dirname(path)}`)}`,
    );
  }
}

/** The message of anything thrown, for the one line a command prints instead of a stack trace. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
