/**
 * Oracle: what the real psql 15 (its libpq and the machine's OpenSSL 3) prints for each TLS 1.3 fault preset.
 * The server side of each fault is staged with OUR TLS 1.3 server behind a tiny PostgreSQL front
 * (tests/kit/programs/pg-front13.ts) on 127.0.0.1, and psql connects with sslmode=verify-full and the demo PKI's
 * root. psql's error must be the preset's `libpq` text, and the alert must be the preset's `alert`: the one psql's
 * OpenSSL sends (read by our server) when psql notices, the one our server sends when the server does.
 * The client-certificate presets are also run against a real PostgreSQL 15 (ssl_ca_file, a pg_hba `cert` line),
 * which asks for a certificate but does not require one in the handshake.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  faultPresets,
  findFault,
  type FaultId,
  type FaultPreset,
} from '../../src/content/handshake/faults.ts';
import { pemToDer } from '../../src/lib/tls12/handshake/index.ts';
import { pkiVerifier } from '../../src/lib/tls12/pki-verifier.ts';
import { NamedGroup } from '../../src/lib/tls12/wire/code-points.ts';
import { decodeRecord } from '../../src/lib/tls12/wire/record.ts';
import {
  decodeClientHello13,
  hideSupportedVersions,
  type Server13Config,
} from '../../src/lib/tls13/index.ts';
import { testPki } from '../kit/pure/pki.ts';
import { PgFront13, runPsql, type FrontOptions } from '../kit/programs/pg-front13.ts';
import { PgOracleServer, type PsqlProgram } from '../kit/programs/postgres-oracle.ts';
import { ensureLibpq18, SHIM } from '../kit/programs/libpq18.ts';

const DEMO = resolve('fixtures/demo-pki');
const ROOT = join(DEMO, 'root.crt');
const pem = (name: string) => readFileSync(join(DEMO, name), 'utf8');
const identity = (name: string) => ({
  chain: pemToDer(pem(`${name}.crt`), 'CERTIFICATE'),
  privateKey: pemToDer(pem(`${name}.key`), 'PRIVATE KEY')[0]!,
});
/** Our server's client-certificate check: only the demo root is trusted. */
const clientVerifier = pkiVerifier({
  anchors: pemToDer(pem('root.crt'), 'CERTIFICATE'),
  checkHostName: false,
});

let front: PgFront13;
let home: string;
/** sslcert/sslkey of a client certificate from a CA neither our server nor PostgreSQL trusts. */
let clientCert: string;
beforeAll(async () => {
  front = await PgFront13.start();
  const dir = mkdtempSync(join(tmpdir(), 'tls-lab-psql13-'));
  home = join(dir, 'home');
  mkdirSync(home);
  const pki = await testPki();
  writeFileSync(join(dir, 'client.crt'), pki.client.certPem);
  writeFileSync(join(dir, 'client.key'), pki.client.keyPem, { mode: 0o600 });
  chmodSync(join(dir, 'client.key'), 0o600);
  clientCert = `sslcert=${join(dir, 'client.crt')} sslkey=${join(dir, 'client.key')}`;
});
afterAll(() => front.close());

let python: string | undefined;
/** libpq 18 (psycopg's wheel, with its own OpenSSL) through the shim, in psql's place. */
function libpq18(): PsqlProgram {
  python ??= ensureLibpq18().python;
  return { command: python, args: [SHIM] };
}

const conninfo = (port: number, extra = '') =>
  `host=127.0.0.1 port=${port} user=app dbname=app sslmode=verify-full sslrootcert=${ROOT} ${extra}`.trim();
const failed = (port: number, text: string) =>
  `connection to server at "127.0.0.1", port ${port} failed: ${text}`;

/** The on-path attacker of tls13-downgrade (the lab's): psql's ClientHello reaches our server without supported_versions. */
function hideFromServer(record: Uint8Array): Uint8Array {
  const out = hideSupportedVersions(record);
  const { message: hello } = decodeClientHello13(decodeRecord(out).message.fragment);
  expect(hello.extensions.some((e) => e.kind === 'supported_versions')).toBe(false);
  return out;
}

/** psql against our server staged with `server`: what psql printed and what our server logged. */
async function stage(
  server: Partial<Server13Config>,
  extra = '',
  options: FrontOptions = {},
  program?: PsqlProgram,
) {
  const next = front.next({ certificates: [identity('server-rsa')], ...server }, options);
  const run = await runPsql(conninfo(front.port, extra), home, program);
  const ours = await next;
  await ours.idle();
  const alerts = ours.eventLog.flatMap((e) => (e.kind === 'alert' ? [`${e.from} ${e.name}`] : []));
  return { run, ours, alerts };
}

const preset = (id: FaultId): FaultPreset => {
  const f = findFault(id);
  expect(f?.tls, id).toBe('1.3');
  return f!;
};

interface Case {
  readonly id: FaultId;
  readonly server: Partial<Server13Config>;
  /** Which side notices the fault and sends the preset's alert. */
  readonly noticedBy: 'client' | 'server';
  /** psql offers the client certificate from an unknown CA (sslcert/sslkey). */
  readonly clientCertificate?: boolean;
  readonly options?: FrontOptions;
}

const CASES: Case[] = [
  { id: 'tls13-hrr-unacceptable', server: { tamper: 'hrr-unoffered-group' }, noticedBy: 'client' },
  {
    id: 'tls13-bad-certificate-verify',
    server: { certificates: [identity('server-ecdsa')], tamper: 'certificate-verify' },
    noticedBy: 'client',
  },
  { id: 'tls13-bad-finished', server: { tamper: 'finished' }, noticedBy: 'client' },
  { id: 'tls13-unknown-ca', server: { certificates: [identity('server-untrusted')] }, noticedBy: 'client' },
  {
    id: 'tls13-client-cert-required',
    server: { requestClientCertificate: true, requireClientCertificate: true, clientVerifier },
    noticedBy: 'server',
  },
  {
    id: 'tls13-client-cert-unknown-ca',
    server: { requestClientCertificate: true, clientVerifier },
    noticedBy: 'server',
    clientCertificate: true,
  },
  {
    id: 'tls13-downgrade',
    server: { allowTls12: true },
    noticedBy: 'client',
    options: { rewriteClientHello: hideFromServer },
  },
];

describe('psql 15 against our TLS 1.3 server, one fault preset at a time', () => {
  it('stages every TLS 1.3 preset', () => {
    const staged = [...CASES.map((c) => c.id), 'tls13-hello-retry'].sort();
    expect(staged).toEqual(
      faultPresets
        .filter((f) => f.tls === '1.3')
        .map((f) => f.id)
        .sort(),
    );
  });

  it.each(CASES)("$id: psql prints the preset's text; the $noticedBy sends its alert", async (c) => {
    const f = preset(c.id);
    const { run, alerts, ours } = await stage(c.server, c.clientCertificate ? clientCert : '', c.options);
    expect(run.code, run.stdout).toBe(2);
    expect(run.error).toBe(failed(front.port, f.libpq!));
    expect(alerts, JSON.stringify(ours.closedReason)).toEqual([`${c.noticedBy} ${f.alert}`]);
  });

  it('tls13-hello-retry: psql shares x25519, our server wants P-256, psql retries and connects over TLS 1.3', async () => {
    expect(preset('tls13-hello-retry').alert).toBeUndefined();
    const { run, ours, alerts } = await stage({ groups: [NamedGroup.values.secp256r1] });
    expect(run.error).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('SSL connection (protocol: TLSv1.3');
    expect(ours.summary13?.helloRetryRequest).toBe(true);
    expect(ours.summary13?.group).toBe(NamedGroup.values.secp256r1);
    expect(alerts).toEqual(['client close_notify', 'server close_notify']);
  });

  it('tls13-bad-certificate-verify with the RSA certificate: psql names an RSA-PSS check, as the preset says', async () => {
    const f = preset('tls13-bad-certificate-verify');
    const { run, alerts } = await stage({ tamper: 'certificate-verify' });
    // The flipped signature decrypts to a random block; OpenSSL's RSA_verify_PKCS1_PSS_mgf1 reports the first of
    // its checks that fails (the top bit, 1 in 2; then the 0xbc trailer, 255 in 256; rarely a later one), and
    // libpq prints the first error on OpenSSL's queue, this one, not the TLS layer's "bad signature" after it.
    expect(run.error.slice(failed(front.port, '').length)).toMatch(
      /^SSL error: (first octet invalid|last octet invalid|salt length recovery failed|salt length check failed)$/,
    );
    expect(f.libpqContext).toMatch(/RSA-PSS check .*"first octet invalid" or "last octet invalid"/);
    expect(alerts).toEqual([`client ${f.alert}`]);
  });

  it.each(CASES)(
    "$id with libpq 18 (psycopg's wheel, its OpenSSL 3.5): the preset's text, or its libpqOpenssl35 where they differ",
    async (c) => {
      // A review found OpenSSL 3.5's "provider signature failure" for the ECDSA signature psql 15 calls "bad signature".
      const f = preset(c.id);
      const { run, alerts } = await stage(
        c.server,
        c.clientCertificate ? clientCert : '',
        c.options,
        libpq18(),
      );
      expect(run.code, run.stdout).not.toBe(0);
      expect(run.error).toBe(failed(front.port, f.libpqOpenssl35 ?? f.libpq!));
      expect(alerts).toEqual([`${c.noticedBy} ${f.alert}`]);
    },
  );

  it('without the on-path rewrite, the same server (allowTls12) serves psql TLS 1.3', async () => {
    const { run, ours } = await stage({ allowTls12: true });
    expect(run.code, run.error).toBe(0);
    expect(run.stdout).toContain('SSL connection (protocol: TLSv1.3');
    expect(ours.summary13).toBeDefined();
  });
});

describe('psql 15 against a real PostgreSQL 15 that asks for client certificates', () => {
  let pg: PgOracleServer;
  beforeAll(async () => {
    pg = await PgOracleServer.start(['hostssl all app 127.0.0.1/32 cert'], 'create role app login');
    await pg.configure({
      name: 'client-certificates',
      ssl: true,
      chainPem: pem('server-rsa.crt'),
      keyPem: pem('server-rsa.key'),
      caPem: pem('root.crt'),
      minProtocol: 'TLSv1.3',
    });
  });
  afterAll(() => pg?.stop());

  const connect = (extra = '') =>
    pg.psql(conninfo(pg.port, extra).replace('dbname=app', 'dbname=postgres'), { home: pg.home({}) });

  it('tls13-client-cert-required: no certificate passes the handshake; pg_hba refuses (the preset says so)', async () => {
    const r = await connect();
    const refusal = 'FATAL:  connection requires a valid client certificate';
    expect(r.error).toBe(failed(pg.port, refusal));
    expect(preset('tls13-client-cert-required').libpqContext).toContain(`"${refusal}"`);
  });

  it('tls13-client-cert-unknown-ca: PostgreSQL rejects the certificate in the handshake with the same text', async () => {
    const r = await connect(clientCert);
    expect(r.error).toBe(failed(pg.port, preset('tls13-client-cert-unknown-ca').libpq!));
  });
});
