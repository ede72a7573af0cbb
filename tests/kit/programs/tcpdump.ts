/**
 * Real `tcpdump -i lo -U -w FILE 'tcp port P'` for the interop tests that capture a real connection. tcpdump must
 * be installed (scripts/system-deps.sh) and capturing on lo needs root (CI runs as root): when either is missing,
 * starting fails and says so (a test never skips).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { requireProgram } from './programs.ts';

export interface Capture {
  child: ChildProcess;
  stderr: () => string;
  stop: () => Promise<void>;
}

/** Starts tcpdump on lo for one port; resolves once it says it is listening. */
export async function tcpdump(file: string, port: number): Promise<Capture> {
  const bin = requireProgram('tcpdump', ['/usr/bin/tcpdump', '/usr/sbin/tcpdump']);
  const child = spawn(bin, ['-i', 'lo', '-U', '-w', file, `tcp port ${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (stderr.includes('listening on')) resolve();
      else if (child.exitCode !== null)
        reject(
          new Error(
            `tcpdump -i lo could not capture (it needs root; CI runs as root): exit ${child.exitCode}: ${stderr.trim()}`,
          ),
        );
      else setTimeout(check, 20);
    };
    check();
  });
  return {
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    },
  };
}

/** Polls `done` (up to 10 s, every 100 ms) while tcpdump -U writes the last packets of a connection. */
export async function waitForCapture(done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await done()); i++) await new Promise((r) => setTimeout(r, 100));
}
