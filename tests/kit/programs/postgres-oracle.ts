/**
 * A throw-away PostgreSQL for the sslmode oracle: initdb into a temp dir, listen on 127.0.0.1 ONLY on a free
 * port, Unix socket inside the temp dir, run as the `postgres` OS user when we are root. Server TLS setups
 * are switched with `pg_ctl reload`. psql is run with a controlled HOME and environment so nothing from the
 * machine (~/.pgpass, PG* variables, ~/.postgresql) leaks in.
 *
 * Fails (throws) when the PostgreSQL binaries are missing: the oracle must never silently skip.
 */
import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOutcome, ServerSpec } from '../../../src/lib/sslmode/types.ts';

export interface PgBinaries {
  readonly bin: string;
  readonly major: number;
  readonly psqlVersion: string;
}

export function findPostgres(): PgBinaries {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter(
          (v) => existsSync(join(root, v, 'bin', 'postgres')) && existsSync(join(root, v, 'bin', 'psql')),
        )
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const v = versions[0];
  if (!v) {
    throw new Error(
      'PostgreSQL server binaries not found under /usr/lib/postgresql/<ver>/bin (need postgres, initdb, pg_ctl, psql). ' +
        'Install them: apt-get install postgresql (scripts/system-deps.sh does this before npm test).',
    );
  }
  const bin = join(root, v, 'bin');
  const psqlVersion = execFileSync(join(bin, 'psql'), ['--version'], { encoding: 'utf8' }).trim();
  return { bin, major: Number(v), psqlVersion };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServerTls {
  readonly name: string;
  readonly ssl: boolean;
  readonly chainPem?: string;
  readonly keyPem?: string;
  readonly minProtocol?: string;
  readonly maxProtocol?: string;
  /** ssl_ca_file: the CAs the server trusts for client certificates (the server then sends CertificateRequest). */
  readonly caPem?: string;
}

/** What an oracle compares of one connection: the real client's, and the engine's prediction of it. */
export interface ObservedConnection {
  connected: boolean;
  encrypted: boolean;
  protocol?: string;
  error?: string;
}

/** The engine's prediction as an oracle compares it. */
export function predictedConnection(out: ConnectionOutcome): ObservedConnection {
  return {
    connected: out.connected,
    encrypted: out.encrypted,
    ...(out.protocol ? { protocol: out.protocol } : {}),
    ...(out.error !== undefined ? { error: out.error } : {}),
  };
}

/** The engine's ServerSpec of an oracle server configured with `tls`, its pg_hba lines and its users. */
export function oracleServerSpec(
  tls: ServerTls,
  server: { hba: readonly string[]; users: Readonly<Record<string, string | null>>; port: number },
): ServerSpec {
  return {
    ssl: tls.ssl,
    ...(tls.chainPem ? { certificateChain: tls.chainPem } : {}),
    ...(tls.caPem ? { caFile: tls.caPem } : {}),
    ...(tls.minProtocol ? { minProtocol: tls.minProtocol } : {}),
    ...(tls.maxProtocol ? { maxProtocol: tls.maxProtocol } : {}),
    hba: server.hba,
    users: server.users,
    listen: ['127.0.0.1'],
    port: server.port,
    // The real server's version: what it accepts (direct TLS from 17) and how it words its errors depend on it.
    majorVersion: findPostgres().major,
  };
}

/**
 * The client program the oracle runs in psql's place: it takes psql's arguments (`-X -w -At -c SQL CONNINFO`) and
 * prints `psql: error: ` + PQerrorMessage as psql does (scripts/libpq18/psql-shim.py over another libpq).
 */
export interface PsqlProgram {
  readonly command: string;
  /** Arguments before psql's own (the shim's path). */
  readonly args: readonly string[];
  /** Extra environment (SSL_CERT_FILE for sslrootcert=system). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface PsqlResult {
  readonly connected: boolean;
  readonly encrypted: boolean;
  readonly protocol?: string;
  /** stderr with the `psql: error: ` prefix and the final newline removed. */
  readonly error?: string;
  readonly stderr: string;
}

/**
 * psql's whole environment: PATH, the given HOME (whose ~/.postgresql is the only one libpq reads), no password
 * file, a connect timeout and the C locale (untranslated messages); no PG* variable from the machine.
 */
export function psqlEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    PGCONNECT_TIMEOUT: '10',
    PGPASSFILE: join(home, 'no-such-pgpass'),
    LANG: 'C',
    LC_ALL: 'C',
  };
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export class PgOracleServer {
  readonly port: number;
  readonly dir: string;
  readonly data: string;
  readonly socketDir: string;
  readonly bins: PgBinaries;
  private readonly homes = new Map<string, string>();
  private readonly clientFiles = new Map<string, string>();
  private homeCounter = 0;

  private constructor(bins: PgBinaries, dir: string, port: number) {
    this.bins = bins;
    this.dir = dir;
    this.port = port;
    this.data = join(dir, 'data');
    this.socketDir = join(dir, 'sock');
  }

  private run(cmd: string, args: string[]): string {
    const full = isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    return execFileSync(full[0] as string, full[1] as string[], {
      encoding: 'utf8',
      cwd: this.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  private own(path: string): void {
    if (isRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(path, uid, gid);
    }
  }

  /** initdb, start on 127.0.0.1:<free port>, create the oracle's roles, install pg_hba lines. */
  static async start(hba: readonly string[], roles: string): Promise<PgOracleServer> {
    const bins = findPostgres();
    const dir = mkdtempSync(join(tmpdir(), 'tls-lab-pg-'));
    chmodSync(dir, 0o755);
    // PG_ORACLE_PORT: a fixed port (a range set aside for one run on a shared machine).
    const fixed = Number(process.env.PG_ORACLE_PORT ?? 0);
    const server = new PgOracleServer(bins, dir, fixed > 0 ? fixed : await freePort());
    server.own(dir);
    mkdirSync(server.socketDir);
    server.own(server.socketDir);
    server.run(join(bins.bin, 'initdb'), [
      '-D',
      server.data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    server.writeConf({ name: 'initial', ssl: false });
    server.writeHba(hba);
    server.run(join(bins.bin, 'pg_ctl'), [
      '-D',
      server.data,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
    server.admin(roles);
    return server;
  }

  private writeHba(hba: readonly string[]): void {
    const path = join(this.data, 'pg_hba.conf');
    writeFileSync(path, ['local all postgres trust', ...hba, ''].join('\n'));
    this.own(path);
  }

  private writeConf(tls: ServerTls): void {
    const conf = [
      "listen_addresses = '127.0.0.1'",
      `port = ${this.port}`,
      `unix_socket_directories = '${this.socketDir}'`,
      'fsync = off',
      `ssl = ${tls.ssl ? 'on' : 'off'}`,
      `tlslab.setup = '${tls.name}'`,
    ];
    if (tls.chainPem && tls.keyPem) {
      const crt = join(this.data, 'server.crt');
      const key = join(this.data, 'server.key');
      writeFileSync(crt, tls.chainPem);
      writeFileSync(key, tls.keyPem, { mode: 0o600 });
      chmodSync(key, 0o600);
      this.own(crt);
      this.own(key);
      conf.push("ssl_cert_file = 'server.crt'", "ssl_key_file = 'server.key'");
    }
    if (tls.caPem) {
      const ca = join(this.data, 'client-ca.crt');
      writeFileSync(ca, tls.caPem);
      this.own(ca);
      conf.push("ssl_ca_file = 'client-ca.crt'");
    }
    conf.push(`ssl_min_protocol_version = '${tls.minProtocol ?? 'TLSv1.2'}'`);
    conf.push(`ssl_max_protocol_version = '${tls.maxProtocol ?? ''}'`);
    const path = join(this.data, 'postgresql.auto.conf');
    writeFileSync(path, conf.join('\n') + '\n');
    this.own(path);
  }

  /** Runs SQL as the superuser over the Unix socket. */
  admin(sql: string): string {
    return this.run(join(this.bins.bin, 'psql'), [
      '-X',
      '-At',
      '-h',
      this.socketDir,
      '-p',
      String(this.port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-c',
      sql,
    ]).trim();
  }

  /** Switches the server's TLS settings with pg_ctl reload and waits until new backends see them. */
  async configure(tls: ServerTls): Promise<void> {
    this.writeConf(tls);
    this.run(join(this.bins.bin, 'pg_ctl'), ['-D', this.data, 'reload']);
    for (let i = 0; i < 200; i++) {
      if (this.admin('show tlslab.setup') === tls.name) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`server did not pick up setup ${tls.name}; see ${join(this.dir, 'server.log')}`);
  }

  /**
   * A fresh HOME with the given ~/.postgresql files (cached per content). Key files (*.key) are written 0600,
   * owned by the user psql runs as (this process), as libpq's permission check wants.
   */
  home(files: Readonly<Record<string, string>>): string {
    const key = JSON.stringify(files);
    const cached = this.homes.get(key);
    if (cached) return cached;
    const home = join(this.dir, `home${this.homeCounter++}`);
    mkdirSync(join(home, '.postgresql'), { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      const path = join(home, '.postgresql', name);
      writeFileSync(path, text, { mode: name.endsWith('.key') ? 0o600 : 0o644 });
      if (name.endsWith('.key')) chmodSync(path, 0o600);
    }
    this.homes.set(key, home);
    return home;
  }

  /**
   * Writes a file the client can name in conninfo (sslrootcert=..., sslcert=...; *.key files 0600). Cells run two
   * at a time and ask for the same file again: an unchanged file is left alone, and a changed one is replaced
   * atomically (write aside, rename), so a psql running meanwhile never reads a half-written file.
   */
  clientFile(name: string, text: string): string {
    const path = join(this.dir, 'client-files', name);
    if (this.clientFiles.get(path) === text) return path;
    mkdirSync(join(this.dir, 'client-files'), { recursive: true });
    const aside = `${path}.${this.homeCounter++}.tmp`;
    writeFileSync(aside, text, { mode: name.endsWith('.key') ? 0o600 : 0o644 });
    if (name.endsWith('.key')) chmodSync(aside, 0o600);
    renameSync(aside, path);
    this.clientFiles.set(path, text);
    return path;
  }

  /** A path under the client-files directory that does not exist (for sslcert/sslkey naming a missing file). */
  missingClientFile(name: string): string {
    return join(this.dir, 'client-files', 'missing', name);
  }

  /**
   * psql (or `opts.program`, a stand-in taking psql's arguments) with a controlled environment; reports
   * connected/encrypted/protocol from pg_stat_ssl.
   */
  psql(
    conninfo: string,
    opts: { home: string; password?: string; program?: PsqlProgram; env?: Readonly<Record<string, string>> },
  ): Promise<PsqlResult> {
    const env = psqlEnv(opts.home);
    if (opts.password !== undefined) env.PGPASSWORD = opts.password;
    Object.assign(env, opts.env ?? {});
    Object.assign(env, opts.program?.env ?? {});
    const sql = 'select ssl, version from pg_stat_ssl where pid = pg_backend_pid()';
    return new Promise((resolve) => {
      execFile(
        opts.program?.command ?? join(this.bins.bin, 'psql'),
        [...(opts.program?.args ?? []), '-X', '-w', '-At', '-c', sql, conninfo],
        { env, encoding: 'utf8', timeout: 30_000 },
        (err, stdout, stderr) => {
          if (!err) {
            const [ssl, version] = stdout.trim().split('|');
            resolve({
              connected: true,
              encrypted: ssl === 't',
              ...(version ? { protocol: version } : {}),
              stderr,
            });
            return;
          }
          const text = stderr.replace(/\n$/, '');
          const error = text.startsWith('psql: error: ') ? text.slice('psql: error: '.length) : text;
          resolve({ connected: false, encrypted: false, error, stderr });
        },
      );
    });
  }

  stop(): void {
    try {
      this.run(join(this.bins.bin, 'pg_ctl'), ['-D', this.data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
