/**
 * pg_hba.conf as a careless paste writes it: token soup (tests/kit/pure/hba-soup.ts). Every file either loads or
 * every refusal is one of PostgreSQL 15's own texts (hba.c parse_hba_line(), parse_hba_auth_opt(), tokenize_inc_file()),
 * logged the way the server logs it; explainConnection never throws on it and its outcome survives structuredClone.
 * tests/oracle/sslmode-hba-parse.test.ts checks the same texts against the real server.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DRIVERS, explainConnection } from '../../../src/lib/sslmode/index.ts';
import { HBA_FILE, parseHba } from '../../../src/lib/sslmode/hba.ts';
import { hbaSoup } from '../../kit/pure/hba-soup.ts';
import { checkBounded } from '../../kit/pure/property.ts';

/** PostgreSQL 15's texts for a refused pg_hba.conf line (hba.c), as patterns over their %s arguments. */
const PG15_TEXTS: readonly RegExp[] = [
  /^invalid connection type ".*"$/,
  /^multiple values specified for (connection type|host address|netmask|authentication type)$/,
  /^end-of-line before (database|role|IP address|netmask) specification$/,
  /^end-of-line before authentication method$/,
  /^invalid CIDR mask in address ".*"$/,
  /^specifying both host name and CIDR mask is invalid: ".*"$/,
  /^invalid IP mask ".*": Name or service not known$/,
  /^IP address and mask do not match$/,
  /^invalid authentication method ".*"(: not supported by this build)?$/,
  /^(gssapi|peer) authentication is (not supported on|only supported on) local sockets$/,
  /^cert authentication is only supported on hostssl connections$/,
  /^authentication option not in name=value format: .*$/,
  /^unrecognized authentication option name: ".*"$/,
  /^authentication option ".*" is only valid for authentication methods .+$/,
  /^client(cert|name) can only be configured for "hostssl" rows$/,
  /^clientcert only accepts "verify-full" when using "cert" authentication$/,
  /^invalid value for client(cert|name): ".*"$/,
  /^invalid LDAP port number: ".*"$/,
  /^authentication method "(ldap|radius)" requires argument .+ to be set$/,
  /^cannot use ldap.* together with ldap(prefix|searchfilter)$/,
  /^could not open secondary authentication file "@.+" as "\/.+": No such file or directory$/,
];
const LOG_LINE =
  /^(LOG|HINT|FATAL): {2}\S|^CONTEXT: {2}line \d+ of configuration file "\/var\/lib\/postgresql\/data\/pg_hba\.conf"$/;

describe('pg_hba.conf token soup', () => {
  it("every file loads, or every refused line carries one of PostgreSQL 15's texts and the log says so", async () => {
    await checkBounded(
      'pg_hba token soup (parseHba)',
      fc.property(hbaSoup, fc.boolean(), (lines, ssl) => {
        const p = parseHba(lines, { ssl });
        const physical = lines.join('\n').split('\n').length;
        for (const problem of p.problems) {
          expect(
            PG15_TEXTS.some((re) => re.test(problem.message)),
            problem.message,
          ).toBe(true);
          expect(problem.line).toBeGreaterThanOrEqual(1);
          expect(problem.line).toBeLessThanOrEqual(physical);
        }
        for (const l of p.log) expect(l, l).toMatch(LOG_LINE);
        expect(p.ok).toBe(p.problems.length === 0 && p.lines.length > 0);
        if (p.ok) {
          expect(p.log).toEqual(
            p.warnings.flatMap(() => [expect.any(String), expect.any(String), expect.any(String)]),
          );
        } else {
          expect(p.log.slice(-2)).toEqual([
            'FATAL:  could not load pg_hba.conf',
            'LOG:  database system is shut down',
          ]);
          // Every refused line is named in a CONTEXT line, except a missing @file (PG15 logs that one bare).
          for (const problem of p.problems.filter((q) => !q.message.startsWith('could not open')))
            expect(p.log).toContain(`CONTEXT:  line ${problem.line} of configuration file "${HBA_FILE}"`);
        }
        // hostssl with ssl = off is a warning, never a refusal.
        if (ssl) expect(p.warnings).toEqual([]);
      }),
      { numRuns: 2000, timeLimitMs: 30_000 },
    );
  });

  it('explainConnection never throws on it, and a server that did not start says why, structured', async () => {
    await checkBounded(
      'pg_hba token soup (explainConnection, 6 drivers)',
      fc.asyncProperty(hbaSoup, fc.constantFrom(...DRIVERS), async (hba, driver) => {
        const outcome = await explainConnection({
          client: { driver, conninfo: 'host=127.0.0.1 user=app dbname=app sslmode=disable' },
          server: { ssl: false, hba },
          time: '2026-01-01T00:00:00Z',
        });
        expect(structuredClone(outcome)).toEqual(outcome);
        const parsed = parseHba(hba, { ssl: false });
        if (parsed.ok) {
          expect(outcome.serverNotStarted).toBeUndefined();
          return;
        }
        expect(outcome.connected).toBe(false);
        expect(outcome.error).toMatch(/\S/);
        expect(outcome.serverNotStarted).toEqual({
          file: HBA_FILE,
          problems: parsed.problems.map((q) => ({ line: q.line, message: q.message })),
          log: parsed.log,
        });
        expect(outcome.steps[0]).toMatchObject({
          rule: 'server.hba.load',
          status: 'fail',
          kind: 'server-start',
        });
      }),
      { numRuns: 2000, timeLimitMs: 30_000 },
    );
  });

  it('reports every bad line, joins continued lines, and takes include directives as PG15 does', () => {
    const p = parseHba(
      [
        'include other.conf',
        'host all all 127.0.0.1/32 \\',
        '  trust foo=bar',
        '# a comment continued \\',
        'host x',
        'host all',
        'hostssl all all all trust',
      ],
      { ssl: false },
    );
    expect(p.problems.map((q) => [q.line, q.message])).toEqual([
      [1, 'invalid connection type "include"'],
      [2, 'unrecognized authentication option name: "foo"'],
      [6, 'end-of-line before role specification'],
    ]);
    expect(p.warnings.map((w) => [w.line, w.message])).toEqual([
      [7, 'hostssl record cannot match because SSL is disabled'],
    ]);
    expect(p.log).toContain('HINT:  Set ssl = on in postgresql.conf.');
  });

  it('a hostssl line with ssl = off: the server starts, and the outcome says what it logged about that line', async () => {
    const outcome = await explainConnection({
      client: { driver: 'libpq', conninfo: 'host=127.0.0.1 user=app dbname=app sslmode=prefer' },
      server: { ssl: false, hba: ['hostssl all all all trust', 'host all all all trust'] },
      time: '2026-01-01T00:00:00Z',
    });
    expect(outcome.connected).toBe(true);
    expect(outcome.serverNotStarted).toBeUndefined();
    expect(outcome.steps[0]).toMatchObject({
      attempt: 0,
      kind: 'server-start',
      status: 'info',
      rule: 'server.hba.load',
      detail:
        'The server started, but logged for pg_hba.conf line 1: hostssl record cannot match because SSL is disabled. That line never matches.',
    });
  });

  it('an empty file, or one of comments only, stops the server', () => {
    for (const hba of [[], ['# nothing', '']]) {
      const p = parseHba(hba);
      expect(p.ok).toBe(false);
      expect(p.problems).toEqual([]);
      expect(p.log).toEqual([
        `LOG:  configuration file "${HBA_FILE}" contains no entries`,
        'FATAL:  could not load pg_hba.conf',
        'LOG:  database system is shut down',
      ]);
    }
  });
});
