/** pg_hba.conf parsing and first-match selection (hba.c parse_hba_line(), check_hba(); client-auth.sgml). */
import { describe, expect, it } from 'vitest';
import { matchHba, parseHba } from '../../../src/lib/sslmode/hba.ts';

const req = {
  ssl: true,
  serverSsl: true,
  user: 'app',
  database: 'shop',
  clientAddress: '10.1.2.3',
  serverAddresses: ['10.0.0.1'],
};
const lines = (text: string[]) => {
  const r = parseHba(text);
  if (!r.ok) throw new Error(r.error);
  return r.lines;
};

describe('pg_hba.conf', () => {
  it('takes the first line that matches type, database, user and address', () => {
    const l = lines([
      '# comment',
      'hostnossl all all 0.0.0.0/0 trust',
      'hostssl shop app 10.0.0.0/8 scram-sha-256',
      'host all all 0.0.0.0/0 reject',
    ]);
    expect(matchHba(l, req)?.line).toBe(3);
    expect(matchHba(l, { ...req, ssl: false })?.line).toBe(2);
  });
  it('never matches hostssl when the server has ssl=off', () => {
    expect(matchHba(lines(['hostssl all all 0.0.0.0/0 trust']), { ...req, serverSsl: false })).toBeNull();
  });
  it('reads the address/mask form and IPv6 CIDRs', () => {
    const l = lines(['host all all 10.1.0.0 255.255.0.0 trust', 'host all all ::1/128 trust']);
    expect(matchHba(l, req)?.line).toBe(1);
    expect(matchHba(l, { ...req, clientAddress: '::1' })?.line).toBe(2);
    expect(matchHba(l, { ...req, clientAddress: '10.2.0.1' })).toBeNull();
  });
  it('matches sameuser and comma lists', () => {
    const l = lines(['host sameuser all all trust', 'host "shop",other app,bob all md5']);
    expect(matchHba(l, req)?.line).toBe(2);
    expect(matchHba(l, { ...req, database: 'app' })?.line).toBe(1);
  });
  it("rejects clientcert on a non-hostssl line and clientcert=verify-ca with cert, with the server's texts", () => {
    expect(parseHba(['host all all all trust clientcert=verify-ca'])).toMatchObject({
      ok: false,
      line: 1,
      error: 'clientcert can only be configured for "hostssl" rows',
    });
    // PostgreSQL 15.18 logs one text and shows another in pg_hba_file_rules for the same refusal.
    expect(parseHba(['hostssl all all all cert clientcert=verify-ca']).problems).toEqual([
      {
        line: 1,
        message: 'clientcert only accepts "verify-full" when using "cert" authentication',
        viewError: 'clientcert can only be set to "verify-full" when using "cert" authentication',
      },
    ]);
  });
});
