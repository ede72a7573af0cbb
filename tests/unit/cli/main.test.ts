/** `tls-lab` itself (src/cli/main.ts): help, unknown commands, and the exit status of each. */
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';

describe('tls-lab', () => {
  it('--help lists the commands and exits 0', async () => {
    const io = memoryIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.stdout()).toMatch(/^Usage: tls-lab <command> \[options\]\n/);
    for (const name of ['handshake', 'chain', 'sslmode'])
      expect(io.stdout()).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });
  it('no command is a usage error: the help on stdout, exit 2', async () => {
    const io = memoryIo();
    expect(await main([], io)).toBe(2);
    expect(io.stdout()).toContain('Commands:');
  });
  it('an unknown command (even an Object.prototype name) exits 2 naming it', async () => {
    for (const name of ['frobnicate', 'constructor', '__proto__']) {
      const io = memoryIo();
      expect(await main([name], io)).toBe(2);
      expect(io.stderr()).toMatch(new RegExp(`^tls-lab: unknown command "${name}"\\n`));
    }
  });
  it('each command’s --help is its usage, with its exit status', async () => {
    for (const name of ['chain', 'sslmode', 'handshake']) {
      const io = memoryIo();
      expect(await main([name, '--help'], io)).toBe(0);
      expect(io.stdout()).toMatch(/Exit status: 0 /);
    }
  });
});
