/**
 * Real tshark reading a capture file with nothing but what the file holds: an empty Wireshark profile (its own
 * HOME and config folders), so no key log preference of the machine's user can decrypt anything.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireProgram } from './programs.ts';

/** `tshark -n -r FILE ...args` with an empty profile; returns its standard output. */
export function tsharkWithNoSettings(): (file: string, ...args: string[]) => string {
  const tshark = requireProgram('tshark');
  const dir = mkdtempSync(join(tmpdir(), 'tls-lab-tshark-'));
  const env = {
    ...process.env,
    HOME: dir,
    WIRESHARK_CONFIG_DIR: join(dir, 'wireshark'),
    XDG_CONFIG_HOME: dir,
  };
  return (file, ...args) =>
    execFileSync(tshark, ['-n', '-r', file, ...args], {
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
}

/** One field of the frames a display filter selects (`tshark -Y FILTER -T fields -e FIELD`), a line per frame. */
export function tsharkField(
  tshark: (file: string, ...args: string[]) => string,
  file: string,
  filter: string,
  field: string,
): string[] {
  return tshark(file, '-Y', filter, '-T', 'fields', '-e', field).trim().split('\n');
}
