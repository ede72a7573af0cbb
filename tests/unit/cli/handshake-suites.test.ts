/**
 * `tls-lab handshake --suites`: the ClientHello our client sends offers exactly the suites listed, and only the
 * versions they belong to. Read in memory: the options as the CLI parses them, the engine the CLI opens on an
 * in-memory stream (no socket), and the first record it writes decoded as a ClientHello.
 */
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';
import { openEngine, parseOptions } from '../../../src/cli/handshake.ts';
import { acceptAnyCertificate } from '../../../src/lib/tls12/index.ts';
import { decodeClientHello13 } from '../../../src/lib/tls13/wire/client-hello.ts';
import { memoryDuplexPair } from '../../kit/pure/memory-duplex.ts';

const TLS12 = 0x0303;
const TLS13 = 0x0304;

/** The cipher suites and versions of the ClientHello the CLI's client sends for these options. */
async function offered(...args: string[]): Promise<{ suites: number[]; versions: number[] }> {
  const o = parseOptions(['--connect', 'db.example.test:5432', ...args]);
  if ('pcap' in o) throw new Error('not a live connection');
  const [ours, peer] = memoryDuplexPair();
  const first = new Promise<Uint8Array>((resolve) =>
    peer.once('data', (c: Buffer) => resolve(new Uint8Array(c))),
  );
  openEngine(ours, o, acceptAnyCertificate, undefined);
  const record = await first;
  ours.destroy();
  peer.destroy();
  expect(record[0]).toBe(22); // a handshake record
  const hello = decodeClientHello13(record.subarray(5)).message;
  const sv = hello.extensions.find((e) => e.kind === 'supported_versions');
  // No supported_versions extension: the legacy version field is the only one offered (RFC 8446 §4.2.1).
  return {
    suites: hello.cipherSuites,
    versions: sv && 'versions' in sv ? sv.versions : [hello.legacyVersion],
  };
}

describe('--suites: the offer is exactly the suites listed', () => {
  it('only TLS 1.2 suites: TLS 1.2 only, those suites only (was: 1301,1302,1303,c02f and TLS 1.3 offered)', async () => {
    expect(await offered('--suites', '0xc02f')).toEqual({ suites: [0xc02f], versions: [TLS12] });
    expect(await offered('--suites', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,0xc02f')).toEqual({
      suites: [0xc030, 0xc02f],
      versions: [TLS12],
    });
  });

  it('only TLS 1.3 suites: TLS 1.3 only, those suites only (was: TLS 1.2 and its default suites too)', async () => {
    expect(await offered('--suites', '0x1301')).toEqual({ suites: [0x1301], versions: [TLS13] });
  });

  it('both: both versions, the listed suites of each', async () => {
    expect(await offered('--suites', '0xc02f,0x1302')).toEqual({
      suites: [0x1302, 0xc02f],
      versions: [TLS13, TLS12],
    });
  });

  it('with --tls of the same version: as listed', async () => {
    expect(await offered('--tls', '1.2', '--suites', '0xc02f')).toEqual({
      suites: [0xc02f],
      versions: [TLS12],
    });
    expect(await offered('--tls', '1.3', '--suites', '0x1303')).toEqual({
      suites: [0x1303],
      versions: [TLS13],
    });
  });

  it('without --suites: both versions, the defaults (unchanged)', async () => {
    const o = await offered();
    expect(o.versions).toEqual([TLS13, TLS12]);
    expect(o.suites).toEqual(expect.arrayContaining([0x1301, 0x1302, 0x1303, 0xc02f]));
  });
});

describe('--suites that contradict --tls are a usage error naming both', () => {
  async function usageError(args: string[]): Promise<string> {
    const io = memoryIo();
    expect(await main(['handshake', '--connect', '127.0.0.1:1', ...args], io)).toBe(1);
    return io.stderr().split('\n')[0]!;
  }
  it.each([
    [
      ['--tls', '1.3', '--suites', '0xc02f'],
      '--tls 1.3 offers TLS 1.3 only, but --suites lists TLS 1.2 suites (0xc02f): list only TLS 1.3 suites (0x1301, 0x1302, 0x1303), or leave out --tls',
    ],
    [
      ['--tls', '1.2', '--suites', '0x1301,0xc02f'],
      '--tls 1.2 offers TLS 1.2 only, but --suites lists TLS 1.3 suites (0x1301): list only TLS 1.2 suites (0xc02f, ...), or leave out --tls',
    ],
  ])('%j', async (args, message) => {
    expect(await usageError(args)).toBe(`tls-lab handshake: ${message}`);
  });

  it('a suite the engines do not implement is refused before connecting (it was offered, and the server choosing it was told we had not)', async () => {
    const cases: [arg: string, name: string][] = [
      ['TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_SHA256 (0x1304)'],
      ['0x009e', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 (0x009e)'],
    ];
    for (const [arg, name] of cases)
      expect(await usageError(['--suites', `0xc02f,${arg}`])).toMatch(
        new RegExp(
          `^tls-lab handshake: --suites: ${name.replace(/[()]/g, '\\$&')} is not one TLS Lab's client implements, .*; list only suites it implements: TLS 1\\.3 0x1301, 0x1302, 0x1303; TLS 1\\.2 0xc02f, `,
        ),
      );
  });

  it('--help says what --suites offers', async () => {
    const io = memoryIo();
    await main(['handshake', '--help'], io);
    expect(io.stdout()).toContain('exactly the suites listed');
  });
});
