/**
 * pgJDBC, Npgsql and pgx rule tables, pinned as read in each driver's source (cited in DRIVER_RULES and below)
 * against the same generated PKI the PostgreSQL oracle uses; chain checks go through the real certificate engine.
 * No .NET or Go client runs in this project (see docs/sslmode-rules.md); the real pgJDBC does, in
 * tests/oracle/sslmode-pgjdbc.test.ts, and the pgJDBC cases here are ones it proved.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DRIVER_RULES, explainConnection, SSLMODES } from '../../../src/lib/sslmode/index.ts';
import type { Scenario } from '../../../src/lib/sslmode/types.ts';
import { makeOraclePki, type OraclePki } from '../../kit/pure/postgres-pki.ts';

let pki: OraclePki;
beforeAll(async () => {
  pki = await makeOraclePki();
});

const server = (over: Partial<Scenario['server']> = {}): Scenario['server'] => ({
  ssl: true,
  certificateChain: pki.servers.good.chainPem,
  hba: ['host all all 127.0.0.1/32 trust'],
  ...over,
});

describe('every rule-table row cites its source', () => {
  it.each(Object.values(DRIVER_RULES))('$driver', (table) => {
    for (const mode of SSLMODES) {
      expect(table.modes[mode]?.source).toMatch(/^[SD]: /);
    }
    expect(table.fallback.source).toMatch(/^S: /);
    expect(table.sources.length).toBeGreaterThan(0);
  });
});

describe('pgJDBC (pgjdbc SslMode.java, LibPQFactory.java, ConnectionFactoryImpl.java)', () => {
  const jdbc = (
    url: string,
    files: Record<string, string> = {},
    s = server(),
  ): Promise<ReturnType<typeof explainConnection> extends Promise<infer T> ? T : never> =>
    explainConnection({ client: { driver: 'pgjdbc', conninfo: url, files, home: '/home/app' }, server: s });
  it('ssl=true without sslmode means verify-full', async () => {
    const out = await jdbc('jdbc:postgresql://localhost:5432/app?user=app&ssl=true');
    expect(out.sslmode).toBe('verify-full');
    expect(out.error).toBe('Could not open SSL root certificate file /home/app/.postgresql/root.crt.');
  });
  it('ssl=false without sslmode means prefer, not disable', async () => {
    const out = await jdbc('jdbc:postgresql://localhost:5432/app?user=app&ssl=false');
    expect(out.sslmode).toBe('prefer');
    expect(out.encrypted).toBe(true);
  });
  it('require never validates, even with a root.crt for another CA (unlike libpq)', async () => {
    const out = await jdbc('jdbc:postgresql://localhost:5432/app?user=app&sslmode=require', {
      '~/.postgresql/root.crt': pki.rootB,
    });
    expect(out.connected && out.encrypted && !out.chainVerified).toBe(true);
  });
  it('verify-full checks the chain and the host name', async () => {
    const ok = await jdbc('jdbc:postgresql://localhost:5432/app?user=app&sslmode=verify-full', {
      '~/.postgresql/root.crt': pki.rootA,
    });
    expect(ok.hostnameVerified).toBe(true);
    const bad = await jdbc(
      'jdbc:postgresql://localhost:5432/app?user=app&sslmode=verify-full',
      { '~/.postgresql/root.crt': pki.rootA },
      server({ certificateChain: pki.servers.mismatch.chainPem }),
    );
    expect(bad.error).toBe(
      'The hostname localhost could not be verified by hostnameverifier PgjdbcHostnameVerifier.',
    );
  });
  it('prefer retries in plaintext only on SQLSTATE 28000, not on a wrong password', async () => {
    const hba = await jdbc(
      'jdbc:postgresql://localhost:5432/app?user=app',
      {},
      server({ hba: ['hostnossl all all 127.0.0.1/32 trust'] }),
    );
    expect(hba.connected && !hba.encrypted).toBe(true);
    const pw = await jdbc(
      'jdbc:postgresql://localhost:5432/app?user=app&password=bad',
      {},
      server({ hba: ['host all all 127.0.0.1/32 scram-sha-256'], users: { app: 'good' } }),
    );
    expect(pw.error).toBe('FATAL: password authentication failed for user "app"');
    expect(pw.steps.filter((s) => s.kind === 'pg_hba').length).toBe(1);
  });
  it('rejects an unknown sslmode with its own message, and reads a known one in any case', async () => {
    expect((await jdbc('jdbc:postgresql://localhost:5432/app?sslmode=bogus')).error).toBe(
      'Invalid sslmode value: bogus',
    );
    const upper = await jdbc('jdbc:postgresql://localhost:5432/app?user=app&sslmode=REQUIRE');
    expect(upper.sslmode).toBe('require');
    expect(upper.connected && upper.encrypted).toBe(true);
  });
  it("allow: when the encrypted retry fails too, the first (plaintext) attempt's error is raised", async () => {
    const out = await jdbc(
      'jdbc:postgresql://localhost:5432/app?user=app&sslmode=allow',
      {},
      server({ ssl: false, hba: ['hostssl all all 127.0.0.1/32 trust'] }),
    );
    expect(out.error).toBe(
      'FATAL: no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption',
    );
  });
  it("an expired certificate under a trusted root fails the JDK's validation, not its path building", async () => {
    const out = await jdbc(
      'jdbc:postgresql://localhost:5432/app?user=app&sslmode=verify-ca',
      { '~/.postgresql/root.crt': pki.rootA },
      server({ certificateChain: pki.servers.expired.chainPem }),
    );
    expect(out.error).toBe(
      'SSL error: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed',
    );
    const untrusted = await jdbc(
      'jdbc:postgresql://localhost:5432/app?user=app&sslmode=verify-ca',
      { '~/.postgresql/root.crt': pki.rootB },
      server({ certificateChain: pki.servers.expired.chainPem }),
    );
    expect(untrusted.error).toMatch(
      /^SSL error: PKIX path building failed: .*unable to find valid certification path/,
    );
  });
  it("the JDK never checks a trust anchor's own dates, and trusts a served certificate found in the root file as it is", async () => {
    const expiredRoot = await jdbc(
      'jdbc:postgresql://localhost:5432/app?user=app&sslmode=verify-full',
      { '~/.postgresql/root.crt': pki.expiredRootC },
      server({ certificateChain: pki.servers.expiredroot.chainPem }),
    );
    expect(expiredRoot.connected && expiredRoot.chainVerified && expiredRoot.hostnameVerified).toBe(true);
    const expiredSelf = await jdbc(
      'jdbc:postgresql://localhost:5432/app?user=app&sslmode=verify-full',
      { '~/.postgresql/root.crt': pki.expiredSelfSigned },
      server({ certificateChain: pki.servers.expiredself.chainPem }),
    );
    expect(expiredSelf.connected && expiredSelf.chainVerified).toBe(true);
    // Not an intermediate's: that is checked, as every JDK path certificate below the anchor is.
    const expiredInter = await jdbc(
      'jdbc:postgresql://localhost:5432/app?user=app&sslmode=verify-ca',
      { '~/.postgresql/root.crt': pki.rootA },
      server({ certificateChain: pki.servers.expiredinter.chainPem }),
    );
    expect(expiredInter.error).toBe(
      'SSL error: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed',
    );
  });
  it('sslfactory=NonValidatingFactory trusts any certificate and reads no root file; verify-full still checks the host name', async () => {
    const factory = 'sslfactory=org.postgresql.ssl.NonValidatingFactory';
    const selfsigned = await jdbc(
      `jdbc:postgresql://localhost:5432/app?user=app&ssl=true&${factory}`,
      {},
      server({ certificateChain: pki.servers.selfsigned.chainPem }),
    );
    expect(selfsigned.connected && selfsigned.encrypted).toBe(true);
    expect(selfsigned.chainVerified).toBe(false);
    expect(selfsigned.hostnameVerified).toBe(true);
    const mismatch = await jdbc(
      `jdbc:postgresql://localhost:5432/app?user=app&ssl=true&${factory}`,
      {},
      server({ certificateChain: pki.servers.mismatch.chainPem }),
    );
    expect(mismatch.error).toBe(
      'The hostname localhost could not be verified by hostnameverifier PgjdbcHostnameVerifier.',
    );
    const other = await jdbc(
      'jdbc:postgresql://localhost:5432/app?user=app&sslfactory=com.example.MyFactory',
    );
    expect(other.error).toMatch(/^The engine models sslfactory=.* not com\.example\.MyFactory/);
  });
  it('another factory or host-name verifier is named as not modelled only where pgJDBC would use it', async () => {
    const factory = 'sslfactory=com.example.MyFactory';
    // MakeSSL builds the factory once the server answered 'S': never with disable, nor after an 'N'.
    expect(
      (await jdbc(`jdbc:postgresql://localhost:5432/app?user=app&sslmode=disable&${factory}`)).connected,
    ).toBe(true);
    const off = await jdbc(
      `jdbc:postgresql://localhost:5432/app?user=app&${factory}`,
      {},
      server({ ssl: false }),
    );
    expect(off.connected && !off.encrypted).toBe(true);
    const verifier = 'sslhostnameverifier=com.example.AnyName';
    const full = await jdbc(`jdbc:postgresql://localhost:5432/app?user=app&sslmode=verify-full&${verifier}`, {
      '~/.postgresql/root.crt': pki.rootA,
    });
    expect(full.error).toMatch(/^The engine models pgJDBC's own host-name check .* not sslhostnameverifier=/);
    // The root file and the chain come before the verifier (MakeSSL.convert): their failures are pgJDBC's own.
    const noRoot = await jdbc(
      `jdbc:postgresql://localhost:5432/app?user=app&sslmode=verify-full&${verifier}`,
    );
    expect(noRoot.error).toMatch(/^Could not open SSL root certificate file /);
    // pgJDBC's own verifier named: the default check, its text naming the class as given.
    const own = await jdbc(
      'jdbc:postgresql://localhost:5432/app?user=app&sslmode=verify-full&sslhostnameverifier=org.postgresql.ssl.PGjdbcHostnameVerifier',
      { '~/.postgresql/root.crt': pki.rootA },
      server({ certificateChain: pki.servers.mismatch.chainPem }),
    );
    expect(own.error).toBe(
      'The hostname localhost could not be verified by hostnameverifier org.postgresql.ssl.PGjdbcHostnameVerifier.',
    );
    const require = await jdbc(`jdbc:postgresql://localhost:5432/app?user=app&sslmode=require&${verifier}`);
    expect(require.connected && require.encrypted).toBe(true);
  });
  it('ssl=TRUE is ssl=true (Boolean.parseBoolean), and a parameter given twice keeps its last value', async () => {
    expect((await jdbc('jdbc:postgresql://localhost:5432/app?user=app&ssl=TRUE')).sslmode).toBe(
      'verify-full',
    );
    expect(
      (await jdbc('jdbc:postgresql://localhost:5432/app?user=app&sslmode=require&sslmode=verify-ca')).sslmode,
    ).toBe('verify-ca');
  });
});

describe('Npgsql (NpgsqlConnector.cs, NpgsqlConnectionStringBuilder.cs)', () => {
  const npg = (cs: string, s = server()) =>
    explainConnection({
      client: { driver: 'npgsql', conninfo: cs, files: { '~/.postgresql/root.crt': pki.rootB } },
      server: s,
    });
  it('Require does not validate even with a root certificate for another CA', async () => {
    const out = await npg('Host=localhost;Username=app;SSL Mode=Require');
    expect(out.connected && out.encrypted && !out.chainVerified).toBe(true);
  });
  it("Require against ssl=off fails with Npgsql's text", async () => {
    expect((await npg('Host=localhost;Username=app;SslMode=Require', server({ ssl: false }))).error).toBe(
      'SSL connection requested. No SSL enabled connection from this host is configured.',
    );
  });
  it("SSL Mode is Enum.Parse(ignoreCase): member names in any case, not libpq's verify-full", async () => {
    expect((await npg('Host=localhost;Username=app;SSL Mode=verifyca')).sslmode).toBe('verify-ca');
    expect((await npg('Host=localhost;Username=app;SslMode=5')).sslmode).toBe('verify-full');
    const dashed = await npg('Host=localhost;Username=app; SSL Mode =verify-full');
    expect(dashed.connected).toBe(false);
    expect(dashed.error).toBe("Couldn't set ssl mode (Parameter 'ssl mode')");
    expect(dashed.steps[0]?.detail).toContain("Requested value 'verify-full' was not found.");
    expect((await npg('Host=localhost;Username=app;sslmode=verify_full')).error).toBe(
      "Couldn't set sslmode (Parameter 'sslmode')",
    );
  });
  it('Prefer goes plaintext on N and after a failure once SSL was established', async () => {
    expect((await npg('Host=localhost;Username=app', server({ ssl: false }))).encrypted).toBe(false);
    const out = await npg(
      'Host=localhost;Username=app',
      server({ hba: ['hostnossl all all 127.0.0.1/32 trust'] }),
    );
    expect(out.connected && !out.encrypted).toBe(true);
  });
});

describe('pgx v5 (pgconn/config.go configTLS, pgconn.go connectPreferred, errors.go)', () => {
  const pgx = (conninfo: string, files: Record<string, string>, s = server()) =>
    explainConnection({ client: { driver: 'pgx', conninfo, files }, server: s });
  it('prefer never validates, even with ~/.postgresql/root.crt', async () => {
    const out = await pgx('host=localhost user=app', { '~/.postgresql/root.crt': pki.rootB });
    expect(out.connected && out.encrypted && !out.chainVerified).toBe(true);
  });
  it('require verifies the chain when root.crt exists (the sslrootcert default), and says so in ConnectError form', async () => {
    const out = await pgx('host=localhost user=app sslmode=require', { '~/.postgresql/root.crt': pki.rootB });
    expect(out.error).toBe(
      'failed to connect to `user=app database=`: 127.0.0.1:5432 (localhost): failed to write startup message: write failed: x509: certificate signed by unknown authority',
    );
  });
  it('sslrootcert=system forces verify-full whatever sslmode says', async () => {
    expect((await pgx('host=localhost user=app sslmode=disable sslrootcert=system', {})).sslmode).toBe(
      'verify-full',
    );
  });
  it('prefer falls back to plaintext after a TLS error, joining errors only when every attempt fails', async () => {
    const out = await pgx(
      'host=localhost user=app sslmode=prefer',
      {},
      server({ hba: ['hostnossl all all 127.0.0.1/32 trust'] }),
    );
    expect(out.connected && !out.encrypted).toBe(true);
    const both = await pgx(
      'host=localhost user=app sslmode=prefer',
      {},
      server({ hba: ['local all all peer'] }),
    );
    expect(both.error).toBe(
      'failed to connect to `user=app database=`:\n\t127.0.0.1:5432 (localhost): server error: FATAL: no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", SSL encryption (SQLSTATE 28000)\n\t127.0.0.1:5432 (localhost): server error: FATAL: no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption (SQLSTATE 28000)',
    );
  });
  it('a wrong password (28P01) stops without the plaintext retry', async () => {
    const out = await pgx(
      'host=localhost user=app password=bad',
      {},
      server({ hba: ['host all all 127.0.0.1/32 scram-sha-256'], users: { app: 'good' } }),
    );
    expect(out.error).toBe(
      'failed to connect to `user=app database=`: 127.0.0.1:5432 (localhost): server error: FATAL: password authentication failed for user "app" (SQLSTATE 28P01)',
    );
  });
});

describe("pgx TLS failures: Go's x509 texts (pki/profiles/go.ts), wrapped only by crypto/tls's own verification", () => {
  const pgx = (conninfo: string, files: Record<string, string>, s = server()) =>
    explainConnection({ client: { driver: 'pgx', conninfo, files }, server: s });
  const prefix =
    'failed to connect to `user=app database=`: 127.0.0.1:5432 (localhost): failed to write startup message: write failed: ';
  it('verify-ca and require with a root file verify in VerifyPeerCertificate: the x509 error unwrapped', async () => {
    for (const mode of ['verify-ca', 'require']) {
      const out = await pgx(`host=localhost user=app sslmode=${mode} sslrootcert=/ca.pem`, {
        '/ca.pem': pki.rootB,
      });
      expect(out.error).toBe(`${prefix}x509: certificate signed by unknown authority`);
    }
  });
  it('verify-full: CertificateVerificationError wraps it', async () => {
    const out = await pgx('host=localhost user=app sslmode=verify-full sslrootcert=/ca.pem', {
      '/ca.pem': pki.rootB,
    });
    expect(out.error).toBe(
      `${prefix}tls: failed to verify certificate: x509: certificate signed by unknown authority`,
    );
  });
  it("an expired leaf is Go's validity error, not an unknown authority", async () => {
    const s = server({ certificateChain: pki.servers.expired.chainPem });
    const ca = await pgx(
      'host=localhost user=app sslmode=verify-ca sslrootcert=/ca.pem',
      { '/ca.pem': pki.rootA },
      s,
    );
    expect(ca.error).toMatch(
      /write failed: x509: certificate has expired or is not yet valid: current time \S+ is after \S+$/,
    );
    const full = await pgx(
      'host=localhost user=app sslmode=verify-full sslrootcert=/ca.pem',
      { '/ca.pem': pki.rootA },
      s,
    );
    expect(full.error).toMatch(
      /write failed: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: /,
    );
  });
  it("verify-full checks the host name as Go's VerifyHostname (SANs only), before the chain", async () => {
    const mismatch = await pgx(
      'host=localhost user=app sslmode=verify-full sslrootcert=/ca.pem',
      { '/ca.pem': pki.rootB },
      server({ certificateChain: pki.servers.mismatch.chainPem }),
    );
    expect(mismatch.error).toBe(
      `${prefix}tls: failed to verify certificate: x509: certificate is valid for other.example.test, not localhost`,
    );
    const ip = await pgx(
      'host=127.0.0.1 user=app sslmode=verify-full sslrootcert=/ca.pem',
      { '/ca.pem': pki.rootA },
      server({ certificateChain: pki.servers.noip.chainPem }),
    );
    expect(ip.error).toBe(
      "failed to connect to `user=app database=`: 127.0.0.1:5432 (127.0.0.1): failed to write startup message: write failed: tls: failed to verify certificate: x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs",
    );
    const ok = await pgx('host=localhost user=app sslmode=verify-full sslrootcert=/ca.pem', {
      '/ca.pem': pki.rootA,
    });
    expect(ok.connected && ok.chainVerified && ok.hostnameVerified).toBe(true);
  });
});

describe('pgx v5.10.0 settings (pgconn/config.go ParseConfigWithOptions, configTLS, errors.go ConnectError)', () => {
  const pgx = (conninfo: string, files: Record<string, string> = {}, s = server()) =>
    explainConnection({ client: { driver: 'pgx', conninfo, files }, server: s });
  it.each(['disable', 'prefer', 'require', 'verify-ca'])(
    'a missing sslrootcert fails ParseConfig in sslmode=%s (configTLS reads it before its switch)',
    async (mode) => {
      const conninfo = `host=localhost user=app sslmode=${mode} sslrootcert=/missing.pem`;
      const out = await pgx(conninfo);
      expect(out.connected).toBe(false);
      expect(out.error).toBe(
        `cannot parse \`${conninfo}\`: failed to configure TLS (unable to read CA file: open /missing.pem: no such file or directory)`,
      );
    },
  );
  it('ConnectError prints the configured database, empty when none is given', async () => {
    const out = await pgx(
      'host=localhost user=app sslmode=disable password=bad',
      {},
      server({
        hba: ['host all all 127.0.0.1/32 scram-sha-256'],
        users: { app: 'good' },
      }),
    );
    expect(out.error).toMatch(/^failed to connect to `user=app database=`: /);
    const named = await pgx(
      'host=localhost user=app dbname=shop sslmode=disable',
      {},
      server({ hba: ['host all all 127.0.0.1/32 reject'] }),
    );
    expect(named.error).toMatch(/^failed to connect to `user=app database=shop`: /);
  });
  it('?ssl=true is no alias in v5.10.0: it is sent as a run-time parameter and the server refuses it', async () => {
    const out = await pgx('postgres://app@localhost:5432/app?ssl=true');
    expect(out.sslmode).toBe('prefer');
    expect(out.error).toBe(
      'failed to connect to `user=app database=app`:\n\t127.0.0.1:5432 (localhost): server error: FATAL: parameter "ssl" cannot be changed now (SQLSTATE 55P02)\n\t127.0.0.1:5432 (localhost): server error: FATAL: parameter "ssl" cannot be changed now (SQLSTATE 55P02)',
    );
  });
});

describe('pgx parse errors (pgconn errors.go ParseConfigError, redactPW)', () => {
  it('rejects an unknown sslmode and masks the password', async () => {
    const out = await explainConnection({
      client: { driver: 'pgx', conninfo: 'host=127.0.0.1 user=cgrates password=secret sslmode=disabled' },
      server: { ssl: false, hba: ['local all all peer'] },
    });
    expect(out.error).toBe(
      'cannot parse `host=127.0.0.1 user=cgrates password=xxxxx sslmode=disabled`: failed to configure TLS (sslmode is invalid)',
    );
  });
});

describe('no password for a password request: each driver its own way', () => {
  const ask = (driver: 'pgjdbc' | 'npgsql' | 'pgx' | 'asyncpg', conninfo: string, method: string) =>
    explainConnection({
      client: { driver, conninfo },
      server: server({ hba: [`host all all 127.0.0.1/32 ${method}`], users: { app: 'good' } }),
    });
  it('pgJDBC: its own PSQLException texts (ConnectionFactoryImpl, AuthenticationPluginManager)', async () => {
    const url = 'jdbc:postgresql://localhost:5432/app?user=app&sslmode=disable';
    expect((await ask('pgjdbc', url, 'scram-sha-256')).error).toBe(
      'The server requested SCRAM-based authentication, but no password was provided.',
    );
    expect((await ask('pgjdbc', url, 'password')).error).toBe(
      'The server requested password-based authentication, but no password was provided by plugin null',
    );
  });
  it('Npgsql: its NpgsqlException, naming the SASL mechanism (-PLUS over TLS)', async () => {
    expect((await ask('npgsql', 'Host=localhost;Username=app;SSL Mode=Require', 'scram-sha-256')).error).toBe(
      'No password has been provided but the backend requires one (in SASL/SCRAM-SHA-256-PLUS)',
    );
    expect((await ask('npgsql', 'Host=localhost;Username=app;SSL Mode=Disable', 'md5')).error).toBe(
      'No password has been provided but the backend requires one (in SASL/SCRAM-SHA-256)',
    );
    expect((await ask('npgsql', 'Host=localhost;Username=app;SSL Mode=Disable', 'password')).error).toBe(
      'No password has been provided but the backend requires one (in cleartext)',
    );
  });
  it('pgx sends an empty password: the server answers', async () => {
    const head =
      'failed to connect to `user=app database=`: 127.0.0.1:5432 (localhost): server error: FATAL: ';
    expect((await ask('pgx', 'host=localhost user=app sslmode=disable', 'scram-sha-256')).error).toBe(
      `${head}password authentication failed for user "app" (SQLSTATE 28P01)`,
    );
    expect((await ask('pgx', 'host=localhost user=app sslmode=disable', 'password')).error).toBe(
      `${head}empty password returned by client (SQLSTATE 28P01)`,
    );
  });
  it('libpq takes an empty password for none, and never sends it', async () => {
    const out = await explainConnection({
      client: { driver: 'libpq', conninfo: "host=localhost user=app password='' sslmode=disable" },
      server: server({ hba: ['host all all 127.0.0.1/32 password'], users: { app: 'good' } }),
    });
    expect(out.error).toContain('fe_sendauth: no password supplied');
  });
  it("asyncpg sends '' for SCRAM (the server answers), and fails on None for cleartext", async () => {
    const dsn = 'postgres://app@localhost/app?sslmode=disable';
    expect((await ask('asyncpg', dsn, 'scram-sha-256')).error).toBe(
      'password authentication failed for user "app"',
    );
    expect((await ask('asyncpg', dsn, 'password')).error).toBe("'NoneType' object has no attribute 'encode'");
  });
});
