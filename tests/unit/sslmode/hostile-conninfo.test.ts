/**
 * Connection strings as an attacker or a careless paste writes them: token soup for all six drivers. No driver's
 * parser throws; explainConnection always answers with an outcome that survives structuredClone; a string a
 * driver rejects fails with that driver's own parse error. The pgx cases follow Go's net/url and pgconn
 * (config.go parseURLSettings(), parsePort(); errors.go redactPW()), read in their sources.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DRIVERS, explainConnection } from '../../../src/lib/sslmode/index.ts';
import type { ConnectionOutcome, Driver, Scenario } from '../../../src/lib/sslmode/types.ts';
import { conninfoSoup } from '../../kit/pure/conninfo-soup.ts';
import { checkBounded } from '../../kit/pure/property.ts';

const soup = conninfoSoup(12, ['', 'postgres://', 'postgresql://', 'jdbc:postgresql://', 'Host=', 'host=']);

const scenario = (driver: Driver, conninfo: string): Scenario => ({
  client: { driver, conninfo, files: { '~/.postgresql/root.crt': '' } },
  server: { ssl: false, hba: ['host all all all trust'] },
  time: '2026-01-01T00:00:00Z',
});

function expectStructured(o: ConnectionOutcome): void {
  expect(structuredClone(o)).toEqual(o);
  expect(typeof o.connected).toBe('boolean');
  if (!o.connected) {
    expect(typeof o.error).toBe('string');
    expect(o.error!.length).toBeGreaterThan(0);
    expect(o.error).not.toMatch(/\bundefined\b|\[object |^(TypeError|RangeError|ReferenceError):/);
  }
}

describe('connection strings: token soup never throws', () => {
  it('every driver answers every string with a structured-cloneable outcome', async () => {
    await checkBounded(
      'connection-string token soup (6 drivers)',
      fc.asyncProperty(fc.constantFrom(...DRIVERS), soup, async (driver, conninfo) => {
        expectStructured(await explainConnection(scenario(driver, conninfo)));
      }),
      { numRuns: 3000, timeLimitMs: 60_000 },
    );
  });
});

describe("pgx: Go's net/url and pgconn decide, with pgconn's own texts", () => {
  const pgx = (conninfo: string) => explainConnection(scenario('pgx', conninfo));
  it('postgresql:// alone is a URL with every setting defaulted: it connects to localhost:5432', async () => {
    const o = await pgx('postgresql://');
    expect(o.error).toBeUndefined();
    expect(o.connected).toBe(true);
  });
  it('a stray % is an invalid URL escape; the password is masked the way redactPW masks a broken URL', async () => {
    expect((await pgx('postgres://app:p%@localhost/db')).error).toBe(
      'cannot parse `postgres://app:xxxxxx@localhost/db`: failed to parse as URL (invalid URL escape "%")',
    );
    expect((await pgx('postgres://localhost/db%zz')).error).toBe(
      'cannot parse `postgres://localhost/db%zz`: failed to parse as URL (invalid URL escape "%zz")',
    );
    // In the host only non-ASCII bytes may be escaped (RFC 3986 3.2.2).
    expect((await pgx('postgres://local%41host/db')).error).toBe(
      'cannot parse `postgres://local%41host/db`: failed to parse as URL (invalid URL escape "%41")',
    );
  });
  it("Go's url.Parse texts: control characters, a space in the host, a bad port, a bad userinfo", async () => {
    expect((await pgx('postgres://localhost/\u0001')).error).toBe(
      'cannot parse `postgres://localhost/\u0001`: failed to parse as URL (net/url: invalid control character in URL)',
    );
    expect((await pgx('postgres://local host/db')).error).toBe(
      'cannot parse `postgres://local host/db`: failed to parse as URL (invalid character " " in host name)',
    );
    expect((await pgx('postgres://localhost:54x/db')).error).toBe(
      'cannot parse `postgres://localhost:54x/db`: failed to parse as URL (invalid port ":54x" after host)',
    );
    // url.Parse failed, so redactPW's broken-URL pattern :[^:@]+?@ masks from the scheme's colon on.
    expect((await pgx('postgres://a"b@localhost/db')).error).toBe(
      'cannot parse `postgres:xxxxxx@localhost/db`: failed to parse as URL (net/url: invalid userinfo)',
    );
  });
  it('host:port lists go through net.SplitHostPort, ports through parsePort', async () => {
    expect((await pgx('postgres://localhost:5432:1/db')).error).toBe(
      "cannot parse `postgres://localhost:5432:1/db`: failed to parse as URL (failed to split host:port in 'localhost:5432:1', err: address localhost:5432:1: too many colons in address)",
    );
    expect((await pgx('postgres://u:secret@localhost:99999/db')).error).toBe(
      'cannot parse `postgres://u:xxxxx@localhost:99999/db`: invalid port (strconv.ParseUint: parsing "99999": value out of range)',
    );
    expect((await pgx('postgres://localhost:0/db')).error).toBe(
      'cannot parse `postgres://localhost:0/db`: invalid port (outside range)',
    );
    expect((await pgx('host=localhost port=abc')).error).toBe(
      'cannot parse `host=localhost port=abc`: invalid port (strconv.ParseUint: parsing "abc": invalid syntax)',
    );
  });
  it('percent-escapes in user, password and database are decoded; malformed query pairs are dropped', async () => {
    const o = await pgx('postgres://app%40x:p%3Aw@[::1]:5432/sh%2Fop?sslmode=disable&bad=%zz');
    expect(o.error).toBeUndefined();
    expect(o.sslmode).toBe('disable');
  });
});

describe("asyncpg: CPython's urllib.parse and asyncpg's own checks raise", () => {
  const asyncpg = (conninfo: string) => explainConnection(scenario('asyncpg', conninfo));
  it('an unbalanced bracket is urlsplit\'s "Invalid IPv6 URL"', async () => {
    expect((await asyncpg('postgres://[::1/db')).error).toBe('Invalid IPv6 URL');
  });
  it("a port that is not a number is int()'s ValueError", async () => {
    expect((await asyncpg('postgres://localhost:5x/db')).error).toBe(
      "invalid literal for int() with base 10: '5x'",
    );
  });
  it('a query field without "=" is parse_qs(strict_parsing=True)\'s ValueError', async () => {
    expect((await asyncpg('postgres://localhost/db?sslmode')).error).toBe("bad query field: 'sslmode'");
  });
  it('an empty host in a host list is the IndexError of hostspec[0]', async () => {
    expect((await asyncpg('postgres://a,,b/db')).error).toBe('string index out of range');
  });
  it('a malformed escape is kept as it is by unquote(): no error', async () => {
    const o = await asyncpg('postgres://app:p%zz@localhost/d%b?sslmode=disable');
    expect(o.error).toBeUndefined();
    expect(o.connected).toBe(true);
  });
});

describe('node-postgres: what pg-connection-string parse() throws is what new Client() throws', () => {
  const node = (conninfo: string) => explainConnection(scenario('node-postgres', conninfo));
  it('an escape that is not UTF-8 in the user name: URIError "URI malformed"', async () => {
    expect((await node('postgres://%C3@localhost/db')).error).toBe('URI malformed');
  });
  it('a URL that the WHATWG parser refuses even with the dummy host: TypeError "Invalid URL"', async () => {
    expect((await node('postgres://[::1/db')).error).toBe('Invalid URL');
  });
  it('a key=value string is read as a path relative to postgres://base: host "base"', async () => {
    expect((await node('host=localhost sslmode=disable')).error).toBe('getaddrinfo ENOTFOUND base');
  });
});

describe('an sslmode named like an Object.prototype key is an unknown sslmode, not a crash', () => {
  // These names were looked up with `in` / an object literal, so 'toString', 'constructor' and '__proto__'
  // passed as sslmodes and explainConnection threw a TypeError.
  it.each([
    ['pgjdbc', 'jdbc:postgresql://localhost/app?sslmode=toString', 'Invalid sslmode value: toString'],
    ['pgjdbc', 'jdbc:postgresql://localhost/app?sslmode=__proto__', 'Invalid sslmode value: __proto__'],
    [
      'pgx',
      'host=localhost sslmode=constructor',
      'cannot parse `host=localhost sslmode=constructor`: failed to configure TLS (sslmode is invalid)',
    ],
    ['npgsql', 'Host=localhost;SSL Mode=constructor', "Couldn't set ssl mode (Parameter 'ssl mode')"],
    [
      'asyncpg',
      'postgresql://localhost/app?sslmode=hasOwnProperty',
      '`sslmode` parameter must be one of: disable, allow, prefer, require, verify-ca, verify-full',
    ],
  ] as const)('%s %s', async (driver, conninfo, error) => {
    const o = await explainConnection(scenario(driver, conninfo));
    expect(o.connected).toBe(false);
    expect(o.error).toBe(error);
    expectStructured(o);
  });
});

describe('a host named like an Object.prototype key does not resolve, whatever the driver', () => {
  // The resolver table was indexed directly, so 'constructor' resolved to a function and libpq and
  // node-postgres threw a TypeError.
  it.each([
    [
      'libpq',
      'host=constructor sslmode=disable',
      'could not translate host name "constructor" to address: Name or service not known',
    ],
    ['node-postgres', 'postgres://constructor/app', 'getaddrinfo ENOTFOUND constructor'],
    ['pgx', 'host=constructor', 'connection refused (constructor:5432)'],
  ] as const)('%s %s', async (driver, conninfo, error) => {
    const o = await explainConnection(scenario(driver, conninfo));
    expect(o.error).toBe(error);
    expectStructured(o);
  });
});
