/**
 * Client certificates in the sslmode engine, piece by piece: key/certificate matching (X509_check_private_key),
 * the server's verification against ssl_ca_file with OpenSSL's alert, pg_hba clientcert / cert / clientname
 * parsing (hba.c) and the auth.c checks, then whole scenarios for libpq and node-postgres. The oracle
 * (tests/oracle/sslmode-*.test.ts, blocks H) proves the texts against psql and pg on a real server; these pin
 * the parts it does not reach (RSA and PKCS#1 keys, encrypted keys, map=, PGSSLCERT/PGSSLKEY).
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAMPLE_LEAF_GOOD, SAMPLE_ROOT_A } from '../../../src/lib/sslmode/samples/server-pki.ts';
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
} from '../../../src/lib/sslmode/samples/client-pki.ts';
import {
  loadLibpqClientCert,
  nodeAlertMessage,
  readClientCertFile,
  verifyClientChain,
} from '../../../src/lib/sslmode/clientcert.ts';
import { parseHba } from '../../../src/lib/sslmode/hba.ts';
import { matchKeyToCert } from '../../../src/lib/pki/index.ts';
import { explainConnection } from '../../../src/lib/sslmode/index.ts';
import { serverStartup } from '../../../src/lib/sslmode/server.ts';
import type { Scenario, ServerSpec } from '../../../src/lib/sslmode/types.ts';

const demo = (name: string): string => readFileSync(`fixtures/demo-pki/${name}`, 'utf8');
const TIME = new Date('2026-01-01T00:00:00Z');

async function certOf(pem: string) {
  const f = await readClientCertFile(pem);
  if ('error' in f) throw new Error(f.error);
  return f.cert;
}

describe('key file vs certificate (X509_check_private_key)', () => {
  it('matches EC P-256 and RSA keys with their certificates and refuses the others', async () => {
    const ec = await certOf(demo('server-ecdsa.crt'));
    const rsa = await certOf(demo('server-rsa.crt'));
    expect(await matchKeyToCert(demo('server-ecdsa.key'), ec)).toEqual({ kind: 'match' });
    expect(await matchKeyToCert(demo('server-rsa.key'), rsa)).toEqual({ kind: 'match' });
    expect(await matchKeyToCert(demo('server-rsa.key'), ec)).toEqual({ kind: 'mismatch' });
    expect(await matchKeyToCert(demo('server-other-host.key'), ec)).toEqual({ kind: 'mismatch' });
    expect(await matchKeyToCert(SAMPLE_CLIENT_OTHER_KEY, await certOf(SAMPLE_CLIENT_APP_CERT))).toEqual({
      kind: 'mismatch',
    });
  });
  it('reads a PKCS#1 "RSA PRIVATE KEY" file too', async () => {
    const pkcs1 = createPrivateKey(demo('server-rsa.key')).export({ type: 'pkcs1', format: 'pem' });
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    expect(await matchKeyToCert(String(pkcs1), await certOf(demo('server-rsa.crt')))).toEqual({
      kind: 'match',
    });
  });
  it('says when it cannot tell (encrypted key) or the file holds no key', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const encrypted = privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'pw',
    });
    const cert = await certOf(SAMPLE_CLIENT_APP_CERT);
    expect((await matchKeyToCert(String(encrypted), cert)).kind).toBe('unknown');
    expect((await matchKeyToCert('just text', cert)).kind).toBe('unreadable');
  });
});

describe("the server verifies the client's certificate against ssl_ca_file", () => {
  it('accepts a certificate from the client CA and sends OpenSSL alerts for the others', async () => {
    const ok = await verifyClientChain({
      chainPem: SAMPLE_CLIENT_APP_CERT,
      caPem: SAMPLE_CLIENT_CA,
      time: TIME,
    });
    expect(ok.trusted).toBe(true);
    const expired = await verifyClientChain({
      chainPem: SAMPLE_CLIENT_EXPIRED_CERT,
      caPem: SAMPLE_CLIENT_CA,
      time: TIME,
    });
    expect([expired.alert, expired.alertReason]).toEqual([45, 'sslv3 alert certificate expired']);
    const untrusted = await verifyClientChain({
      chainPem: SAMPLE_CLIENT_UNTRUSTED_CERT,
      caPem: SAMPLE_CLIENT_CA,
      time: TIME,
    });
    expect([untrusted.alert, untrusted.alertReason]).toEqual([48, 'tlsv1 alert unknown ca']);
  });
  it('checks the client purpose: a serverAuth-only leaf is an unsupported certificate', async () => {
    const v = await verifyClientChain({ chainPem: SAMPLE_LEAF_GOOD, caPem: SAMPLE_ROOT_A, time: TIME });
    expect(v.trusted).toBe(false);
    expect(v.error?.code).toBe('X509_V_ERR_INVALID_PURPOSE');
    expect(v.alertReason).toBe('sslv3 alert unsupported certificate');
  });
  it("formats Node's alert error like OpenSSL 3 (reason 1000 + alert, without the thread id)", () => {
    expect(nodeAlertMessage(48)).toBe(
      'error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 48\n',
    );
  });
});

describe('libpq client certificate files (initialize_SSL)', () => {
  const base = { sslcert: undefined, sslkey: undefined, sslcertmode: undefined, home: '/home/app' };
  it('takes ~/.postgresql/postgresql.crt and .key by default, printing the expanded HOME', async () => {
    const missingKey = await loadLibpqClientCert({
      ...base,
      files: { '~/.postgresql/postgresql.crt': SAMPLE_CLIENT_APP_CERT },
    });
    expect(missingKey).toMatchObject({
      kind: 'error',
      text: 'certificate present, but not private key file "/home/app/.postgresql/postgresql.key"',
    });
    const loaded = await loadLibpqClientCert({
      ...base,
      files: {
        '~/.postgresql/postgresql.crt': SAMPLE_CLIENT_APP_CERT,
        '~/.postgresql/postgresql.key': SAMPLE_CLIENT_APP_KEY,
      },
    });
    expect(loaded).toMatchObject({ kind: 'loaded', peer: { cn: 'app', dn: 'CN=app' } });
  });
  it('sends nothing when sslcert names a missing file or sslcertmode=disable', async () => {
    expect((await loadLibpqClientCert({ ...base, sslcert: '/nowhere/client.crt', files: {} })).kind).toBe(
      'none',
    );
    expect(
      (
        await loadLibpqClientCert({
          ...base,
          sslcertmode: 'disable',
          files: { '~/.postgresql/postgresql.crt': SAMPLE_CLIENT_APP_CERT },
        })
      ).kind,
    ).toBe('none');
  });
  it('reports a key of another certificate as OpenSSL does while loading it', async () => {
    const out = await loadLibpqClientCert({
      ...base,
      sslcert: 'c.crt',
      sslkey: 'c.key',
      files: { 'c.crt': SAMPLE_CLIENT_APP_CERT, 'c.key': SAMPLE_CLIENT_OTHER_KEY },
    });
    expect(out).toMatchObject({
      kind: 'error',
      text: 'could not load private key file "c.key": key values mismatch',
    });
  });
});

describe('pg_hba.conf client-certificate options (hba.c)', () => {
  it("rejects cert and clientname outside hostssl and bad values, with the server's texts", () => {
    expect(parseHba(['host all all all cert'])).toMatchObject({
      ok: false,
      error: 'cert authentication is only supported on hostssl connections',
    });
    expect(parseHba(['host all all all trust clientname=DN'])).toMatchObject({
      ok: false,
      error: 'clientname can only be configured for "hostssl" rows',
    });
    expect(parseHba(['hostssl all all all cert clientname=cn'])).toMatchObject({
      ok: false,
      error: 'invalid value for clientname: "cn"',
    });
    expect(parseHba(['hostssl all all all trust clientcert=1'])).toMatchObject({
      ok: false,
      error: 'invalid value for clientcert: "1"',
    });
  });
});

describe('auth.c with a client certificate', () => {
  const lines = (text: string) => {
    const r = parseHba([text]);
    if (!r.ok) throw new Error(r.error);
    return r.lines;
  };
  const server: ServerSpec = { ssl: true, hba: [], caFile: SAMPLE_CLIENT_CA };
  const req = {
    ssl: true,
    user: 'app',
    database: 'app',
    password: undefined as string | undefined,
    clientAddress: '10.0.0.2',
    serverAddresses: ['10.0.0.1'],
  };
  const app = { cn: 'app', dn: 'CN=app' };
  const other = { cn: 'someone-else', dn: 'CN=someone-else' };
  it('needs ssl_ca_file, then a certificate', () => {
    const l = lines('hostssl all all all trust clientcert=verify-ca');
    expect(
      serverStartup({ ...server, caFile: undefined }, l, { ...req, clientCertificate: app }),
    ).toMatchObject({
      ok: false,
      sqlstate: 'F0000',
      message: 'client certificates can only be checked if a root certificate store is available',
    });
    expect(serverStartup(server, l, { ...req, clientCertificate: null })).toMatchObject({
      ok: false,
      message: 'connection requires a valid client certificate',
    });
    expect(serverStartup(server, l, { ...req, clientCertificate: other }).ok).toBe(true);
  });
  it('verify-full and cert compare the CN (or the DN with clientname=DN) with the user name', () => {
    expect(
      serverStartup(server, lines('hostssl all all all trust clientcert=verify-full'), {
        ...req,
        clientCertificate: other,
      }),
    ).toMatchObject({ ok: false, message: '"trust" authentication failed for user "app"' });
    expect(
      serverStartup(server, lines('hostssl all all all cert'), { ...req, clientCertificate: other }),
    ).toMatchObject({ ok: false, message: 'certificate authentication failed for user "app"' });
    expect(
      serverStartup(server, lines('hostssl all all all cert'), { ...req, clientCertificate: app }).ok,
    ).toBe(true);
    expect(
      serverStartup(server, lines('hostssl all all all cert clientname=DN'), {
        ...req,
        user: 'CN=app',
        clientCertificate: app,
      }).ok,
    ).toBe(true);
  });
  it('checks the password first under scram-sha-256 clientcert=verify-full, and names map= as not modelled', () => {
    const l = lines('hostssl all all all scram-sha-256 clientcert=verify-full');
    expect(
      serverStartup({ ...server, users: { app: 'pw' } }, l, {
        ...req,
        password: 'bad',
        clientCertificate: other,
      }),
    ).toMatchObject({
      ok: false,
      sqlstate: '28P01',
      message: 'password authentication failed for user "app"',
    });
    const mapped = serverStartup(server, lines('hostssl all all all cert map=certs'), {
      ...req,
      clientCertificate: other,
    });
    expect(mapped.ok).toBe(false);
    expect(mapped.ok ? '' : mapped.detail).toContain('map=certs is not modelled');
  });
});

describe('whole scenarios', () => {
  const server: ServerSpec = {
    ssl: true,
    certificateChain: SAMPLE_LEAF_GOOD,
    caFile: SAMPLE_CLIENT_CA,
    hba: ['hostssl all all 127.0.0.1/32 cert'],
  };
  const libpq = (files: Record<string, string>, extra = '', srv: ServerSpec = server) =>
    explainConnection({
      client: {
        driver: 'libpq',
        version: '17',
        conninfo: `host=127.0.0.1 user=app sslmode=prefer${extra}`,
        files,
        home: '/home/app',
      },
      server: srv,
      time: TIME,
    } satisfies Scenario);
  const home = (cert: string, key: string) => ({
    '~/.postgresql/postgresql.crt': cert,
    '~/.postgresql/postgresql.key': key,
  });
  it('libpq connects with the right certificate and records each client-certificate step', async () => {
    const out = await libpq(home(SAMPLE_CLIENT_APP_CERT, SAMPLE_CLIENT_APP_KEY));
    expect(out.connected).toBe(true);
    const cc = out.steps.filter((s) => s.kind === 'client-cert');
    expect(cc.map((s) => [s.status, s.rule])).toEqual([
      ['info', 'libpq.clientcert.files'],
      ['ok', 'server.clientcert.request'],
    ]);
    expect(out.protection.explanation).toContain('mutual TLS');
    expect(out.clientCertificate).toEqual({ subject: 'CN=app', verdict: 'accepted' });
    const none = await libpq({}, '', {
      ...server,
      hba: ['hostssl all all 127.0.0.1/32 trust clientcert=verify-ca'],
    });
    expect(none.protection.explanation).not.toContain('mutual TLS');
    expect(none.fix).toContain('ssl_ca_file');
  });
  it('libpq under TLS 1.3 does not retry a rejected certificate in prefer; under TLS 1.2 it does', async () => {
    const files = home(SAMPLE_CLIENT_EXPIRED_CERT, SAMPLE_CLIENT_EXPIRED_KEY);
    const t13 = await libpq(files);
    expect(t13.error).toBe(
      'connection to server at "127.0.0.1", port 5432 failed: SSL error: sslv3 alert certificate expired',
    );
    const t12 = await libpq(files, '', { ...server, maxProtocol: 'TLSv1.2' });
    expect(t12.error).toBe(
      'connection to server at "127.0.0.1", port 5432 failed: SSL error: sslv3 alert certificate expired\n' +
        'connection to server at "127.0.0.1", port 5432 failed: FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption',
    );
  });
  it('libpq reads PGSSLCERT / PGSSLKEY', async () => {
    const out = await explainConnection({
      client: {
        driver: 'libpq',
        conninfo: 'host=127.0.0.1 user=app sslmode=require',
        env: { PGSSLCERT: '/etc/app/c.crt', PGSSLKEY: '/etc/app/c.key' },
        files: {
          '/etc/app/c.crt': SAMPLE_CLIENT_UNTRUSTED_CERT,
          '/etc/app/c.key': SAMPLE_CLIENT_UNTRUSTED_KEY,
        },
      },
      server,
      time: TIME,
    });
    expect(out.error).toBe(
      'connection to server at "127.0.0.1", port 5432 failed: SSL error: tlsv1 alert unknown ca',
    );
  });
  it('node-postgres: key mismatch, the alert and the CN check', async () => {
    const node = (cert: string, key: string) =>
      explainConnection({
        client: {
          driver: 'node-postgres',
          conninfo: 'postgres://app@127.0.0.1/app?sslmode=no-verify&sslcert=c.crt&sslkey=c.key',
          files: { 'c.crt': cert, 'c.key': key },
        },
        server,
        time: TIME,
      });
    expect((await node(SAMPLE_CLIENT_APP_CERT, SAMPLE_CLIENT_OTHER_KEY)).error).toBe(
      'error:05800074:x509 certificate routines::key values mismatch',
    );
    const untrusted = await node(SAMPLE_CLIENT_UNTRUSTED_CERT, SAMPLE_CLIENT_UNTRUSTED_KEY);
    expect(untrusted.error).toBe(nodeAlertMessage(48));
    expect(untrusted.clientCertificate).toEqual({ subject: 'CN=app', verdict: 'rejected' });
    expect((await node(SAMPLE_CLIENT_OTHER_CERT, SAMPLE_CLIENT_OTHER_KEY)).error).toBe(
      'certificate authentication failed for user "app"',
    );
    expect((await node(SAMPLE_CLIENT_APP_CERT, SAMPLE_CLIENT_APP_KEY)).connected).toBe(true);
  });
});
