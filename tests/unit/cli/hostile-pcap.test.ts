/**
 * Issue #18, the CLI: random truncations and mutations of the committed real captures (fixtures/pcap and The
 * Illustrated TLS 1.2 capture) through `tls-lab handshake --pcap` in-process always end in an answer: the report
 * (exit 0, 2 with a fatal alert in the capture, 4 when the key log does not open it), or exit 1 with one
 * "tls-lab handshake: ..." sentence (after the list of connections when there are several). Never an exception
 * out of the command (main's last guard would turn one into exit 2 without a report), never a stack trace.
 * fast-check, bounded runs.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';
import { checkBounded } from '../../kit/pure/property.ts';

const PCAP = 'fixtures/pcap';
const CAPTURES = [
  ...readdirSync(PCAP)
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .map((f) => join(PCAP, f)),
  'fixtures/tls12-vectors/illustrated-tls12/capture.pcap',
];
const KEY_LOGS = [
  ...readdirSync(PCAP)
    .filter((f) => f.endsWith('.keys.log'))
    .map((f) => join(PCAP, f)),
  'fixtures/tls12-vectors/illustrated-tls12/keylog.txt',
];
const BYTES = new Map(CAPTURES.map((f) => [f, new Uint8Array(readFileSync(f))]));

const dir = mkdtempSync(join(tmpdir(), 'tls-lab-hostile-pcap-'));
let counter = 0;
const STACK = /\n\s+at .+:\d+:\d+/;

/** The contract every run keeps. */
async function answers(argv: string[]): Promise<number> {
  const io = memoryIo();
  const code = await main(['handshake', ...argv], io);
  const out = io.stdout();
  const err = io.stderr();
  expect([0, 1, 2, 4]).toContain(code);
  expect(err).not.toMatch(STACK);
  expect(out).not.toMatch(STACK);
  const json = argv.includes('--json');
  if (code === 1) {
    expect(out === '' || /^.* holds \d+ TLS connections:\n/.test(out), out).toBe(true);
    expect(err).toMatch(/^tls-lab handshake: \S[^\n]*\n$/);
  } else if (json) {
    expect(Array.isArray((JSON.parse(out) as { eventLog: unknown }).eventLog)).toBe(true);
  } else {
    // Exit 2: a failed handshake, or a fatal alert that ended a completed one (tls13-pha-lo.pcap's client).
    expect(out).toMatch(
      code === 2
        ? /^HANDSHAKE (FAILED: |COMPLETE: .*; then the (client|server) sent fatal alert )/
        : /^HANDSHAKE [A-Z]+/,
    );
  }
  // A warning (a Decryption Secrets Block whose key log is unreadable) may come first, on its own line.
  if (code === 2)
    expect(err).toMatch(
      /^tls-lab handshake: the capture shows (a failed handshake|a fatal alert after the handshake completed): /m,
    );
  if (code === 4) expect(err).toMatch(/^tls-lab handshake: the key log does not open this connection: /m);
  expect(
    err.split('\n').every((l) => l === '' || l.startsWith('tls-lab handshake: ')),
    err,
  ).toBe(true);
  return code;
}

const mutation = fc.record({
  file: fc.constantFrom(...CAPTURES),
  /** Keep this fraction of the file (1 = all of it). */
  keep: fc.oneof(
    { weight: 2, arbitrary: fc.constant(1) },
    { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  ),
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 6 }),
  /** Bytes written over a run of the file (a garbage block, a bad length). */
  splice: fc.option(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 12 })), { nil: undefined }),
  keyLog: fc.option(fc.constantFrom(...KEY_LOGS), { nil: undefined }),
  stream: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined, freq: 2 }),
  json: fc.boolean(),
});

describe('mutated and truncated real captures through tls-lab handshake --pcap', () => {
  it('always end in a report or one sentence with an exit status', async () => {
    const codes = new Map<number, number>();
    await checkBounded(
      'cli --pcap mutations',
      fc.asyncProperty(mutation, async ({ file, keep, flips, splice, keyLog, stream, json }) => {
        const source = BYTES.get(file)!;
        const bytes = source.slice(0, Math.round(source.length * keep));
        for (const [at, x] of flips) if (bytes.length > 0) bytes[at % bytes.length]! ^= x;
        if (splice && bytes.length > 0)
          bytes.set(splice[1].subarray(0, bytes.length), splice[0] % bytes.length);
        const path = join(dir, `capture-${counter++}`);
        writeFileSync(path, bytes.subarray(0, bytes.length));
        const argv = [
          '--pcap',
          path,
          ...(keyLog ? ['--keylog', keyLog] : []),
          ...(stream ? ['--stream', String(stream)] : []),
          ...(json ? ['--json'] : []),
        ];
        const code = await answers(argv);
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }),
      { numRuns: 300, timeLimitMs: 30_000 },
    );
    // The runs reached past the file reader: some opened a connection and reported it.
    console.log(`cli --pcap mutations, runs by exit status: ${JSON.stringify(Object.fromEntries(codes))}`);
    expect([...codes.keys()].some((c) => c !== 1)).toBe(true);
  });
});
