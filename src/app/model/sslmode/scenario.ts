/**
 * The sslmode Lab's controls (all in the URL) and how they become an engine scenario. Certificates come
 * from the sample PKI (src/lib/sslmode/samples/server-pki.ts): Root A issues db.example.test (SAN DNS and
 * IP 127.0.0.1); Root B is unrelated. Client certificates come from the sample client PKI
 * (src/lib/sslmode/samples/client-pki.ts, public test keys): Sample Client CA issues CN=app and CN=someone-else.
 */
import {
  SAMPLE_CLOUD_CHAIN,
  SAMPLE_CLOUD_OTHER_NAME_CHAIN,
  SAMPLE_LEAF_EXPIRED,
  SAMPLE_LEAF_GOOD,
  SAMPLE_LEAF_OTHER_NAME,
  SAMPLE_LEAF_SELF_SIGNED,
  SAMPLE_PUBLIC_ROOT,
  SAMPLE_ROOT_A,
  SAMPLE_ROOT_B,
} from '../../../lib/sslmode/samples/server-pki.ts';
import {
  SAMPLE_CLIENT_APP_CERT,
  SAMPLE_CLIENT_APP_KEY,
  SAMPLE_CLIENT_CA,
  SAMPLE_CLIENT_EXPIRED_CERT,
  SAMPLE_CLIENT_EXPIRED_KEY,
  SAMPLE_CLIENT_OTHER_CERT,
  SAMPLE_CLIENT_OTHER_KEY,
  SAMPLE_CLIENT_UNTRUSTED_CERT,
  SAMPLE_CLIENT_UNTRUSTED_KEY,
} from '../../../lib/sslmode/samples/client-pki.ts';
import {
  DEFAULT_LIBPQ_VERSION,
  DRIVERS as DRIVER_IDS,
  effectiveHba,
  LIBPQ_VERSIONS,
  readSettings,
  SERVER_PRESETS,
  SSLMODES,
  writeSettings,
  explainConnection,
  libpqNumericAddress,
  reproductionMatch,
  type AttackKind,
  type Driver,
  type Scenario,
  type Troubleshooting,
} from '../../../lib/sslmode/index';
import type { HandoffChain } from '../../state/chain-handoff.svelte';
import { formatHash, param, readParams, writeParams, type ParamValues } from '../../url/hash';

const DRIVER_LABELS: Readonly<Record<Driver, { label: string; short: string }>> = {
  libpq: { label: 'libpq (psql, psycopg, Ruby pg, PHP)', short: 'libpq' },
  'node-postgres': { label: 'node-postgres (pg)', short: 'node-postgres' },
  pgjdbc: { label: 'pgJDBC (Java)', short: 'pgJDBC' },
  npgsql: { label: 'Npgsql (.NET)', short: 'Npgsql' },
  pgx: { label: 'pgx (Go)', short: 'pgx' },
  asyncpg: { label: 'asyncpg (Python)', short: 'asyncpg' },
};

/** The engine's drivers, in its order, with the labels the lab shows. */
export const DRIVERS: readonly { id: Driver; label: string; short: string }[] = DRIVER_IDS.map((id) => ({
  id,
  ...DRIVER_LABELS[id],
}));

/** The engine's sslmode and libpq version lists, for the lab's views. */
export { LIBPQ_VERSIONS, SSLMODES };

export const SERVER_CERTS = {
  good: { label: 'Issued by Root A for db.example.test, 127.0.0.1', pem: SAMPLE_LEAF_GOOD },
  expired: { label: 'Issued by Root A, expired', pem: SAMPLE_LEAF_EXPIRED },
  'self-signed': { label: 'Self-signed', pem: SAMPLE_LEAF_SELF_SIGNED },
  'with-root': {
    label: 'Issued by Root A, sent together with Root A itself',
    pem: SAMPLE_LEAF_GOOD + SAMPLE_ROOT_A,
  },
  cloud: {
    label: 'Azure-shaped: *.postgres.database.azure.com',
    pem: SAMPLE_CLOUD_CHAIN,
  },
} as const;

export type ServerCertId = keyof typeof SERVER_CERTS | typeof FROM_CHAIN_LAB;

/** `cert=` left at its default: the managed service's own chain under the Azure preset, else Root A's leaf. */
export function serverCertId(c: SslmodeControls): ServerCertId {
  if (c.cert !== 'default') return c.cert;
  return c.preset === 'azure-flexible' ? 'cloud' : 'good';
}

export const ROOT_FILES = {
  none: { label: 'No root certificate file' },
  'root-a': { label: '~/.postgresql/root.crt = Root A (the right CA)' },
  'root-b': { label: '~/.postgresql/root.crt = Root B (a wrong CA)' },
  'public-root': {
    label: '~/.postgresql/root.crt = Sample Public Root G2',
  },
} as const;

/** The value of `cert=` and `root=` that takes the chain (and its anchor) from the Chain Lab in this tab. */
export const FROM_CHAIN_LAB = 'chain-lab';

/**
 * The client's certificate and key. libpq finds them as ~/.postgresql/postgresql.crt and .key; the same files
 * are also at client.crt / client.key for a connection string that names them (sslcert=client.crt&sslkey=...).
 */
export const CLIENT_CERTS = {
  none: { label: 'No client certificate' },
  app: {
    label: 'CN=app from the Sample Client CA, with its key',
    cert: SAMPLE_CLIENT_APP_CERT,
    key: SAMPLE_CLIENT_APP_KEY,
  },
  other: {
    label: 'CN=someone-else, same CA, with its key',
    cert: SAMPLE_CLIENT_OTHER_CERT,
    key: SAMPLE_CLIENT_OTHER_KEY,
  },
  expired: {
    label: 'CN=app from the Sample Client CA, expired',
    cert: SAMPLE_CLIENT_EXPIRED_CERT,
    key: SAMPLE_CLIENT_EXPIRED_KEY,
  },
  untrusted: {
    label: 'CN=app from a CA the server does not trust',
    cert: SAMPLE_CLIENT_UNTRUSTED_CERT,
    key: SAMPLE_CLIENT_UNTRUSTED_KEY,
  },
  'no-key': { label: 'CN=app, but the key file is missing', cert: SAMPLE_CLIENT_APP_CERT },
  'wrong-key': {
    label: "CN=app with someone else's key",
    cert: SAMPLE_CLIENT_APP_CERT,
    key: SAMPLE_CLIENT_OTHER_KEY,
  },
} as const satisfies Record<string, { label: string; cert?: string; key?: string }>;

export const SERVER_CA_FILES = {
  none: { label: 'Not set: the server asks the client for nothing' },
  'client-ca': {
    label: 'Sample Client CA: clients prove who they are',
    pem: SAMPLE_CLIENT_CA,
  },
} as const;

export const SERVER_VERSIONS = ['13', '14', '15', '16', '17', '18'] as const;

export const DEFAULT_HBA = [
  'hostssl all all 0.0.0.0/0 scram-sha-256',
  'host all all 0.0.0.0/0 scram-sha-256',
];

export const sslmodeSchema = {
  driver: param.oneOf(
    DRIVERS.map((d) => d.id),
    'libpq',
  ),
  version: param.oneOf(LIBPQ_VERSIONS, DEFAULT_LIBPQ_VERSION),
  conninfo: param.string('host=db.example.test dbname=app user=app password=secret sslmode=prefer'),
  root: param.oneOf([...(Object.keys(ROOT_FILES) as (keyof typeof ROOT_FILES)[]), FROM_CHAIN_LAB], 'none'),
  ssl: param.boolean(true),
  cert: param.oneOf(
    ['default', ...(Object.keys(SERVER_CERTS) as (keyof typeof SERVER_CERTS)[]), FROM_CHAIN_LAB],
    'default',
  ),
  ccert: param.oneOf(Object.keys(CLIENT_CERTS) as (keyof typeof CLIENT_CERTS)[], 'none'),
  sca: param.oneOf(Object.keys(SERVER_CA_FILES) as (keyof typeof SERVER_CA_FILES)[], 'none'),
  smin: param.oneOf(['TLSv1.2', 'TLSv1.3'] as const, 'TLSv1.2'),
  /** The server's PostgreSQL major version. */
  pgver: param.oneOf(SERVER_VERSIONS, '17'),
  preset: param.oneOf(['none', ...SERVER_PRESETS], 'none'),
  hba: param.list(DEFAULT_HBA),
  attacker: param.boolean(false),
  view: param.oneOf(['trace', 'matrix', 'troubleshoot'] as const, 'trace'),
  /** Presenter view (with view=matrix): the matrix alone, filling the screen (App hides the site's chrome). */
  present: param.boolean(false),
  /** The error text pasted into the troubleshooter (so a diagnosis is a link). */
  error: param.string(''),
};
export type SslmodeControls = ParamValues<typeof sslmodeSchema>;

/** The controls of a fresh page, with some changed. */
export function sslmodeControls(values: Partial<SslmodeControls> = {}): SslmodeControls {
  return { ...readParams(sslmodeSchema, new URLSearchParams()), ...values };
}

/** A fixed date inside every sample certificate's validity but the expired one's, so verdicts never drift. */
export const LAB_TIME = '2026-01-01T00:00:00Z';

/**
 * What the controls need from the Chain Lab, with the reason when it cannot be had: the Chain Lab holds no
 * certificates in this tab (a fresh page or a shared link), or its chain reached no trust anchor.
 */
export function chainLabProblem(c: SslmodeControls, handoff: HandoffChain | null): string | null {
  if (c.cert !== FROM_CHAIN_LAB && c.root !== FROM_CHAIN_LAB) return null;
  if (!handoff)
    return 'The Chain Lab holds no certificates in this tab: open it, drop or paste your chain, then come back. Your certificates stay in this tab and are never put in the address.';
  if (c.root === FROM_CHAIN_LAB && !handoff.anchor)
    return `The Chain Lab found no trust anchor for ${handoff.leaf}, so there is no root certificate to give the client: pick a trust store there, or choose another root file here.`;
  return null;
}

/**
 * Every host name of a connection string in any driver's syntax (`readSettings`; IP addresses included, the engine
 * tells them apart).
 */
function hostNames(conninfo: string, key: 'host' | 'hostaddr' = 'host'): string[] {
  const hosts = readSettings(conninfo)?.get(key) ?? '';
  return hosts
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '' && !h.startsWith('/'));
}

export function buildScenario(
  c: SslmodeControls,
  conninfo = c.conninfo,
  driver: Driver = c.driver,
  handoff: HandoffChain | null = null,
): Scenario {
  const problem = chainLabProblem(c, handoff);
  if (problem) throw new Error(problem);
  const fromChainLab = handoff !== null && (c.cert === FROM_CHAIN_LAB || c.root === FROM_CHAIN_LAB);
  const files: Record<string, string> = {};
  if (c.root === 'root-a') files['~/.postgresql/root.crt'] = SAMPLE_ROOT_A;
  if (c.root === 'root-b') files['~/.postgresql/root.crt'] = SAMPLE_ROOT_B;
  if (c.root === 'public-root') files['~/.postgresql/root.crt'] = SAMPLE_PUBLIC_ROOT;
  if (c.root === FROM_CHAIN_LAB && handoff?.anchor) files['~/.postgresql/root.crt'] = handoff.anchor.pem;
  // The client process runs in $HOME (/home/postgres), where the same root file is also root.crt.
  const root = files['~/.postgresql/root.crt'];
  if (root !== undefined) files['root.crt'] = root;
  const client: { label: string; cert?: string; key?: string } = CLIENT_CERTS[c.ccert];
  if (client.cert !== undefined) {
    files['~/.postgresql/postgresql.crt'] = client.cert;
    files['client.crt'] = client.cert;
  }
  if (client.key !== undefined) {
    files['~/.postgresql/postgresql.key'] = client.key;
    files['client.key'] = client.key;
  }
  const ca: { label: string; pem?: string } = SERVER_CA_FILES[c.sca];
  return {
    client: { driver, ...(driver === 'libpq' ? { version: c.version } : {}), conninfo, files },
    server: {
      ssl: c.ssl,
      certificateChain: serverChainPem(serverCertId(c), handoff),
      ...(ca.pem !== undefined ? { caFile: ca.pem } : {}),
      minProtocol: c.smin,
      majorVersion: Number(c.pgver),
      hba: labHba(c),
      users: { app: 'secret', postgres: null },
      // The lab's one server also listens on every IP address the connection string dials (host or hostaddr), so
      // "verify-full to an IP" reaches it: the certificate, not the network, decides.
      listen: labListen([c.conninfo, conninfo]),
      ...(c.preset !== 'none' ? { preset: c.preset } : {}),
    },
    // Every name the connection string uses reaches the lab's one server (a real name the user typed, too).
    resolve: {
      ...Object.fromEntries(
        [...hostNames(c.conninfo), ...hostNames(conninfo)].map((h) => [h, ['127.0.0.1']]),
      ),
      'db.example.test': ['127.0.0.1'],
      localhost: ['127.0.0.1'],
    },
    // The samples are judged at a fixed date; a chain from the Chain Lab at the date the Chain Lab uses.
    time: fromChainLab ? (handoff as HandoffChain).time : LAB_TIME,
  };
}

/** 127.0.0.1 and ::1 (the engine's default), and each IP address the strings dial, as libpq reads it ("127.1"). */
function labListen(conninfos: readonly string[]): string[] {
  const typed = conninfos.flatMap((ci) => [...hostNames(ci), ...hostNames(ci, 'hostaddr')]);
  const ips = typed.flatMap((h) => libpqNumericAddress(h.replace(/^\[(.*)\]$/, '$1')) ?? []);
  return [...new Set(['127.0.0.1', '::1', ...ips])];
}

/**
 * The pg_hba lines the controls give the server: none under the Azure preset, whose pg_hba.conf is the service's
 * own (written from its firewall rules; the user cannot edit it), so the engine applies the preset's lines.
 */
function labHba(c: SslmodeControls): string[] {
  // Blank lines stay, so the server's line numbers are the box's; an empty box is no pg_hba.conf at all.
  if (c.preset === 'azure-flexible' || c.hba.every((l) => l.trim() === '')) return [];
  return [...c.hba];
}

/** The pg_hba lines the server applies under the controls, as the engine reads them (a preset's included). */
export function appliedHba(c: SslmodeControls): string[] {
  const applied = effectiveHba({
    ssl: c.ssl,
    hba: labHba(c),
    majorVersion: Number(c.pgver),
    ...(c.preset !== 'none' ? { preset: c.preset } : {}),
  });
  return applied.ok ? applied.lines.map((l) => l.text) : [];
}

function serverChainPem(id: ServerCertId, handoff: HandoffChain | null): string {
  return id === FROM_CHAIN_LAB ? (handoff as HandoffChain).chainPem : SERVER_CERTS[id].pem;
}

export interface Attack {
  readonly kind: AttackKind;
  readonly title: string;
  /** What the attacker does, in one sentence. */
  readonly method: string;
  /** null when this attack cannot be built for the chosen server certificate (and why, in `method`). */
  readonly scenario: Scenario | null;
}

/**
 * The man in the middle answers the client itself, with a server that takes any login (trust). Three attacks:
 * it refuses TLS (stripping); it offers TLS with its own self-signed certificate for the same name; it offers
 * TLS with a valid certificate for ANOTHER name from the same CA as the real server's (a certificate anyone can
 * obtain from a shared or public CA: the attack verify-ca lets through and verify-full refuses).
 */
export function attackerScenarios(
  c: SslmodeControls,
  conninfo = c.conninfo,
  driver: Driver = c.driver,
  handoff: HandoffChain | null = null,
): Attack[] {
  const base = buildScenario(c, conninfo, driver, handoff);
  // The attacker accepts anyone: any login, any TLS version, and it asks for no client certificate.
  const open = {
    hba: ['host all all 0.0.0.0/0 trust'],
    users: undefined,
    preset: undefined,
    caFile: undefined,
    minProtocol: undefined,
  };
  const withChain = (certificateChain: string): Scenario => ({
    ...base,
    server: { ...base.server, ...open, ssl: true, certificateChain },
  });
  const cert = serverCertId(c);
  const otherName =
    cert === 'cloud'
      ? SAMPLE_CLOUD_OTHER_NAME_CHAIN
      : cert === FROM_CHAIN_LAB
        ? null
        : SAMPLE_LEAF_OTHER_NAME;
  return [
    {
      kind: 'strip',
      title: 'Attacker strips TLS',
      method: 'It answers the SSLRequest with N (no TLS) and accepts any plaintext login.',
      scenario: { ...base, server: { ...base.server, ...open, ssl: false } },
    },
    {
      kind: 'impersonate',
      title: 'Attacker presents its own certificate',
      method: 'It offers TLS with a self-signed certificate for the same name.',
      scenario: withChain(SAMPLE_LEAF_SELF_SIGNED),
    },
    {
      kind: 'other-name',
      title: 'Attacker presents a valid certificate for another name, from the same CA',
      method:
        otherName === null
          ? 'Not available with a chain from the Chain Lab: the lab cannot issue a certificate from your CA.'
          : cert === 'cloud'
            ? 'It offers TLS with a real-looking certificate for www.example.org from the same public issuing CA: anyone can get one for a domain they own.'
            : 'It offers TLS with a certificate Root A issued for shop.example.test: another server of the same CA, or one the attacker obtained.',
      scenario: otherName === null ? null : withChain(otherName),
    },
  ];
}

export interface MatrixEntry {
  readonly driver: Driver;
  readonly sslmode: string;
  /** The connection string this cell uses, in the driver's own syntax (to open the cell's trace). */
  readonly conninfo: string;
  /** The user's settings (libpq keywords, with their values) this driver has no equivalent for, left out of the cell. */
  readonly dropped: readonly string[];
  readonly scenario: Scenario;
}

/**
 * Every sslmode by every driver: the lab's connection string with each sslmode in turn, written in each driver's
 * syntax (`writeSettings`), against the same server; a setting a driver has no equivalent for is left out of its
 * cells and named in `dropped`. Without a readable connection string, the lab's default target.
 */
export function matrixScenarios(c: SslmodeControls, handoff: HandoffChain | null = null): MatrixEntry[] {
  const given = readSettings(c.conninfo) ?? new Map<string, string>();
  const settings = new Map(given);
  if (!settings.has('host')) settings.set('host', 'db.example.test');
  if (!settings.has('user')) settings.set('user', 'app');
  return DRIVERS.flatMap(({ id: driver }) =>
    SSLMODES.map((sslmode) => {
      // The lab's own driver keeps every setting of its string (it is the string the trace runs).
      const { conninfo, dropped } = writeSettings(
        driver,
        new Map(settings).set('sslmode', sslmode),
        driver === c.driver,
      );
      return { driver, sslmode, conninfo, dropped, scenario: buildScenario(c, conninfo, driver, handoff) };
    }),
  );
}

/**
 * The lab's controls for an engine scenario (a troubleshooter's reproduction), when the lab can express it:
 * its driver, connection string, server certificate, root file, client certificate, ssl_ca_file, minimum TLS
 * version and pg_hba lines. null when some certificate is not one of the lab's samples. The caller checks that
 * the lab's own scenario then gives the same error (home, users and addresses are the lab's own).
 */
export function controlsForScenario(s: Scenario): Partial<SslmodeControls> | null {
  const files = s.client.files ?? {};
  const byPem = <K extends string>(table: Record<K, object>, pem: string | undefined) =>
    (Object.keys(table) as K[]).find((k) => (table[k] as { pem?: string }).pem === pem);
  const cert =
    s.server.certificateChain === undefined ? 'good' : byPem(SERVER_CERTS, s.server.certificateChain);
  const rootPem = files['~/.postgresql/root.crt'];
  const root =
    rootPem === undefined
      ? 'none'
      : (
          {
            [SAMPLE_ROOT_A]: 'root-a',
            [SAMPLE_ROOT_B]: 'root-b',
            [SAMPLE_PUBLIC_ROOT]: 'public-root',
          } as const
        )[rootPem];
  const certFile = files['~/.postgresql/postgresql.crt'];
  const keyFile = files['~/.postgresql/postgresql.key'];
  const ccert = (Object.keys(CLIENT_CERTS) as (keyof typeof CLIENT_CERTS)[]).find((k) => {
    const c = CLIENT_CERTS[k] as { cert?: string; key?: string };
    return c.cert === certFile && c.key === keyFile;
  });
  const sca = byPem(SERVER_CA_FILES, s.server.caFile);
  const smin = s.server.minProtocol ?? 'TLSv1.2';
  if (!cert || !root || !ccert || !sca || (smin !== 'TLSv1.2' && smin !== 'TLSv1.3')) return null;
  return {
    driver: s.client.driver,
    ...(s.client.driver === 'libpq' && s.client.version ? { version: s.client.version as '17' } : {}),
    conninfo: s.client.conninfo,
    ssl: s.server.ssl,
    cert,
    root,
    ccert,
    sca,
    smin,
    hba: [...s.server.hba],
    view: 'trace',
  };
}

/** The lab's link for some controls (the rest at their defaults). */
export function sslmodeHref(values: Partial<SslmodeControls>): string {
  return formatHash(['sslmode'], writeParams(sslmodeSchema, values));
}

/**
 * The lab state that shows a troubleshooter's reproduction: only when it reproduces the pasted text and the
 * lab's own scenario for those controls prints the same error (modulo host, port and paths).
 */
export async function labStateFor(t: Troubleshooting): Promise<Partial<SslmodeControls> | null> {
  if ((t.match !== 'exact' && t.match !== 'partial') || !t.diagnosis.reproduce || !t.outcome?.error)
    return null;
  const values = controlsForScenario(t.diagnosis.reproduce);
  if (!values) return null;
  const inLab = await explainConnection(buildScenario(sslmodeControls(values)));
  return inLab.error !== undefined && reproductionMatch(t.outcome.error, inLab.error) === 'exact'
    ? values
    : null;
}
