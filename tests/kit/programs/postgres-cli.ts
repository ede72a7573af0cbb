/**
 * A throwaway PostgreSQL 15 with ssl=on on 127.0.0.1 for the CLI tests: initdb + pg_ctl, run as the
 * `postgres` OS user when we are root (PostgreSQL refuses to run as root), in a temp dir it can read.
 * pg_hba: alice -> trust over TLS, bob -> scram-sha-256 over TLS, anyone else -> no entry.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './openssl-cli.ts';
import { requireProgram } from './programs.ts';

const BIN = '/usr/lib/postgresql/15/bin';

export interface Postgres {
  port: number;
  dir: string;
  stop: () => void;
  log: () => string;
}

function asPostgres(cmd: string, args: string[]): string {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** `settings`: more postgresql.conf lines (e.g. `log_connections = on`, whose log line names the TLS protocol). */
export async function startPostgres(
  certPem: string,
  keyPem: string,
  settings: string[] = [],
): Promise<Postgres> {
  const initdb = requireProgram('initdb', [`${BIN}/initdb`]);
  const pgCtl = requireProgram('pg_ctl', [`${BIN}/pg_ctl`]);
  const psql = requireProgram('psql', [`${BIN}/psql`, '/usr/bin/psql']);
  const dir = mkdtempSync(join(tmpdir(), 'tls-lab-pg-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  let uid: number | undefined;
  let gid: number | undefined;
  if (process.getuid?.() === 0) {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  asPostgres(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  writeFileSync(cert, certPem);
  writeFileSync(key, keyPem, { mode: 0o600 });
  if (uid !== undefined && gid !== undefined) {
    chownSync(cert, uid, gid);
    chownSync(key, uid, gid);
  }
  writeFileSync(
    join(data, 'pg_hba.conf'),
    [
      'local   all  postgres               trust',
      'hostssl all  alice     127.0.0.1/32 trust',
      'hostssl all  bob       127.0.0.1/32 scram-sha-256',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(data, 'postgresql.auto.conf'),
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      'ssl = on',
      `ssl_cert_file = '${cert}'`,
      `ssl_key_file = '${key}'`,
      "password_encryption = 'scram-sha-256'",
      'fsync = off',
      ...settings,
      '',
    ].join('\n'),
  );
  if (uid !== undefined && gid !== undefined) {
    chownSync(join(data, 'pg_hba.conf'), uid, gid);
    chownSync(join(data, 'postgresql.auto.conf'), uid, gid);
  }
  const logFile = join(dir, 'postgres.log');
  asPostgres(pgCtl, ['-D', data, '-l', logFile, '-w', '-t', '60', 'start']);
  asPostgres(psql, [
    '-h',
    dir,
    '-p',
    String(port),
    '-U',
    'postgres',
    '-d',
    'postgres',
    '-v',
    'ON_ERROR_STOP=1',
    '-c',
    "CREATE ROLE alice LOGIN; CREATE ROLE bob LOGIN PASSWORD 'not-sent-by-the-test';",
  ]);
  return {
    port,
    dir,
    log: () => {
      try {
        return execFileSync('cat', [logFile], { encoding: 'utf8' });
      } catch {
        return '';
      }
    },
    stop: () => {
      try {
        asPostgres(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
    },
  };
}
