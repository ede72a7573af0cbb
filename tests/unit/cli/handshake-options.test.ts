/**
 * `tls-lab handshake` options checked before anything connects: each bad value is one sentence on stderr naming
 * the option, what it must be and what was given, exit 1 (the command's usage and connection error), no stack trace.
 */
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';

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
