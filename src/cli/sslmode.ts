/**
 * `npx tls-lab sslmode SCENARIO.json [--json]` — predict a PostgreSQL client's connection outcome.
 * `npx tls-lab sslmode --diagnose "ERROR TEXT" [--json]` — explain an error text and print a scenario that reproduces it.
 *
 * SCENARIO.json is the `Scenario` of src/lib/sslmode/types.ts, checked field by field before the engine sees
 * it. Any PEM-valued field (`client.files` values, `server.certificateChain`, `server.caFile`) may be written
 * "@path" to read the file, relative to the scenario file. The text report leads with the outcome and the
 * client's exact error text.
 */
import { dirname, resolve } from 'node:path';
import {
  DRIVERS,
  explainConnection,
  isOneOf,
  LIBPQ_VERSIONS,
  majorVersionProblem,
  outcomeFacts,
  protectionText,
  SERVER_PRESETS,
  TLS_VERSIONS,
  tlsVersion,
  troubleshoot,
  type ConnectionOutcome,
  type Scenario,
} from '../lib/sslmode/index.ts';
import type { ClientSpec, ServerSpec } from '../lib/sslmode/types.ts';
import { scanPem } from '../lib/bytes/pem.ts';
import { InputError, messageOf, painter, parseIsoDate, processIo, readInputFile, type CliIo } from './io.ts';
import { MATCH_TEXT, NOT_SSLMODE } from '../content/sslmode/troubleshoot.ts';

export const usage = `Usage: tls-lab sslmode SCENARIO.json [--json]
       tls-lab sslmode --diagnose "ERROR TEXT" [--json]

Predicts what a PostgreSQL client (libpq, node-postgres, pgJDBC, Npgsql, pgx, asyncpg) does with a server
you describe: connected or not, the client's exact error text, then what to change (or the fix), the protection
of a connection (or, for a failure, what went out unencrypted) and every step.

  SCENARIO.json  { "client": { "driver", "conninfo", "version"?, "files"?, "env"?,
                               "osUser"?, "home"?, "cwd"? },
                   "server": { "ssl", "hba": [...], "certificateChain"?, "caFile"?, "keyType"?,
                               "minProtocol"?, "maxProtocol"?, "majorVersion"?, "preset"?,
                               "requireSecureTransport"?, "rdsForceSsl"?, "users"?, "databases"?,
                               "listen"?, "port"? },
                   "resolve"?: { "host name": ["address", ...] }, "time"? }
                 the fields of src/lib/sslmode/types.ts; any other field is refused. A host name the
                 client connects to needs a "resolve" entry (only localhost resolves by default).
                 PEM values may be "@file" (relative to the scenario file)
  --diagnose     explain an error text a client printed, with a scenario that reproduces it when one
                 prints that text
  --json         the whole outcome (or diagnosis) as JSON

Colours only on a terminal; NO_COLOR=1 turns them off.

Exit status: 0 the predicted connection succeeds (or the text was recognised); 1 it fails (or the
text is unknown); 2 bad input (an unknown option, an unreadable file, a malformed scenario).`;

type Json = unknown;

/** The fields of a scenario's client and server (src/lib/sslmode/types.ts ClientSpec, ServerSpec). */
const CLIENT_FIELDS = [
  'driver',
  'version',
  'conninfo',
  'osUser',
  'home',
  'cwd',
  'env',
  'files',
] as const satisfies readonly (keyof ClientSpec)[];
const SERVER_FIELDS = [
  'ssl',
  'hba',
  'certificateChain',
  'caFile',
  'keyType',
  'minProtocol',
  'maxProtocol',
  'majorVersion',
  'preset',
  'requireSecureTransport',
  'rdsForceSsl',
  'users',
  'databases',
  'listen',
  'port',
] as const satisfies readonly (keyof ServerSpec)[];
// A field added to ClientSpec or ServerSpec but not listed above fails to compile here.
const everyFieldListed: [
  Exclude<keyof ClientSpec, (typeof CLIENT_FIELDS)[number]>,
  Exclude<keyof ServerSpec, (typeof SERVER_FIELDS)[number]>,
] extends [never, never]
  ? true
  : never = true;
void everyFieldListed;

/** Field-by-field checks of untrusted JSON, each failure naming the field and what it should be. */
class Fields {
  constructor(readonly file: string) {}
  fail(where: string, want: string, got: Json): never {
    const shown = got === undefined ? 'nothing' : JSON.stringify(got).slice(0, 60);
    throw new InputError(`${this.file}: ${where} must be ${want}, got ${shown}`);
  }
  object(v: Json, where: string): Record<string, Json> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(where, 'an object', v);
    return v as Record<string, Json>;
  }
  string(v: Json, where: string): string {
    if (typeof v !== 'string') this.fail(where, 'a string', v);
    return v;
  }
  optString(v: Json, where: string): string | undefined {
    return v === undefined ? undefined : this.string(v, where);
  }
  optBoolean(v: Json, where: string): boolean | undefined {
    if (v !== undefined && typeof v !== 'boolean') this.fail(where, 'true or false', v);
    return v as boolean | undefined;
  }
  strings(v: Json, where: string): string[] {
    if (!Array.isArray(v)) this.fail(where, 'an array of strings', v);
    return v.map((x, i) => this.string(x, `${where}[${i}]`));
  }
  /** Refuses a key the scenario does not have: a misspelt field would otherwise be dropped without a word. */
  known(o: Record<string, Json>, where: string, keys: readonly string[]): void {
    const unknown = Object.keys(o).find((k) => !keys.includes(k));
    if (unknown !== undefined)
      throw new InputError(
        `${this.file}: ${where === 'the scenario' ? '' : `${where}.`}${unknown} is not a scenario field (${where} has ${keys.join(', ')})`,
      );
  }
  /** A TLS version name as the server reads ssl_min/max_protocol_version. */
  tlsVersion(v: Json, where: string): string | undefined {
    const text = this.optString(v, where);
    if (text !== undefined && tlsVersion(text) === null)
      this.fail(where, `one of ${TLS_VERSIONS.join(', ')}`, text);
    return text;
  }
  /** PEM text with at least one certificate that decodes (what the server's ssl_cert_file / ssl_ca_file needs). */
  certificates(text: string | undefined, where: string): string | undefined {
    if (text === undefined) return undefined;
    const blocks = scanPem(text).blocks.filter((b) => b.label === 'CERTIFICATE');
    if (!blocks.some((b) => b.result.ok))
      throw new InputError(
        `${this.file}: ${where} holds no PEM certificate${blocks[0] && !blocks[0].result.ok ? ` (block 1: ${blocks[0].result.reason})` : ''}; a server given it with ssl = on does not start ("could not load" the file)`,
      );
    return text;
  }
  stringMap(v: Json, where: string, nullable = false): Record<string, string | null> {
    const o = this.object(v, where);
    for (const [k, x] of Object.entries(o))
      if (!(typeof x === 'string' || (nullable && x === null)))
        this.fail(`${where}["${k}"]`, nullable ? 'a string or null' : 'a string', x);
    return o as Record<string, string | null>;
  }
}

function put<T>(target: Record<string, unknown>, key: string, value: T | undefined): void {
  if (value !== undefined) target[key] = value;
}

async function inline(text: string | undefined, base: string, where: string): Promise<string | undefined> {
  if (text === undefined || !text.startsWith('@')) return text;
  const bytes = await readInputFile(resolve(base, text.slice(1)), `${where} file`);
  return new TextDecoder().decode(bytes);
}

/** Reads and checks a scenario file; every problem is an InputError naming the file and the field. */
export async function loadScenario(path: string): Promise<Scenario> {
  const text = new TextDecoder().decode(await readInputFile(path, 'scenario'));
  let raw: Json;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${path} is not JSON: ${messageOf(e)}`);
  }
  const f = new Fields(path);
  const base = dirname(path);
  const root = f.object(raw, 'the scenario');
  f.known(root, 'the scenario', ['client', 'server', 'resolve', 'time']);
  const c = f.object(root.client, 'client');
  f.known(c, 'client', CLIENT_FIELDS);
  const s = f.object(root.server, 'server');

  const driver = f.string(c.driver, 'client.driver');
  if (!isOneOf(DRIVERS, driver)) f.fail('client.driver', `one of ${DRIVERS.join(', ')}`, driver);
  const client: Record<string, unknown> = { driver, conninfo: f.string(c.conninfo, 'client.conninfo') };
  const version = f.optString(c.version, 'client.version');
  // libpq's rules differ by major version; one the engine does not model would silently be 17's.
  if (driver === 'libpq' && version !== undefined && !isOneOf(LIBPQ_VERSIONS, version.split('.')[0]!))
    f.fail(
      'client.version',
      `a libpq major version the engine models (${LIBPQ_VERSIONS.join(', ')})`,
      version,
    );
  put(client, 'version', version);
  put(client, 'osUser', f.optString(c.osUser, 'client.osUser'));
  put(client, 'home', f.optString(c.home, 'client.home'));
  put(client, 'cwd', f.optString(c.cwd, 'client.cwd'));
  if (c.env !== undefined) client.env = f.stringMap(c.env, 'client.env');
  if (c.files !== undefined) {
    const files: Record<string, string> = {};
    for (const [k, v] of Object.entries(f.stringMap(c.files, 'client.files')))
      files[k] = (await inline(v as string, base, `client.files["${k}"]`)) as string;
    client.files = files;
  }

  if (typeof s.ssl !== 'boolean') f.fail('server.ssl', 'true or false', s.ssl);
  const server: Record<string, unknown> = { ssl: s.ssl, hba: f.strings(s.hba, 'server.hba') };
  for (const key of ['certificateChain', 'caFile'] as const) {
    const text = await inline(f.optString(s[key], `server.${key}`), base, `server.${key}`);
    // A server with ssl = off never loads them.
    put(server, key, s.ssl ? f.certificates(text, `server.${key}`) : text);
  }
  put(server, 'keyType', f.optString(s.keyType, 'server.keyType'));
  for (const key of ['minProtocol', 'maxProtocol'] as const)
    put(server, key, f.tlsVersion(s[key], `server.${key}`));
  // One field for the server's version: the engine reads server.majorVersion (a number); an older or misspelt
  // `server.version` would otherwise be dropped silently and the default (17) used.
  if (s.version !== undefined)
    throw new InputError(
      `${path}: server.version is not a scenario field; write the server's PostgreSQL major version as server.majorVersion, a number (e.g. "majorVersion": 16)`,
    );
  f.known(s, 'server', SERVER_FIELDS);
  if (s.majorVersion !== undefined) {
    const problem = majorVersionProblem(s.majorVersion);
    if (problem !== null) throw new InputError(`${path}: server.majorVersion: ${problem}`);
    server.majorVersion = s.majorVersion;
  }
  for (const key of ['requireSecureTransport', 'rdsForceSsl'] as const)
    put(server, key, f.optBoolean(s[key], `server.${key}`));
  if (s.users !== undefined) server.users = f.stringMap(s.users, 'server.users', true);
  if (s.databases !== undefined) server.databases = f.strings(s.databases, 'server.databases');
  if (s.listen !== undefined) server.listen = f.strings(s.listen, 'server.listen');
  if (s.port !== undefined) {
    if (typeof s.port !== 'number' || !Number.isInteger(s.port) || s.port < 1 || s.port > 65535)
      f.fail('server.port', 'a port number (1-65535)', s.port);
    server.port = s.port;
  }
  if (s.preset !== undefined) {
    const preset = f.string(s.preset, 'server.preset');
    if (!isOneOf(SERVER_PRESETS, preset))
      f.fail('server.preset', `one of ${SERVER_PRESETS.join(', ')}`, preset);
    server.preset = preset;
  }

  const scenario: Record<string, unknown> = { client, server };
  if (root.resolve !== undefined) {
    const r = f.object(root.resolve, 'resolve');
    scenario.resolve = Object.fromEntries(
      Object.entries(r).map(([host, addrs]) => [host, f.strings(addrs, `resolve["${host}"]`)]),
    );
  }
  if (root.time !== undefined)
    scenario.time = parseIsoDate(f.string(root.time, 'time'), `${path}: time`).toISOString();
  return scenario as unknown as Scenario;
}

/** The outcome first (connected or the exact error), then protection, the fix, and every step. */
export function formatOutcome(o: ConnectionOutcome, color = false): string {
  const paint = painter(color);
  const out: string[] = [];
  const who = `${o.driver} ${o.version}, sslmode ${o.sslmode}`;
  if (o.connected) {
    const how = o.encrypted
      ? `encrypted (${o.protocol ?? 'TLS'}); chain ${o.chainVerified ? 'verified' : 'NOT verified'}; host name ${o.hostnameVerified ? 'verified' : 'NOT verified'}`
      : paint('yellow', 'NOT encrypted');
    out.push(`${paint('green', paint('bold', 'CONNECTED'))}, ${how} (${who})`);
  } else {
    out.push(`${paint('red', paint('bold', 'FAILS'))} (${who})${o.error === undefined ? '' : ':'}`);
    for (const line of (o.error ?? '').split('\n')) if (line) out.push(`  ${line}`);
  }
  if (o.serverNotStarted) {
    out.push(`${paint('red', 'The server did not start')}; its log (${o.serverNotStarted.file}):`);
    for (const line of o.serverNotStarted.log) out.push(`  ${line}`);
  }
  for (const w of o.warnings)
    out.push(`${paint('yellow', 'Warning')} (printed by the client):`, ...w.split('\n').map((l) => `  ${l}`));
  // As the web app's outcome card: a protection line for a connection, what was exposed for a failure.
  if (o.fix) out.push(`${paint('bold', o.connected ? 'What to change:' : 'Fix:')} ${o.fix}`);
  if (o.connected)
    out.push(
      `${paint('bold', 'Protection:')} eavesdropping ${o.protection.eavesdropping ? 'protected' : 'EXPOSED'}; MITM ${o.protection.mitm}${o.protection.downgradePossible ? '; downgrade possible' : ''}`,
    );
  out.push(`  ${protectionText(o, outcomeFacts(o))}`);
  if (o.serverCertificate) {
    const c = o.serverCertificate;
    out.push(
      `${paint('bold', 'Server certificate:')} ${c.subject} (${c.keyType}), names ${c.names.join(', ')}, valid until ${c.notAfter}`,
    );
  }
  if (o.clientCertificate)
    out.push(
      `${paint('bold', 'Client certificate:')} ${o.clientCertificate.subject}${o.clientCertificate.verdict ? ` (${o.clientCertificate.verdict})` : ''}`,
    );
  out.push(paint('bold', 'Steps:'));
  for (const s of o.steps) {
    out.push(`  [${s.attempt}] ${s.kind.padEnd(12)} ${s.status.padEnd(4)} ${s.detail}`);
    out.push(`      rule ${s.rule} — ${s.source}`);
  }
  out.push(`Used by: ${o.usedBy.join('; ')}`);
  return out.join('\n');
}

async function diagnose(text: string, json: boolean, io: CliIo): Promise<number> {
  // As the web app's troubleshooter: the reproduction is offered only when running it prints the pasted text.
  const { diagnosis: d, match } = await troubleshoot(text);
  const reproduces = match === 'exact' || match === 'partial';
  if (json) {
    const { reproduce, ...rest } = d;
    io.out(
      JSON.stringify({ ...rest, ...(reproduce && reproduces ? { reproduce, match } : {}) }, null, 2) + '\n',
    );
  } else {
    const paint = painter(io.color);
    const lines = [
      `${paint('bold', d.id === 'unknown' ? 'NOT RECOGNISED' : 'MEANING')}: ${d.meaning}`,
      ...(d.notSslmode ? [paint('bold', NOT_SSLMODE)] : []),
      'Likely causes:',
      ...d.causes.map((c, i) => `  ${i + 1}. ${c}`),
    ];
    if (d.rule) lines.push(`Rule: ${d.rule.id} — ${d.rule.source}`);
    if (d.reproduce && reproduces)
      lines.push(`Reproduce (scenario JSON). ${MATCH_TEXT[match]}`, JSON.stringify(d.reproduce, null, 2));
    else if (d.id !== 'unknown') lines.push(MATCH_TEXT[match]);
    io.out(lines.join('\n') + '\n');
  }
  return d.id === 'unknown' ? 1 : 0;
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const args = argv[0] === 'sslmode' ? argv.slice(1) : [...argv];
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  try {
    if (rest[0] === '--diagnose') {
      const text = rest.slice(1).join(' ');
      if (!text.trim()) throw new InputError('--diagnose needs the error text');
      return await diagnose(text, json, io);
    }
    const option = rest.find((a) => a.startsWith('-') && a !== '-');
    if (option !== undefined) throw new InputError(`unknown option "${option}"`);
    if (rest.length !== 1)
      throw new InputError(rest.length ? 'one scenario file at a time' : 'no scenario file given');
    const scenario = await loadScenario(rest[0]!);
    let outcome: ConnectionOutcome;
    try {
      outcome = await explainConnection(scenario);
    } catch (e) {
      throw new Error(`the engine could not evaluate ${rest[0]}: ${messageOf(e)}`);
    }
    io.out((json ? JSON.stringify(outcome, null, 2) : formatOutcome(outcome, io.color)) + '\n');
    return outcome.connected ? 0 : 1;
  } catch (e) {
    io.err(`tls-lab sslmode: ${messageOf(e)}\n`);
    if (e instanceof InputError) io.err('Run `tls-lab sslmode --help` for the scenario format.\n');
    return 2;
  }
}
