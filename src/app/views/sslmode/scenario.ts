/**
 * The sslmode Lab's controls (all in the URL) and how they become an engine scenario. Certificates come
 * from the sample PKI (src/content/sslmode/sample-pki.ts): Root A issues db.example.test (SAN DNS and
 * IP 127.0.0.1); Root B is unrelated.
 */
import {
  SAMPLE_LEAF_EXPIRED,
  SAMPLE_LEAF_GOOD,
  SAMPLE_LEAF_SELF_SIGNED,
  SAMPLE_ROOT_A,
  SAMPLE_ROOT_B,
} from '../../../content/sslmode/sample-pki';
import type { Driver, Scenario } from '../../../lib/sslmode/index';
import { param, type ParamValues } from '../../url/hash';

export const DRIVERS: readonly { id: Driver; label: string }[] = [
  { id: 'libpq', label: 'libpq (psql, psycopg, Ruby pg, PHP)' },
  { id: 'node-postgres', label: 'node-postgres (pg)' },
  { id: 'pgjdbc', label: 'pgJDBC (Java)' },
  { id: 'npgsql', label: 'Npgsql (.NET)' },
  { id: 'pgx', label: 'pgx (Go)' },
];

export const SSLMODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;

export const SERVER_CERTS = {
  good: { label: 'Issued by Root A for db.example.test and 127.0.0.1', pem: SAMPLE_LEAF_GOOD },
  expired: { label: 'Issued by Root A, expired', pem: SAMPLE_LEAF_EXPIRED },
  'self-signed': { label: 'Self-signed', pem: SAMPLE_LEAF_SELF_SIGNED },
} as const;

export const ROOT_FILES = {
  none: { label: 'No root certificate file' },
  'root-a': { label: '~/.postgresql/root.crt = Root A (the right CA)' },
  'root-b': { label: '~/.postgresql/root.crt = Root B (a wrong CA)' },
} as const;

export const DEFAULT_HBA = [
  'hostssl all all 0.0.0.0/0 scram-sha-256',
  'host all all 0.0.0.0/0 scram-sha-256',
];

export const sslmodeSchema = {
  driver: param.oneOf(
    DRIVERS.map((d) => d.id),
    'libpq',
  ),
  version: param.oneOf(['15', '16', '17', '18'] as const, '17'),
  conninfo: param.string('host=db.example.test dbname=app user=app password=secret sslmode=prefer'),
  root: param.oneOf(Object.keys(ROOT_FILES) as (keyof typeof ROOT_FILES)[], 'none'),
  ssl: param.boolean(true),
  cert: param.oneOf(Object.keys(SERVER_CERTS) as (keyof typeof SERVER_CERTS)[], 'good'),
  smin: param.oneOf(['TLSv1.2', 'TLSv1.3'] as const, 'TLSv1.2'),
  preset: param.oneOf(['none', 'azure-flexible', 'aws-rds'] as const, 'none'),
  hba: param.list(DEFAULT_HBA),
  attacker: param.boolean(false),
  view: param.oneOf(['trace', 'matrix', 'troubleshoot'] as const, 'trace'),
};
export type SslmodeControls = ParamValues<typeof sslmodeSchema>;

/** A fixed date inside every sample certificate's validity but the expired one's, so verdicts never drift. */
export const LAB_TIME = '2026-01-01T00:00:00Z';

export function buildScenario(
  c: SslmodeControls,
  conninfo = c.conninfo,
  driver: Driver = c.driver,
): Scenario {
  const files: Record<string, string> = {};
  if (c.root === 'root-a') files['~/.postgresql/root.crt'] = SAMPLE_ROOT_A;
  if (c.root === 'root-b') files['~/.postgresql/root.crt'] = SAMPLE_ROOT_B;
  return {
    client: { driver, ...(driver === 'libpq' ? { version: c.version } : {}), conninfo, files },
    server: {
      ssl: c.ssl,
      certificateChain: SERVER_CERTS[c.cert].pem,
      minProtocol: c.smin,
      hba: c.hba.filter((l) => l.trim() !== ''),
      users: { app: 'secret', postgres: null },
      ...(c.preset !== 'none' ? { preset: c.preset } : {}),
    },
    resolve: { 'db.example.test': ['127.0.0.1'], localhost: ['127.0.0.1'] },
    time: LAB_TIME,
  };
}

/**
 * The man in the middle: it answers the client itself. It either refuses TLS and accepts a plaintext
 * login (stripping), or offers TLS with its own self-signed certificate for the same name.
 */
export function attackerScenarios(
  c: SslmodeControls,
  conninfo = c.conninfo,
  driver: Driver = c.driver,
): { strip: Scenario; impersonate: Scenario } {
  const base = buildScenario(c, conninfo, driver);
  const open = { hba: ['host all all 0.0.0.0/0 trust'], users: undefined, preset: undefined };
  return {
    strip: { ...base, server: { ...base.server, ...open, ssl: false } },
    impersonate: {
      ...base,
      server: { ...base.server, ...open, ssl: true, certificateChain: SAMPLE_LEAF_SELF_SIGNED },
    },
  };
}

interface Endpoint {
  host: string;
  port: string;
  user: string;
  dbname: string;
  password?: string;
}

/** The same target written the way each driver takes it, with one sslmode: for the matrix. */
export function conninfoFor(driver: Driver, e: Endpoint, sslmode: string): string {
  const pw = e.password ? `:${encodeURIComponent(e.password)}` : '';
  switch (driver) {
    case 'libpq':
      return `host=${e.host} port=${e.port} dbname=${e.dbname} user=${e.user}${e.password ? ` password=${e.password}` : ''} sslmode=${sslmode}`;
    case 'node-postgres':
    case 'pgx':
      return `postgres://${encodeURIComponent(e.user)}${pw}@${e.host}:${e.port}/${e.dbname}?sslmode=${sslmode}`;
    case 'pgjdbc':
      return `jdbc:postgresql://${e.host}:${e.port}/${e.dbname}?user=${e.user}${e.password ? `&password=${e.password}` : ''}&sslmode=${sslmode}`;
    case 'npgsql': {
      const mode =
        { 'verify-ca': 'VerifyCA', 'verify-full': 'VerifyFull' }[sslmode] ??
        sslmode[0]!.toUpperCase() + sslmode.slice(1);
      return `Host=${e.host};Port=${e.port};Database=${e.dbname};Username=${e.user}${e.password ? `;Password=${e.password}` : ''};SSL Mode=${mode}`;
    }
  }
}
