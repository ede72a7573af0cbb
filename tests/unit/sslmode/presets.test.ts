/**
 * Managed-service presets: the pg_hba lines a preset applies are the ones its `server-config` step lists and the
 * ones a pg_hba step names; RDS's rds.force_ssl default follows server.majorVersion (1 from 15 on, 0 before,
 * per AWS's ssl-certificate-rotation-postgresql page); the direct-TLS check follows the same one field.
 */
import { describe, expect, it } from 'vitest';
import {
  effectiveHba,
  explainConnection,
  presetSetting,
  type Driver,
  type Scenario,
  type ServerSpec,
} from '../../../src/lib/sslmode/index.ts';
import { SAMPLE_LEAF_GOOD } from '../../../src/content/sslmode/sample-pki.ts';

const TIME = '2026-01-01T00:00:00Z';

const CONNINFO: Record<Driver, (sslmode: string) => string> = {
  libpq: (m) => `host=127.0.0.1 user=app password=pw sslmode=${m}`,
  // pg 8 reads sslmode=require as verify-full; no-verify is its encrypted-without-checks mode.
  'node-postgres': (m) => `postgres://app:pw@127.0.0.1:5432/app?sslmode=${m === 'require' ? 'no-verify' : m}`,
  pgjdbc: (m) => `jdbc:postgresql://127.0.0.1:5432/app?user=app&password=pw&sslmode=${m}`,
  npgsql: (m) =>
    `Host=127.0.0.1;Username=app;Password=pw;SSL Mode=${m === 'disable' ? 'Disable' : 'Require'}`,
  pgx: (m) => `postgres://app:pw@127.0.0.1:5432/app?sslmode=${m}`,
  asyncpg: (m) => `postgres://app:pw@127.0.0.1:5432/app?sslmode=${m}`,
};

function scenario(driver: Driver, sslmode: string, server: Partial<ServerSpec>): Scenario {
  return {
    client: { driver, conninfo: CONNINFO[driver](sslmode) },
    server: { ssl: true, certificateChain: SAMPLE_LEAF_GOOD, hba: [], ...server },
    time: TIME,
  };
}

describe('the Azure preset names the pg_hba lines it applies', () => {
  it('lists its own lines (as hostssl) in a server-config step, and the pg_hba step names the matched one', async () => {
    const server: ServerSpec = {
      ssl: true,
      certificateChain: SAMPLE_LEAF_GOOD,
      hba: [],
      preset: 'azure-flexible',
    };
    const applied = effectiveHba(server);
    if (!applied.ok) throw new Error(applied.error);
    expect(applied.lines.map((l) => l.text)).toEqual([
      'hostssl all all 0.0.0.0/0 scram-sha-256',
      'hostssl all all ::/0 scram-sha-256',
    ]);
    for (const driver of Object.keys(CONNINFO) as Driver[]) {
      const out = await explainConnection(scenario(driver, 'require', { preset: 'azure-flexible' }));
      expect(out.connected, driver).toBe(true);
      const config = out.steps.filter((s) => s.kind === 'server-config');
      expect(config, driver).toHaveLength(1);
      expect(config[0]?.rule).toBe('server.preset.azure');
      expect(config[0]?.detail).toContain('require_secure_transport = on (the default)');
      for (const l of applied.lines) expect(config[0]?.detail).toContain(`line ${l.line}: ${l.text}`);
      const hba = out.steps.find((s) => s.kind === 'pg_hba');
      expect(hba?.detail, driver).toContain('pg_hba.conf line 1 (hostssl all all 0.0.0.0/0 scram-sha-256)');
    }
  });
  it('a plaintext connection is refused by the applied hostssl lines; turned off, the same lines stay host', async () => {
    const out = await explainConnection(scenario('libpq', 'disable', { preset: 'azure-flexible' }));
    expect(out.error).toBe(
      'connection to server at "127.0.0.1", port 5432 failed: FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption',
    );
    const off = await explainConnection(
      scenario('libpq', 'disable', { preset: 'azure-flexible', requireSecureTransport: false }),
    );
    expect(off.connected).toBe(true);
    const step = off.steps.find((s) => s.kind === 'server-config');
    expect(step?.detail).toContain('require_secure_transport = off');
    expect(step?.detail).toContain('line 1: host all all 0.0.0.0/0 scram-sha-256');
  });
  it('lines the scenario gives are the ones applied and named (a line the preset turns into hostssl says so)', async () => {
    const out = await explainConnection(
      scenario('libpq', 'require', {
        preset: 'azure-flexible',
        hba: ['hostnossl all all 0.0.0.0/0 reject', 'host all app 127.0.0.1/32 scram-sha-256'],
      }),
    );
    expect(out.connected).toBe(true);
    expect(out.steps.find((s) => s.kind === 'server-config')?.detail).toContain(
      "the scenario's pg_hba.conf: line 1: hostnossl all all 0.0.0.0/0 reject; line 2: hostssl all app 127.0.0.1/32 scram-sha-256",
    );
    expect(out.steps.find((s) => s.kind === 'pg_hba')?.detail).toContain(
      'pg_hba.conf line 2 (hostssl all app 127.0.0.1/32 scram-sha-256)',
    );
  });
  it('without a preset there is no server-config step', async () => {
    const out = await explainConnection(
      scenario('libpq', 'require', { hba: ['host all all 0.0.0.0/0 scram-sha-256'] }),
    );
    expect(out.connected).toBe(true);
    expect(out.steps.some((s) => s.kind === 'server-config')).toBe(false);
  });
});

describe("RDS rds.force_ssl follows the server's major version", () => {
  it('defaults to 1 from PostgreSQL 15 on and 0 before; an explicit value wins', async () => {
    const rds = (server: Partial<ServerSpec>) =>
      presetSetting({ ssl: true, hba: [], preset: 'aws-rds', ...server });
    expect(rds({ majorVersion: 14 })).toMatchObject({ name: 'rds.force_ssl', value: '0', from: 'default' });
    expect(rds({ majorVersion: 15 })).toMatchObject({ value: '1', from: 'default', forcesTls: true });
    expect(rds({})).toMatchObject({ value: '1', from: 'default' });
    expect(rds({ majorVersion: 14, rdsForceSsl: true })).toMatchObject({ value: '1', from: 'scenario' });
    const plain14 = await explainConnection(
      scenario('libpq', 'disable', { preset: 'aws-rds', majorVersion: 14 }),
    );
    expect(plain14.connected).toBe(true);
    expect(plain14.encrypted).toBe(false);
    expect(plain14.steps.find((s) => s.kind === 'server-config')?.detail).toContain(
      'AWS RDS, PostgreSQL 14: rds.force_ssl = 0 (the default)',
    );
    const plain15 = await explainConnection(
      scenario('libpq', 'disable', { preset: 'aws-rds', majorVersion: 15 }),
    );
    expect(plain15.connected).toBe(false);
    expect(plain15.error).toContain(
      'no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption',
    );
  });
});

describe('one server version field', () => {
  const direct = (server: Partial<ServerSpec>) =>
    explainConnection(scenario('libpq', 'require', { hba: ['hostssl all all 0.0.0.0/0 trust'], ...server }));
  it('sslnegotiation=direct needs 17, read from server.majorVersion', async () => {
    const run = (majorVersion: number) =>
      explainConnection({
        client: {
          driver: 'libpq',
          conninfo: 'host=127.0.0.1 user=app sslmode=require sslnegotiation=direct',
        },
        server: {
          ssl: true,
          certificateChain: SAMPLE_LEAF_GOOD,
          hba: ['hostssl all all 0.0.0.0/0 trust'],
          majorVersion,
        },
        time: TIME,
      });
    expect((await run(16)).error).toBe(
      'connection to server at "127.0.0.1", port 5432 failed: SSL error: unexpected eof while reading',
    );
    expect((await run(17)).connected).toBe(true);
  });
  it('an impossible majorVersion is refused with the field named', async () => {
    await expect(direct({ majorVersion: 9.6 })).rejects.toThrow(
      'server.majorVersion: expected a PostgreSQL major version such as 15 or 17 (an integer from 10), got 9.6',
    );
  });
});
