/**
 * The real pgJDBC for the sslmode oracle: Debian's libpostgresql-jdbc-java (/usr/share/java/postgresql.jar,
 * installed by scripts/system-deps.sh) run by the JDK through scripts/pgjdbc/ConnectShim.java, compiled once into
 * .tmp/. One JVM serves a whole batch of connections (a JVM start per connection would cost seconds each).
 * Fails (throws) when java, javac or the jar are missing: an oracle never silently skips.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ObservedConnection } from './postgres-oracle.ts';
import { ROOT } from './python-venv.ts';

export const PGJDBC_JAR = '/usr/share/java/postgresql.jar';
const SHIM = join(ROOT, 'scripts/pgjdbc/ConnectShim.java');
const CLASSES = join(ROOT, '.tmp/pgjdbc-shim');

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(
      `pgJDBC oracle: ${cmd} ${args.join(' ')} failed:\n${err.stderr || err.message}\n` +
        "It needs a JDK (java, javac) and Debian's libpostgresql-jdbc-java (scripts/system-deps.sh installs both).",
    );
  }
}

export interface PgjdbcProgram {
  /** The driver's and the JVM's versions, as the shim prints them. */
  readonly versions: { pgjdbc: string; java: string };
  /** Connects once per cell, in order, each with its own user.home (for ~/.postgresql). */
  connect(
    cells: readonly { home: string; url: string }[],
  ): Promise<(ObservedConnection & { type?: string })[]>;
}

/** Compiles the shim (once per checkout) and checks the driver is there. */
export function pgjdbcProgram(): PgjdbcProgram {
  if (!existsSync(PGJDBC_JAR))
    throw new Error(
      `pgJDBC oracle: ${PGJDBC_JAR} is missing (apt-get install libpostgresql-jdbc-java; scripts/system-deps.sh does it)`,
    );
  mkdirSync(CLASSES, { recursive: true });
  run('javac', ['-cp', PGJDBC_JAR, '-d', CLASSES, SHIM]);
  const classpath = `${CLASSES}:${PGJDBC_JAR}`;
  const versions = JSON.parse(
    run('java', ['-cp', classpath, 'ConnectShim', '--versions']),
  ) as PgjdbcProgram['versions'];
  return {
    versions,
    connect: (cells) =>
      new Promise((resolve, reject) => {
        // No PG* variables and a fixed locale, so the driver's texts are its English ones.
        const child = spawn(
          'java',
          ['-Duser.language=en', '-Duser.country=US', '-cp', classpath, 'ConnectShim'],
          {
            env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
            stdio: ['pipe', 'pipe', 'pipe'],
          },
        );
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
        child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
        child.on('error', reject);
        child.on('close', (code) => {
          const lines = out.split('\n').filter(Boolean);
          if (code !== 0 || lines.length !== cells.length)
            return reject(
              new Error(
                `pgJDBC oracle: the shim exited ${code} after ${lines.length} of ${cells.length} connections:\n${err}`,
              ),
            );
          resolve(lines.map((l) => JSON.parse(l) as ObservedConnection & { type?: string }));
        });
        child.stdin.end(cells.map((c) => `${c.home}\t${c.url}\n`).join(''));
      }),
  };
}
