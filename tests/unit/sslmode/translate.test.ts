/**
 * Switching driver rewrites the connection string in the new driver's syntax: the default libpq string opens
 * on every driver without a parse error (the engine reads the same host, user, database and sslmode), settings
 * the driver lacks are named, and a round trip through every driver comes back to the same libpq keywords.
 */
import { describe, expect, it } from 'vitest';
import {
  DRIVERS,
  explainConnection,
  readSettings,
  translateConninfo,
} from '../../../src/lib/sslmode/index.ts';
import { buildScenario, sslmodeControls } from '../../../src/app/model/sslmode/scenario.ts';

const START = 'host=db.example.test dbname=app user=app password=secret sslmode=verify-full';

describe('translateConninfo', () => {
  it('writes each driver its own form', () => {
    expect(DRIVERS.map((d) => translateConninfo(START, d)?.conninfo)).toEqual([
      START,
      'postgres://app:secret@db.example.test/app?sslmode=verify-full',
      'jdbc:postgresql://db.example.test/app?user=app&password=secret&sslmode=verify-full',
      'Host=db.example.test;Database=app;Username=app;Password=secret;SSL Mode=VerifyFull',
      'postgres://app:secret@db.example.test/app?sslmode=verify-full',
      'postgres://app:secret@db.example.test/app?sslmode=verify-full',
    ]);
  });

  it('every driver connects with the translated default string (no parse error), verifying as asked', async () => {
    for (const driver of DRIVERS) {
      const t = translateConninfo(START, driver)!;
      const c = sslmodeControls({ driver, conninfo: t.conninfo, root: 'root-a' });
      // node-postgres does not read ~/.postgresql/root.crt: give it the root file by name.
      const conninfo = driver === 'node-postgres' ? `${t.conninfo}&sslrootcert=client-root.crt` : t.conninfo;
      const s = buildScenario({ ...c, conninfo }, conninfo, driver);
      const files = { ...s.client.files, 'client-root.crt': s.client.files!['~/.postgresql/root.crt']! };
      const o = await explainConnection({ ...s, client: { ...s.client, files } });
      expect([driver, o.connected, o.sslmode, o.hostnameVerified], o.error).toEqual([
        driver,
        true,
        'verify-full',
        true,
      ]);
    }
  });

  it('names what the target driver cannot take, and keeps the rest through a round trip', () => {
    const rich = `${START} sslrootcert=/etc/ca.pem sslnegotiation=direct gssencmode=disable`;
    const jdbc = translateConninfo(rich, 'pgjdbc')!;
    expect(jdbc.dropped).toEqual(['sslnegotiation=direct', 'gssencmode=disable']);
    expect(jdbc.conninfo).toContain('sslrootcert=%2Fetc%2Fca.pem');
    const npgsql = translateConninfo(rich, 'npgsql')!;
    expect(npgsql.conninfo).toContain('Root Certificate=/etc/ca.pem');
    expect(npgsql.dropped).toEqual(['sslnegotiation=direct', 'gssencmode=disable']);
    for (const driver of DRIVERS) {
      const there = translateConninfo(START, driver)!.conninfo;
      expect(Object.fromEntries(readSettings(there)!), driver).toEqual({
        host: 'db.example.test',
        dbname: 'app',
        user: 'app',
        password: 'secret',
        sslmode: 'verify-full',
      });
    }
  });

  it('says when it cannot read the string', () => {
    expect(translateConninfo("host='unterminated", 'pgjdbc')).toBeNull();
  });

  it('reads a URL libpq refuses as node-postgres does, and names the parameters libpq does not know', () => {
    const url =
      'postgres://app:secret@pg.internal/app?sslmode=verify-full&uselibpqcompat=true&sslmdoe=require';
    const t = translateConninfo(url, 'libpq')!;
    expect(t.conninfo).toBe('host=pg.internal dbname=app user=app password=secret sslmode=verify-full');
    expect(t.dropped).toEqual(['pg:uselibpqcompat=true', 'pg:sslmdoe=require']);
  });
});
