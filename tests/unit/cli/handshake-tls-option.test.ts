/**
 * `tls-lab handshake --tls`: bad values and combinations are one sentence on stderr, exit 1 (the command's usage
 * error), never a stack trace; no socket is opened (the checks run before connecting). --tls with --suites:
 * handshake-suites.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';

async function usageError(args: string[]): Promise<string> {
  const io = memoryIo();
  expect(await main(['handshake', ...args], io)).toBe(1);
  expect(io.stderr()).not.toMatch(/at .+\.(ts|js|mjs):\d+/);
  return io.stderr().split('\n')[0]!;
}

describe('tls-lab handshake --tls', () => {
  it('accepts 1.2 or 1.3 only', async () => {
    expect(await usageError(['--connect', '127.0.0.1:1', '--tls', '1.4'])).toBe(
      'tls-lab handshake: --tls must be 1.2 or 1.3, got "1.4"',
    );
  });
  it('is for a live connection, not --pcap', async () => {
    expect(await usageError(['--pcap', 'x.pcap', '--tls', '1.3'])).toBe(
      'tls-lab handshake: --pcap reads a capture file; --tls is for a live connection',
    );
  });
  it('the usage names it', async () => {
    const io = memoryIo();
    expect(await main(['handshake', '--help'], io)).toBe(0);
    expect(io.stdout()).toMatch(/^ {2}--tls 1\.2\|1\.3 +offer only this TLS version/m);
  });
});
