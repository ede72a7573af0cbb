/**
 * libpq connection-string parsing. Expected error texts are psql 15.18's own output (the same strings are
 * checked live against psql in tests/oracle/sslmode-libpq.test.ts block F); the grammar is fe-connect.c
 * conninfo_parse() and conninfo_uri_parse_options().
 */
import { describe, expect, it } from 'vitest';
import { parseConninfo, parseKeyValue, parseUri } from '../../../src/lib/sslmode/conninfo.ts';

const opts = (text: string, major = 17): Record<string, string> => {
  const r = parseConninfo(text, major);
  if (!r.ok) throw new Error(r.error);
  return Object.fromEntries(r.options);
};
const error = (text: string, major = 17): string => {
  const r = parseConninfo(text, major);
  if (r.ok) throw new Error(`parsed: ${JSON.stringify([...r.options])}`);
  return r.error;
};

describe('key=value connection strings', () => {
  it('reads keywords with optional spaces around "=" and keeps the last setting of a keyword', () => {
    expect(opts('host = db  port=5433 sslmode=require sslmode=verify-full')).toEqual({
      host: 'db',
      port: '5433',
      sslmode: 'verify-full',
    });
  });
  it('reads single-quoted values with backslash escapes', () => {
    expect(opts("password='it\\'s a secret' application_name=a\\ b")).toEqual({
      password: "it's a secret",
      application_name: 'a b',
    });
  });
  it('rejects a keyword without "="', () => {
    expect(error('host=localhost sslmode')).toBe('missing "=" after "sslmode" in connection info string');
  });
  it('rejects an unterminated quoted value', () => {
    expect(error("host='localhost")).toBe('unterminated quoted string in connection info string');
  });
  it("rejects unknown keywords with libpq's message", () => {
    expect(error('host=localhost bogus=1')).toBe('invalid connection option "bogus"');
  });
  it('knows which keywords each version has: sslnegotiation is 17+, sslcertmode 16+, sslkeylogfile 18', () => {
    expect(error('sslnegotiation=direct', 16)).toBe('invalid connection option "sslnegotiation"');
    expect(opts('sslnegotiation=direct', 17)).toEqual({ sslnegotiation: 'direct' });
    expect(error('sslcertmode=allow', 15)).toBe('invalid connection option "sslcertmode"');
    expect(opts('sslcertmode=allow', 16)).toEqual({ sslcertmode: 'allow' });
    expect(error('sslkeylogfile=/tmp/k', 17)).toBe('invalid connection option "sslkeylogfile"');
    expect(opts('sslkeylogfile=/tmp/k', 18)).toEqual({ sslkeylogfile: '/tmp/k' });
  });
  it('parses an empty string to no options', () => {
    expect(parseKeyValue('   ')).toEqual({ ok: true, options: new Map() });
  });
});

describe('postgresql:// URIs', () => {
  it('splits user, password, hosts, ports, database and parameters', () => {
    expect(
      opts('postgresql://app:s%40cret@db1:5433,db2/shop?sslmode=verify-full&sslrootcert=/etc/ca.pem'),
    ).toEqual({
      user: 'app',
      password: 's@cret',
      host: 'db1,db2',
      port: '5433,',
      dbname: 'shop',
      sslmode: 'verify-full',
      sslrootcert: '/etc/ca.pem',
    });
  });
  it('accepts the postgres:// prefix and bracketed IPv6 hosts', () => {
    expect(opts('postgres://[::1]:6000/db')).toEqual({ host: '::1', port: '6000', dbname: 'db' });
  });
  it('maps the JDBC-style ssl=true to sslmode=require', () => {
    expect(opts('postgresql://h?ssl=true')).toEqual({ host: 'h', sslmode: 'require' });
  });
  it.each([
    [
      'postgresql://[::1',
      'end of string reached when looking for matching "]" in IPv6 host address in URI: "postgresql://[::1"',
    ],
    ['postgresql://h?sslmode', 'missing key/value separator "=" in URI query parameter: "sslmode"'],
    ['postgresql://h?a=b=c', 'extra key/value separator "=" in URI query parameter: "a"'],
    ['postgresql://h/%zz', 'invalid percent-encoded token: "%zz"'],
    ['postgresql://h%00', 'forbidden value %00 in percent-encoded value: "h%00"'],
    ['postgresql://h?x=1', 'invalid URI query parameter: "x"'],
  ])("rejects %s with libpq's text", (uri, text) => {
    expect(error(uri)).toBe(text);
  });
  it('accepts a bare prefix (every setting from defaults), as psql does', () => {
    expect(parseUri('postgresql://')).toEqual({ ok: true, options: new Map() });
  });
});
