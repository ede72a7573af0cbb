/**
 * `tls-lab handshake` options checked before anything connects: each bad value is one sentence on stderr naming
 * the option, what it must be and what was given, exit 1 (the command's usage and connection error), no stack trace.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanPem } from '../../../src/lib/bytes/pem.ts';
import { memoryIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';
import { pcapOutNote } from '../../../src/cli/handshake.ts';

async function handshake(args: string[]) {
  const io = memoryIo();
  const code = await main(['handshake', ...args], io);
  expect(io.stderr()).not.toMatch(/\n\s+at .+:\d+:\d+/);
  return { code, out: io.stdout(), err: io.stderr(), first: io.stderr().split('\n')[0] };
}

describe('--timeout', () => {
  it.each(['abc', '0', '-5', '1.5', '1e3', '', '2147483648'])(
    '"%s" is refused before connecting (was: "timed out after NaN ms")',
    async (value) => {
      const r = await handshake(['--connect', '127.0.0.1:1', `--timeout=${value}`]);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.first).toBe(
        `tls-lab handshake: --timeout must be a whole number of milliseconds from 1 to 2147483647, got "${value}"`,
      );
    },
  );
});

describe('--connect', () => {
  it.each(['99999', '0', '65536'])(
    'port %s: names --connect and the valid range (was: Node’s RangeError text)',
    async (port) => {
      const r = await handshake(['--connect', `127.0.0.1:${port}`]);
      expect(r.code).toBe(1);
      expect(r.first).toBe(
        `tls-lab handshake: --connect HOST:PORT needs a port from 1 to 65535, got ${port} in "127.0.0.1:${port}"`,
      );
    },
  );
});

describe('--ca and --keylog are checked before connecting, naming the option and the path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-lab-handshake-files-'));
  const write = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const ROOT = readFileSync(
    fileURLToPath(
      new URL('../../../fixtures/public-ca/azure/root_microsoft-rsa-root-ca-2017.pem', import.meta.url),
    ),
    'utf8',
  );
  // The root's DER cut to 100 bytes: a PEM block that decodes, holding no certificate.
  const [rootBlock] = scanPem(ROOT).blocks;
  const rootDer = rootBlock?.result.ok ? rootBlock.result.der : new Uint8Array();
  const cut = `-----BEGIN CERTIFICATE-----\n${Buffer.from(rootDer.subarray(0, 100)).toString('base64')}\n-----END CERTIFICATE-----\n`;

  // Port 1 on the loopback: were anything to connect first, the error would be "cannot connect to 127.0.0.1:1".
  const live = (...extra: string[]) => handshake(['--connect', '127.0.0.1:1', ...extra]);

  it.each([
    [
      'a missing --ca file',
      () => ['--ca', join(dir, 'missing.pem')],
      (p: string[]) => `cannot read --ca file ${p[1]}: no such file`,
    ],
    [
      'a directory as --ca',
      () => ['--ca', dir],
      (p: string[]) => `cannot read --ca file ${p[1]}: it is a directory`,
    ],
    [
      'a --ca file with no certificate',
      () => ['--ca', write('no-cert.pem', 'just text\n')],
      (p: string[]) => `--ca ${p[1]}: no PEM CERTIFICATE block in it`,
    ],
    [
      'a --ca file whose PEM does not decode',
      () => ['--ca', write('bad-pem.pem', '-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----\n')],
      (p: string[]) =>
        `--ca ${p[1]}: PEM line 1: the "CERTIFICATE" block: base64 is invalid at line 2: character "%" is not base64`,
    ],
    [
      'a --ca file whose certificate does not parse',
      () => ['--ca', write('cut.pem', `${ROOT}${cut}`)],
      (p: string[]) =>
        `--ca ${p[1]}: certificate 2 of 2 is not a certificate: bytes 0-99: DER length 1448 runs past the end of the input (96 bytes available)`,
    ],
    [
      'a --keylog in a missing folder',
      () => ['--keylog', join(dir, 'nope', 'k.log')],
      (p: string[]) => `cannot append to --keylog file ${p[1]}: no such folder ${join(dir, 'nope')}`,
    ],
    [
      'a directory as --keylog',
      () => ['--keylog', dir],
      (p: string[]) => `cannot append to --keylog file ${p[1]}: it is a directory`,
    ],
    [
      'a --pcap-out in a missing folder',
      () => ['--pcap-out', join(dir, 'nope', 'c.pcapng')],
      (p: string[]) => `cannot append to --pcap-out file ${p[1]}: no such folder ${join(dir, 'nope')}`,
    ],
  ])('%s (was: a raw Node error, after connecting)', async (_what, args, message) => {
    const extra = args();
    const r = await live(...extra);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.first).toBe(`tls-lab handshake: ${message(extra)}`);
  });

  it('a --pcap-out the failed run never wrote is not left behind empty; one that was there stays', async () => {
    const fresh = join(dir, 'fresh.pcapng');
    const r = await live('--pcap-out', fresh);
    expect(r.code).toBe(1);
    expect(r.first).toMatch(/^tls-lab handshake: cannot connect to 127\.0\.0\.1:1/);
    expect(existsSync(fresh)).toBe(false);
    const kept = join(dir, 'kept.pcapng');
    writeFileSync(kept, '');
    await live('--pcap-out', kept);
    expect(existsSync(kept)).toBe(true);
  });
});

describe('--pcap-out on port 5432', () => {
  it("names Wireshark's Decode As for TLS without an SSLRequest (direct or plain), and nothing otherwise", () => {
    const note = pcapOutNote({ pcapOut: 'd.pcapng' }, 5432);
    expect(note).toMatch(/^d\.pcapng: Wireshark 4\.0 reads port 5432 .* \(tshark -d tcp\.port==5432,tls\)$/);
    expect(pcapOutNote({ pcapOut: 'd.pcapng' }, 6432)).toBeUndefined();
    expect(pcapOutNote({ pcapOut: 'd.pcapng', starttls: 'postgres' }, 5432)).toBeUndefined();
  });
});
