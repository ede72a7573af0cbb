/**
 * Oracle: the real pg-connection-string (the one the installed `pg` uses) against our port of its parse()
 * (src/lib/sslmode/pg-connection-string.ts) over connection-string token soup: the same strings are refused
 * with the same message, and the accepted ones give the same host, port, user, password and database.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'pg-connection-string';
import { parsePgConnectionString } from '../../src/lib/sslmode/pg-connection-string.ts';
import { conninfoSoup } from '../kit/pure/conninfo-soup.ts';
import { checkBounded } from '../kit/pure/property.ts';

const soup = conninfoSoup(10);

function real(text: string): { error: string } | Record<string, string | null> {
  try {
    const c = parse(text);
    return {
      host: c.host ?? '',
      port: c.port ?? '',
      user: c.user ?? '',
      password: c.password ?? '',
      database: c.database ?? null,
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function ours(text: string): { error: string } | Record<string, string | null> {
  const r = parsePgConnectionString(text);
  if (!r.ok) return { error: r.error };
  const { host, port, user, password, database } = r.config;
  return { host, port, user, password, database };
}

describe('pg-connection-string parse(): ours and the real one agree', () => {
  it('over token soup', async () => {
    await checkBounded(
      'pg-connection-string differential',
      fc.property(soup, (text) => {
        expect(ours(text), JSON.stringify(text)).toEqual(real(text));
      }),
      { numRuns: 3000, timeLimitMs: 30_000 },
    );
  });
});
