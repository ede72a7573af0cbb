/**
 * The libpq 18 oracle's scenarios and its fixture format (pure: no Node built-ins, no programs), shared by
 * scripts/record-libpq18.ts (records what real libpq 18 does into fixtures/libpq18/libpq18-oracle.json),
 * tests/oracle/sslmode-libpq18.test.ts (re-runs real libpq 18 and compares) and
 * tests/unit/sslmode/libpq18-replay.test.ts (replays the fixture through the engine).
 *
 * Every cell connects with `host=localhost hostaddr=127.0.0.1`, so the text does not depend on what `localhost`
 * resolves to on the machine, while verify-full still checks the name "localhost".
 */
import { SSLMODES, explainConnection } from '../../../src/lib/sslmode/index.ts';
import type { Scenario, ServerSpec } from '../../../src/lib/sslmode/types.ts';

/** Names of the PEM texts a fixture carries (certificates, and the client key the engine matches). */
export type PemName =
  | 'rootA'
  | 'rootB'
  | 'goodChain'
  | 'noipChain'
  | 'mismatchChain'
  | 'clientCa'
  | 'clientRightCert'
  | 'clientRightKey';

export interface Libpq18Setup {
  readonly ssl: boolean;
  readonly chain?: PemName;
  readonly ca?: PemName;
  readonly minProtocol?: string;
  readonly maxProtocol?: string;
}

export const SETUPS = {
  off: { ssl: false },
  good: { ssl: true, chain: 'goodChain' },
  noip: { ssl: true, chain: 'noipChain' },
  mismatch: { ssl: true, chain: 'mismatchChain' },
  tls12: { ssl: true, chain: 'goodChain', maxProtocol: 'TLSv1.2' },
  tls13: { ssl: true, chain: 'goodChain', minProtocol: 'TLSv1.3' },
  clientca: { ssl: true, chain: 'goodChain', ca: 'clientCa' },
} as const satisfies Record<string, Libpq18Setup>;
export type SetupName = keyof typeof SETUPS;

export const HBA = [
  'host all anyuser 127.0.0.1/32 trust',
  'host all pwuser 127.0.0.1/32 scram-sha-256',
  'host all clearuser 127.0.0.1/32 password',
  'hostssl cert_trust certuser 127.0.0.1/32 trust',
  'hostssl cert_ca certuser 127.0.0.1/32 trust clientcert=verify-ca',
];
export const ROLES =
  "create role anyuser login; create role pwuser login password 'right-pw'; create role clearuser login password 'right-pw'; create role certuser login;";
export const DATABASES = ['postgres', 'template0', 'template1', 'cert_trust', 'cert_ca'] as const;
const USERS = { anyuser: null, pwuser: 'right-pw', clearuser: 'right-pw', certuser: null, postgres: null };

/**
 * One scenario before it runs. `conninfo` may name client files as `{name}`: the recorder writes
 * `clientFiles[name]` there and puts its path in the text.
 */
export interface CellDef {
  readonly name: string;
  readonly setup: SetupName;
  readonly conninfo: string;
  /** Files in ~/.postgresql (root.crt, postgresql.crt, postgresql.key). */
  readonly home?: Readonly<Record<string, PemName>>;
  /** Files named in conninfo as `{name}`. */
  readonly clientFiles?: Readonly<Record<string, PemName>>;
  /**
   * What OpenSSL's default verify paths hold for sslrootcert=system: the recorder points SSL_CERT_FILE at a file with
   * this certificate (and SSL_CERT_DIR at a directory that does not exist); absent, both point at nothing: an empty store.
   */
  readonly system?: PemName;
  readonly password?: string;
  /** Other environment variables the client runs with (PGREQUIRESSL, ...). */
  readonly env?: Readonly<Record<string, string>>;
}

/** What the client did: psql's (or the shim's) result as pg_stat_ssl and stderr report it. */
export interface RealResult {
  readonly connected: boolean;
  readonly encrypted: boolean;
  readonly protocol?: string;
  readonly error?: string;
}

export interface RecordedCell {
  readonly name: string;
  readonly setup: SetupName;
  /** As run: client-file paths filled in. */
  readonly conninfo: string;
  /** $HOME the client ran with. */
  readonly home: string;
  /** The engine's `client.files`: a path (or `~/.postgresql/<name>`, or `system`) -> the PEM's name. */
  readonly files: Readonly<Record<string, PemName>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly real: RealResult;
}

export interface Libpq18Fixture {
  readonly recordedWith: {
    readonly libpq: string;
    readonly openssl: string;
    readonly psycopg: string;
    /** psycopg's libpq wrapper: "binary" (the wheel's own libpq), never the system's. */
    readonly pqImplementation: string;
    readonly server: string;
  };
  /** The clock the PKI was made at (validity windows are relative to it); the engine replays at this time. */
  readonly recordedAt: string;
  /** The throw-away server's port and temp directory (client files and homes live under it). */
  readonly port: number;
  readonly dir: string;
  readonly serverMajor: number;
  readonly pem: Readonly<Record<PemName, string>>;
  readonly cells: readonly RecordedCell[];
}

const KEYLOG = '{keylog.txt}';

/** The scenarios, by the 16-18 feature each covers. */
export function cellDefs(): CellDef[] {
  const cells: CellDef[] = [];
  const base = 'host=localhost hostaddr=127.0.0.1 dbname=postgres';

  // Every sslmode x root file (none, ~/.postgresql/root.crt, sslrootcert=path, a root for another CA): the
  // 15-compatible core, and libpq 16+'s root-file hint (`sslrootcert=system` in the "does not exist" text).
  for (const setup of ['good', 'mismatch'] as const)
    for (const mode of SSLMODES)
      for (const root of ['none', 'home', 'path', 'wrong'] as const)
        cells.push({
          name: `core: sslmode=${mode} root=${root}`,
          setup,
          conninfo: `${base} user=anyuser sslmode=${mode}${root === 'path' ? ' sslrootcert={root-a.crt}' : ''}`,
          ...(root === 'home' ? { home: { 'root.crt': 'rootA' } } : {}),
          ...(root === 'wrong' ? { home: { 'root.crt': 'rootB' } } : {}),
          ...(root === 'path' ? { clientFiles: { 'root-a.crt': 'rootA' } } : {}),
        });

  // sslrootcert=system: a server CA in the system store ("public") and one that is not ("private"), an empty store.
  const stores = [
    { label: 'CA in the system store', system: 'rootA' },
    { label: 'private CA (system store holds another root)', system: 'rootB' },
    { label: 'empty system store' },
  ] as const;
  for (const setup of ['good', 'noip', 'off'] as const)
    for (const store of stores)
      for (const mode of ['', ' sslmode=verify-full'])
        cells.push({
          name: `system: ${store.label}${mode || ' (sslmode unset)'}`,
          setup,
          conninfo: `${base} user=anyuser sslrootcert=system${mode}`,
          ...('system' in store ? { system: store.system } : {}),
        });
  for (const mode of ['disable', 'prefer', 'require', 'verify-ca'])
    cells.push({
      name: `system: weak sslmode=${mode}`,
      setup: 'good',
      conninfo: `${base} user=anyuser sslrootcert=system sslmode=${mode}`,
      system: 'rootA',
    });

  // PGREQUIRESSL=1 sets sslmode=require before sslrootcert=system's default of verify-full: the weak-mode refusal.
  cells.push({
    name: 'system: PGREQUIRESSL=1, sslmode unset',
    setup: 'good',
    conninfo: `${base} user=anyuser sslrootcert=system`,
    system: 'rootA',
    env: { PGREQUIRESSL: '1' },
  });

  // sslnegotiation=direct against this PostgreSQL (15: it does not speak TLS first).
  for (const setup of ['good', 'off'] as const) {
    for (const mode of ['require', 'verify-ca', 'verify-full'])
      cells.push({
        name: `direct: sslmode=${mode}`,
        setup,
        conninfo: `${base} user=anyuser sslmode=${mode} sslnegotiation=direct sslrootcert={root-a.crt}`,
        clientFiles: { 'root-a.crt': 'rootA' },
      });
    for (const mode of ['', ' sslmode=disable', ' sslmode=allow', ' sslmode=prefer'])
      cells.push({
        name: `direct: weak${mode || ' (sslmode unset)'}`,
        setup,
        conninfo: `${base} user=anyuser sslnegotiation=direct${mode}`,
      });
    cells.push({
      name: 'direct: sslnegotiation=postgres',
      setup,
      conninfo: `${base} user=anyuser sslmode=require sslnegotiation=postgres`,
    });
  }

  // sslcertmode x client certificate x server with/without ssl_ca_file.
  for (const setup of ['good', 'clientca'] as const)
    for (const certmode of ['disable', 'allow', 'require'])
      for (const cert of ['none', 'right'] as const)
        for (const db of ['cert_trust', 'cert_ca'])
          cells.push({
            name: `sslcertmode=${certmode} cert=${cert} db=${db}`,
            setup,
            conninfo: `host=localhost hostaddr=127.0.0.1 user=certuser dbname=${db} sslmode=require sslcertmode=${certmode}`,
            ...(cert === 'right'
              ? { home: { 'postgresql.crt': 'clientRightCert', 'postgresql.key': 'clientRightKey' } }
              : {}),
          });

  // require_auth against trust, SCRAM and cleartext-password lines.
  for (const user of ['anyuser', 'pwuser', 'clearuser'])
    for (const req of ['password', 'scram-sha-256', 'none', '!password', 'md5,scram-sha-256', '!none'])
      cells.push({
        name: `require_auth=${req} user=${user}`,
        setup: 'good',
        conninfo: `${base} user=${user} sslmode=require require_auth=${req}`,
        ...(user === 'anyuser' ? {} : { password: 'right-pw' }),
      });

  // channel_binding=require: only a SCRAM exchange bound to the TLS channel passes.
  for (const user of ['anyuser', 'pwuser', 'clearuser'])
    for (const mode of ['disable', 'prefer', 'require'])
      cells.push({
        name: `channel_binding=require user=${user} sslmode=${mode}`,
        setup: 'good',
        conninfo: `${base} user=${user} sslmode=${mode} channel_binding=require`,
        ...(user === 'anyuser' ? {} : { password: 'right-pw' }),
      });
  cells.push({
    name: 'channel_binding=require against a server without SSL, sslmode=prefer',
    setup: 'off',
    conninfo: `${base} user=pwuser sslmode=prefer channel_binding=require`,
    password: 'right-pw',
  });

  // target_session_attrs: this server is a read-write primary.
  for (const attrs of ['read-only', 'standby', 'prefer-standby', 'primary'])
    cells.push({
      name: `target_session_attrs=${attrs}`,
      setup: 'good',
      conninfo: `${base} user=anyuser sslmode=require target_session_attrs=${attrs}`,
    });

  // Neither refusal is retried: not by prefer in plaintext, nor by allow with SSL.
  for (const mode of ['allow', 'prefer'])
    cells.push(
      {
        name: `require_auth=scram-sha-256 user=anyuser sslmode=${mode}`,
        setup: 'good',
        conninfo: `${base} user=anyuser sslmode=${mode} require_auth=scram-sha-256`,
      },
      {
        name: `sslcertmode=require user=anyuser sslmode=${mode}`,
        setup: 'good',
        conninfo: `${base} user=anyuser sslmode=${mode} sslcertmode=require`,
      },
    );

  // allow: plaintext refused by a hostssl-only line, the SSL retry answered N (17+: "SSL was required").
  cells.push({
    name: 'allow: hostssl-only user, server without ssl',
    setup: 'off',
    conninfo: 'host=localhost hostaddr=127.0.0.1 user=certuser dbname=cert_trust sslmode=allow',
  });

  // sslkeylogfile (18): the connection is unaffected.
  cells.push({
    name: 'sslkeylogfile',
    setup: 'good',
    conninfo: `${base} user=anyuser sslmode=require sslkeylogfile=${KEYLOG}`,
  });

  // TLS protocol range: the wording of invalid values, disjoint ranges, a client limited to TLS 1.0-1.1.
  const rangeCells: [SetupName, string][] = [
    ['good', 'ssl_min_protocol_version=TLSv1.4'],
    ['good', 'ssl_max_protocol_version=TLSv1.4'],
    ['good', 'ssl_min_protocol_version=tls1'],
    ['good', 'ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2'],
    ['good', 'ssl_min_protocol_version=TLSv1 ssl_max_protocol_version=TLSv1.1'],
    ['tls12', 'ssl_min_protocol_version=TLSv1.3'],
    ['tls13', 'ssl_max_protocol_version=TLSv1.2'],
  ];
  for (const [setup, range] of rangeCells)
    for (const mode of ['prefer', 'require'])
      cells.push({
        name: `range: ${range} sslmode=${mode}`,
        setup,
        conninfo: `${base} user=anyuser sslmode=${mode} ${range}`,
      });

  // Options rejected before connecting, and which check wins when several fail.
  const rejected = [
    'sslmode=foo',
    'sslnegotiation=foo sslmode=require',
    'sslcertmode=foo',
    'require_auth=foo',
    'channel_binding=foo',
    'gssencmode=foo',
    'sslmode=',
    'sslnegotiation= sslmode=require',
    'sslcertmode=',
    'channel_binding=',
    'target_session_attrs=nonsense',
    'gssencmode=require',
    'gssencmode=require sslmode=require',
    'gssencmode=foo sslcertmode=foo',
    'channel_binding=foo sslmode=foo',
    'require_auth=foo channel_binding=foo',
    'sslrootcert=system sslmode=require ssl_min_protocol_version=TLSv1.4',
    'sslnegotiation=direct sslmode=prefer ssl_min_protocol_version=TLSv1.4',
    'sslnegotiation=direct sslmode=prefer sslrootcert=system',
    'sslmode=foo ssl_min_protocol_version=TLSv1.4',
  ];
  for (const extra of rejected)
    cells.push({ name: `rejected: ${extra}`, setup: 'good', conninfo: `${base} user=anyuser ${extra}` });

  // Values as libpq reads them (psql 15 agrees: tests/oracle/sslmode-libpq.test.ts block K): no ~ expansion; an
  // empty value is set, so the environment is not read for it; hostaddr, connect_timeout and service checks;
  // inet_aton hosts.
  const missing = { PGSSLROOTCERT: '/nonexistent/root.crt' };
  const read: [string, Record<string, string>][] = [
    ['host=localhost hostaddr=127.0.0.1 sslmode=verify-full sslrootcert=~/.postgresql/root.crt', {}],
    ["host=localhost hostaddr=127.0.0.1 sslmode=verify-full sslrootcert=''", missing],
    ["host='' sslmode=require", { PGHOST: 'localhost' }],
    ['host=localhost hostaddr=notanip sslmode=require', {}],
    ['host=localhost hostaddr=127.0.0.1 connect_timeout=abc sslmode=require', {}],
    ['service=nosuch host=localhost sslmode=foo', {}],
    ['host=127.1 sslmode=verify-full', {}],
    ['host=2130706433 sslmode=verify-full', {}],
  ];
  for (const [extra, env] of read)
    cells.push({
      name: `read: ${extra}${Object.keys(env).length ? ` ${JSON.stringify(env)}` : ''}`,
      setup: 'good',
      conninfo: `${extra} user=anyuser dbname=postgres`,
      home: { 'root.crt': 'rootA' },
      ...(Object.keys(env).length ? { env } : {}),
    });
  return cells;
}

/** The server a setup describes, as the engine's ServerSpec. */
export function serverSpec(
  f: Pick<Libpq18Fixture, 'pem' | 'port' | 'serverMajor'>,
  name: SetupName,
): ServerSpec {
  const s: Libpq18Setup = SETUPS[name];
  return {
    ssl: s.ssl,
    ...(s.chain ? { certificateChain: f.pem[s.chain] } : {}),
    ...(s.ca ? { caFile: f.pem[s.ca] } : {}),
    ...(s.minProtocol ? { minProtocol: s.minProtocol } : {}),
    ...(s.maxProtocol ? { maxProtocol: s.maxProtocol } : {}),
    hba: HBA,
    users: USERS,
    databases: [...DATABASES],
    listen: ['127.0.0.1'],
    port: f.port,
    majorVersion: f.serverMajor,
  };
}

/** A recorded cell as the engine's scenario: libpq 18, the recorded files, HOME and clock. */
export function toScenario(f: Libpq18Fixture, cell: RecordedCell): Scenario {
  const files = Object.fromEntries(Object.entries(cell.files).map(([path, pem]) => [path, f.pem[pem]]));
  return {
    client: {
      driver: 'libpq',
      version: '18',
      conninfo: cell.conninfo,
      files,
      home: cell.home,
      ...(cell.env ? { env: cell.env } : {}),
    },
    server: serverSpec(f, cell.setup),
    time: f.recordedAt,
  };
}

/** A cell's result without what differs between runs (the temp directory, the port). */
export function normalized(f: Pick<Libpq18Fixture, 'dir' | 'port'>, cell: RecordedCell): string {
  return (
    JSON.stringify({ name: cell.name, conninfo: cell.conninfo, home: cell.home, real: cell.real })
      .split(f.dir)
      .join('<dir>')
      .split(`port ${f.port}`)
      .join('port <port>')
      .split(`port=${f.port}`)
      .join('port=<port>')
      // A Unix-socket path names the port too (host='' dials the socket).
      .split(`.s.PGSQL.${f.port}`)
      .join('.s.PGSQL.<port>')
  );
}

/** The cells whose engine prediction (libpq 18) differs from what the real client did, with both. */
export async function engineMismatches(
  f: Libpq18Fixture,
  cells: readonly RecordedCell[],
): Promise<{ cell: string; real: RealResult; predicted: RealResult }[]> {
  const out = [];
  for (const cell of cells) {
    const o = await explainConnection(toScenario(f, cell));
    const predicted: RealResult = {
      connected: o.connected,
      encrypted: o.encrypted,
      ...(o.protocol ? { protocol: o.protocol } : {}),
      ...(o.error !== undefined ? { error: o.error } : {}),
    };
    if (JSON.stringify(predicted) !== JSON.stringify(cell.real))
      out.push({ cell: cell.name, real: cell.real, predicted });
  }
  return out;
}
