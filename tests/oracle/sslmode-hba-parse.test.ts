/**
 * Oracle: generated pg_hba.conf files (tests/kit/pure/hba-soup.ts) against the real PostgreSQL's own reading of
 * them. For each file, the running server's pg_hba_file_rules view (which re-reads the file from disk on every
 * query, without loading it) must show exactly the lines parseHba() accepts and, line by line, the same error text.
 * A smaller set of files is then started for real on a second cluster: the server starts exactly when parseHba()
 * says ok, and a refused file prints exactly parseHba()'s log lines (log_line_prefix cleared).
 *
 * The server runs with ssl = off, so every hostssl line also carries the "hostssl record cannot match" warning.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHba } from '../../src/lib/sslmode/hba.ts';
import { hbaSoup } from '../kit/pure/hba-soup.ts';
import { PgOracleServer, findPostgres } from '../kit/programs/postgres-oracle.ts';

const FILES = 300;
const STARTS = 24;

let server: PgOracleServer;
beforeAll(async () => {
  server = await PgOracleServer.start([], 'select 1');
});
afterAll(() => server?.stop());

type Row = readonly [line: number, accepted: boolean, error: string | null];

/**
 * pg_hba_file_rules for each file, written in turn as the server's pg_hba.conf by one psql session (`\!` copies the
 * next file into place before each query). The rules the server loaded stay the initial ones.
 */
function viewsOf(files: readonly (readonly string[])[]): Row[][] {
  const dir = join(server.dir, 'hba-files');
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const script: string[] = [];
  files.forEach((lines, i) => {
    writeFileSync(join(dir, String(i)), lines.length > 0 ? lines.join('\n') + '\n' : '', { mode: 0o644 });
    script.push(
      `\\! cp ${join(dir, String(i))} ${join(server.data, 'pg_hba.conf')}`,
      "select coalesce(jsonb_agg(jsonb_build_array(line_number, type is not null, error) order by line_number), '[]')::text from pg_hba_file_rules;",
    );
  });
  writeFileSync(join(dir, 'script.sql'), script.join('\n') + '\n', { mode: 0o644 });
  const psql = join(server.bins.bin, 'psql');
  const args = [
    '-X',
    '-At',
    '-v',
    'ON_ERROR_STOP=1',
    '-h',
    server.socketDir,
    '-p',
    String(server.port),
    '-U',
    'postgres',
    '-d',
    'postgres',
    '-f',
    join(dir, 'script.sql'),
  ];
  const out = execFileSync(
    process.getuid?.() === 0 ? 'runuser' : psql,
    process.getuid?.() === 0 ? ['-u', 'postgres', '--', psql, ...args] : args,
    {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    },
  );
  const rows = out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Row[]);
  expect(rows).toHaveLength(files.length);
  return rows;
}

function predicted(lines: readonly string[]): Row[] {
  const p = parseHba(lines, { ssl: false, file: join(server.data, 'pg_hba.conf') });
  const rows = new Map<number, Row>();
  for (const l of p.lines) rows.set(l.line, [l.line, true, null]);
  for (const w of p.warnings) rows.set(w.line, [w.line, true, w.viewError]);
  for (const e of p.problems) rows.set(e.line, [e.line, false, e.viewError]);
  return [...rows.values()].sort((a, b) => a[0] - b[0]);
}

describe('pg_hba.conf: parseHba() reads generated files as PostgreSQL does', () => {
  it(`${FILES} generated files: same lines accepted, same error text per line (pg_hba_file_rules)`, () => {
    const files = fc.sample(hbaSoup, { numRuns: FILES, seed: 0x15 });
    let rejected = 0;
    let accepted = 0;
    const views = viewsOf(files);
    for (const [i, lines] of files.entries()) {
      const real = views[i]!;
      expect(predicted(lines), JSON.stringify(lines)).toEqual(real);
      rejected += real.filter((r) => !r[1]).length;
      accepted += real.filter((r) => r[1]).length;
    }
    console.log(
      `pg_hba oracle: ${FILES} files, ${accepted} lines accepted, ${rejected} refused, all as PostgreSQL 15`,
    );
    // The soup must exercise both sides, or the comparison proves little.
    expect(accepted).toBeGreaterThan(FILES / 4);
    expect(rejected).toBeGreaterThan(FILES / 4);
  }, 180_000);

  it(`${STARTS} generated files and 3 fixed ones started for real: the server starts exactly when parseHba() is ok, and logs the same lines`, () => {
    const bins = findPostgres();
    const dir = mkdtempSync(join(tmpdir(), 'tls-lab-hba-'));
    chmodSync(dir, 0o755);
    const asPostgres = process.getuid?.() === 0;
    const owner = asPostgres
      ? {
          uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
          gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
        }
      : null;
    const run = (cmd: string, args: string[]) =>
      spawnSync(asPostgres ? 'runuser' : cmd, asPostgres ? ['-u', 'postgres', '--', cmd, ...args] : args, {
        encoding: 'utf8',
        timeout: 60_000,
      });
    try {
      if (owner) chownSync(dir, owner.uid, owner.gid);
      const data = join(dir, 'data');
      const sock = join(dir, 'sock');
      mkdirSync(sock);
      if (owner) chownSync(sock, owner.uid, owner.gid);
      const initdb = ['-D', data, '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C'];
      const init = run(join(bins.bin, 'initdb'), initdb);
      expect(init.status, init.stderr).toBe(0);
      // Unix socket only, inside the temp dir; a bare log line (no prefix) to compare with.
      writeFileSync(
        join(data, 'postgresql.auto.conf'),
        `listen_addresses = ''\nunix_socket_directories = '${sock}'\nfsync = off\nssl = off\nlog_line_prefix = ''\n`,
      );
      const hbaPath = join(data, 'pg_hba.conf');
      const files = fc.sample(hbaSoup, { numRuns: STARTS, seed: 0x16 });
      files.push([], ['# only a comment', ''], ['hostssl all all 127.0.0.1/32 trust']);
      let refused = 0;
      for (const lines of files) {
        writeFileSync(hbaPath, lines.length > 0 ? lines.join('\n') + '\n' : '');
        const logFile = join(dir, 'start.log');
        writeFileSync(logFile, '');
        if (owner) chownSync(logFile, owner.uid, owner.gid);
        const start = run(join(bins.bin, 'pg_ctl'), ['-D', data, '-l', logFile, '-w', '-t', '30', 'start']);
        const started = start.status === 0;
        if (started) run(join(bins.bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
        const p = parseHba(lines, { ssl: false, file: hbaPath });
        expect(started, JSON.stringify(lines)).toBe(p.ok);
        const logged = readFileSync(logFile, 'utf8').split('\n');
        if (!started) {
          refused++;
          // The log also has the startup banner and the socket line; the pg_hba part is everything after them.
          const from = logged.findIndex((l) => !/^LOG: {2}(starting PostgreSQL|listening on)/.test(l));
          expect(
            logged.slice(from).filter((l) => l !== ''),
            JSON.stringify(lines),
          ).toEqual(p.log);
        } else {
          const hbaLog = p.log.filter((l) => l.startsWith('LOG:  hostssl'));
          for (const l of hbaLog) expect(logged).toContain(l);
        }
      }
      console.log(`pg_hba oracle: ${files.length} files started for real, ${refused} refused to start`);
      expect(refused).toBeGreaterThan(0);
      expect(refused).toBeLessThan(files.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
