/**
 * `tls-lab handshake --pcap` on a capture the reader had to skip parts of: each warning in the Handshake Lab's words
 * (packet number, file offset, reason: `describeWarning`), and a capture with no TLS in the lab's sentence
 * (`noTlsMessage`), so the CLI and the lab say the same of the same file (openFileBytes, what the lab's worker runs).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';
import { openFileBytes } from '../../../src/app/model/handshake/import.ts';

const dir = mkdtempSync(join(tmpdir(), 'tls-lab-pcap-warnings-'));

/** The offsets of a classic pcap file's packet records (24-byte file header, 16-byte record headers, little-endian). */
function recordOffsets(b: Uint8Array): number[] {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const offsets: number[] = [];
  for (let at = 24; at + 16 <= b.length; at += 16 + view.getUint32(at + 8, true)) offsets.push(at);
  return offsets;
}

/**
 * fixtures/pcap/tls12-lo.pcap (Ethernet) with an invalid IPv4 header length in packets 3 and 4 and its last 20
 * bytes cut off: three things for the reader to skip.
 */
function damaged(source: string, name: string): { path: string; bytes: Uint8Array } {
  const bytes = new Uint8Array(readFileSync(source));
  const offsets = recordOffsets(bytes);
  for (const i of [2, 3]) bytes[offsets[i]! + 16 + 14] = 0x41; // version 4, header length 1 word
  const cut = bytes.slice(0, bytes.length - 20);
  const path = join(dir, name);
  writeFileSync(path, cut);
  return { path, bytes: cut };
}

async function cli(...argv: string[]) {
  const io = memoryIo();
  const code = await main(['handshake', ...argv], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('what the capture reader skipped', () => {
  it('is listed warning by warning, in the lab’s words (was: "1 packet was skipped while reading the file.")', async () => {
    const { path, bytes } = damaged('fixtures/pcap/tls12-lo.pcap', 'damaged.pcap');
    const lab = openFileBytes(path, bytes);
    if (lab.kind !== 'capture') throw new Error(`the lab did not open it: ${JSON.stringify(lab)}`);
    expect(lab.warnings).toHaveLength(3);
    const r = await cli('--pcap', path);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    const at = lines.indexOf('The capture reader skipped 3 things in the file:');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 4)).toEqual(lab.warnings.map((w) => `  ${w}`));
    expect(lines[at + 1]).toBe(
      '  packet 18 (file offset 2724): packet data truncated: 46 of 66 bytes; the rest of the file is ignored',
    );
    expect(lines[at + 2]).toBe('  packet 3 (file offset 204): IPv4 header length 4 is invalid');
  });

  it('with --json, goes to stderr, one line each, so the JSON stays the capture JSON', async () => {
    const { path, bytes } = damaged('fixtures/pcap/tls12-lo.pcap', 'damaged-json.pcap');
    const lab = openFileBytes(path, bytes);
    if (lab.kind !== 'capture') throw new Error('the lab did not open it');
    const r = await cli('--pcap', path, '--json');
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.out)).not.toThrow();
    expect(r.err.trimEnd().split('\n')).toEqual(
      lab.warnings.map((w) => `tls-lab handshake: the capture reader skipped, in ${path}: ${w}`),
    );
  });

  it('a capture with no TLS: the lab’s sentence, with the first thing skipped (was: "holds no TLS connection (...)")', async () => {
    // tls12-lo.pcap's packets, all but the TCP handshake's three damaged: TCP without a TLS record in it.
    const bytes = new Uint8Array(readFileSync('fixtures/pcap/tls12-lo.pcap'));
    const offsets = recordOffsets(bytes);
    for (const at of offsets.slice(3)) bytes[at + 16 + 14] = 0x41;
    const path = join(dir, 'no-tls.pcap');
    writeFileSync(path, bytes);
    const lab = openFileBytes(path, bytes);
    if (lab.kind !== 'error') throw new Error('the lab found TLS in it');
    expect(lab.message).toMatch(/ The reader skipped or stopped at packet 4 \(file offset \d+\): /);
    const r = await cli('--pcap', path);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(`tls-lab handshake: ${lab.message}\n`);
  });
});
