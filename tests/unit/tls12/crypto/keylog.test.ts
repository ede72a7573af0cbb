/** NSS key log format, checked against the Illustrated TLS 1.2 capture's keylog.txt. */
import { describe, expect, it } from 'vitest';
import {
  KeyLogParseError,
  conflictingLines,
  findMasterSecret,
  keyLogLine,
  formatKeyLogLine,
  parseKeyLog,
  toHex,
} from '../../../../src/lib/tls12/crypto/index.ts';
import { hexValue, keylogText, values } from './illustrated-fixture.ts';

describe('NSS key log', () => {
  it('formats the line of the Illustrated capture exactly as its keylog.txt', () => {
    const line = formatKeyLogLine(hexValue('client_random'), hexValue('master_secret'));
    expect(keylogText().split(/\r?\n/)).toContain(line);
  });

  it('parses keylog.txt and finds the master secret by client random', () => {
    const entries = parseKeyLog(keylogText());
    expect(entries).toHaveLength(1);
    expect(entries[0]!.label).toBe('CLIENT_RANDOM');
    expect(toHex(findMasterSecret(entries, hexValue('client_random'))!)).toBe(values.master_secret);
    expect(findMasterSecret(entries, new Uint8Array(32))).toBeUndefined();
  });

  it('uses the last line for a label and client random, as Wireshark, and names the others with another secret', () => {
    const random = new Uint8Array(32).fill(0x11);
    const other = new Uint8Array(32).fill(0x22);
    const line = (label: string, r: Uint8Array, fill: number, size = 48) =>
      `${label} ${toHex(r)} ${toHex(new Uint8Array(size).fill(fill))}`;
    const entries = parseKeyLog(
      [
        line('CLIENT_RANDOM', random, 1),
        line('CLIENT_RANDOM', other, 2),
        line('CLIENT_RANDOM', random, 3),
        line('CLIENT_RANDOM', random, 3),
        line('CLIENT_HANDSHAKE_TRAFFIC_SECRET', random, 4, 32),
      ].join('\n'),
    ).map((e) => (e.line === 1 ? { ...e, source: 'dsb' } : e));
    const used = keyLogLine(entries, 'CLIENT_RANDOM', random)!;
    expect(used.line).toBe(4);
    expect(toHex(findMasterSecret(entries, random)!)).toBe('03'.repeat(48));
    expect(keyLogLine(entries, 'CLIENT_RANDOM', other)!.line).toBe(2);
    expect(keyLogLine(entries, 'CLIENT_HANDSHAKE_TRAFFIC_SECRET', other)).toBeUndefined();
    expect(keyLogLine(undefined, 'CLIENT_RANDOM', random)).toBeUndefined();
    // Line 3 repeats line 4's secret: no conflict; line 1 (from another source) has another secret.
    expect(conflictingLines(entries, [used])).toEqual([{ label: 'CLIENT_RANDOM', line: 1, source: 'dsb' }]);
    expect(conflictingLines(entries, [keyLogLine(entries, 'CLIENT_RANDOM', other)!])).toEqual([]);
  });

  it("round-trips, skips comments and blank lines, reads OpenSSL's RSA lines and keeps TLS 1.3 labels", () => {
    const r = new Uint8Array(32).fill(0xab);
    const text = `# comment\n\n${formatKeyLogLine(r, new Uint8Array(48).fill(1))}\r\nCLIENT_TRAFFIC_SECRET_0 ${'cd'.repeat(32)} ${'ef'.repeat(32)}\nRSA ${'12'.repeat(8)} ${'03'.repeat(48)}\n`;
    const entries = parseKeyLog(text);
    expect(entries.map((e) => [e.label, e.line, e.secret.length])).toEqual([
      ['CLIENT_RANDOM', 3, 48],
      ['CLIENT_TRAFFIC_SECRET_0', 4, 32],
      ['RSA', 5, 48],
    ]);
    expect(entries.map((e) => e.identifier.length)).toEqual([32, 32, 8]);
  });

  it('rejects malformed lines with the line number and the reason', () => {
    expect(() => parseKeyLog('CLIENT_RANDOM 00')).toThrow(
      new KeyLogParseError(1, 'expected "<label> <client_random> <secret>", got 2 fields'),
    );
    expect(() => parseKeyLog(`\nCLIENT_RANDOM ${'00'.repeat(31)} ${'00'.repeat(48)}`)).toThrow(
      'key log line 2: client_random must be 32 bytes, got 31',
    );
    expect(() => parseKeyLog(`CLIENT_RANDOM ${'00'.repeat(32)} ${'00'.repeat(47)}`)).toThrow(
      'secret must be 48 bytes, got 47',
    );
    expect(() => parseKeyLog(`CLIENT_RANDOM ${'zz'.repeat(32)} ${'00'.repeat(48)}`)).toThrow(
      'client_random is not hex',
    );
    expect(() => formatKeyLogLine(new Uint8Array(31), new Uint8Array(48))).toThrow(RangeError);
  });
});
