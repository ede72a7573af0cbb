/**
 * The troubleshooter: an error text in, what it means, the likely causes ranked, and a scenario that
 * reproduces it with explainConnection(). Patterns are data; each names the rule that produces the text.
 */

import {
  SAMPLE_LEAF_EXPIRED,
  SAMPLE_LEAF_GOOD,
  SAMPLE_LEAF_LOCALHOST_CN,
  SAMPLE_LEAF_LOCALHOST_THREE,
  SAMPLE_LEAF_OTHER_NAME,
  SAMPLE_LEAF_SELF_SIGNED,
  SAMPLE_ROOT_A,
  SAMPLE_ROOT_B,
} from './samples/server-pki.ts';
import {
  SAMPLE_CLIENT_APP_CERT,
  SAMPLE_CLIENT_CA,
  SAMPLE_CLIENT_EXPIRED_CERT,
  SAMPLE_CLIENT_EXPIRED_KEY,
  SAMPLE_CLIENT_OTHER_CERT,
  SAMPLE_CLIENT_OTHER_KEY,
  SAMPLE_CLIENT_UNTRUSTED_CERT,
  SAMPLE_CLIENT_UNTRUSTED_KEY,
} from './samples/client-pki.ts';
import { isIpLiteral } from './hostname.ts';
import { RULES, type RuleId } from './rules.ts';
import type { Driver, Scenario } from './types.ts';

export interface Diagnosis {
  /** The pattern id that matched, or 'unknown'. */
  readonly id: string;
  readonly driver: Driver | 'unknown';
  readonly meaning: string;
  /** Most likely first. */
  readonly causes: readonly string[];
  readonly rule?: { readonly id: string; readonly source: string };
  /** A scenario whose explainConnection() outcome carries this error (null when none applies). */
  readonly reproduce: Scenario | null;
  /** Not an sslmode matter at all (a dropped connection, a shared TLS session, a peer that is not PostgreSQL). */
  readonly notSslmode?: boolean;
}

const HBA = ['hostssl all all 127.0.0.1/32 trust'];
const HBA_ANY = ['host all all 127.0.0.1/32 trust'];
/** Reproductions use the sample PKI at a fixed time, so they give the same text every day. */
const TIME = '2026-01-01T00:00:00Z';
const GOOD = { ssl: true, certificateChain: SAMPLE_LEAF_GOOD, hba: HBA_ANY, listen: ['127.0.0.1'] };
const ROOT_A = { '~/.postgresql/root.crt': SAMPLE_ROOT_A };
/** A server that asks for client certificates (ssl_ca_file) and authenticates with them (cert). */
const MTLS = { ...GOOD, caFile: SAMPLE_CLIENT_CA, hba: ['hostssl all all 127.0.0.1/32 cert'] };
const clientFiles = (cert: string, key?: string): Record<string, string> => ({
  '~/.postgresql/postgresql.crt': cert,
  ...(key !== undefined ? { '~/.postgresql/postgresql.key': key } : {}),
});

interface Pattern {
  readonly id: string;
  readonly test: RegExp;
  readonly driver: Driver | 'unknown';
  readonly meaning: string;
  readonly causes: readonly string[];
  readonly rule: RuleId;
  readonly reproduce: (m: RegExpExecArray) => Scenario | null;
  readonly notSslmode?: boolean;
  /** A match this pattern does not explain after all (the next patterns are tried). */
  readonly accept?: (m: RegExpExecArray) => boolean;
  /** Meaning, causes and rule read from the match, instead of the fixed ones. */
  readonly story?: (m: RegExpExecArray) => { meaning: string; causes: readonly string[]; rule: RuleId };
}

const libpq = (conninfo: string, server: Scenario['server'], files?: Record<string, string>): Scenario => ({
  client: { driver: 'libpq', version: '17', conninfo, home: '/home/app', ...(files ? { files } : {}) },
  server,
  time: TIME,
});
const node = (url: string, server: Scenario['server'], files?: Record<string, string>): Scenario => ({
  client: { driver: 'node-postgres', conninfo: url, ...(files ? { files } : {}) },
  server,
  time: TIME,
});

const ruleDriver = (
  driver: 'pgjdbc' | 'npgsql' | 'pgx',
  conninfo: string,
  server: Scenario['server'],
  files?: Record<string, string>,
): Scenario => ({
  client: { driver, conninfo, home: '/home/app', ...(files ? { files } : {}) },
  server,
  time: TIME,
});

/**
 * A pg_hba.conf refusal (m: host, user, database, encryption state) reproduced by libpq: sslmode=disable for a
 * plaintext state, require for an encrypted one, against `hba` for that case. GSS encryption is not modelled; "SSL
 * off" / "SSL on" come from a server before PostgreSQL 14.
 */
const hbaRefusal = (m: RegExpExecArray, hba: (plaintext: boolean) => string[]): Scenario | null => {
  const state = m[4]!;
  if (state === 'GSS encryption') return null;
  const plaintext = state === 'no encryption' || state === 'SSL off';
  return libpq(`host=127.0.0.1 sslmode=${plaintext ? 'disable' : 'require'} user=${m[2]} dbname=${m[3]}`, {
    ...GOOD,
    hba: hba(plaintext),
    ...(state.startsWith('SSL o') ? { majorVersion: 13 } : {}),
  });
};

/** A text this troubleshooter explains but that no scenario of the engine produces. */
const explained = (
  id: string,
  test: RegExp,
  driver: Driver | 'unknown',
  rule: RuleId,
  meaning: string,
  causes: readonly string[],
  notSslmode = false,
): Pattern => ({ id, test, driver, rule, meaning, causes, reproduce: () => null, notSslmode });

const asyncpg = (
  dsn: string,
  server: Scenario['server'],
  files?: Record<string, string>,
  extra: Partial<Scenario> = {},
): Scenario => ({
  client: { driver: 'asyncpg', conninfo: dsn, home: '/home/app', ...(files ? { files } : {}) },
  server,
  time: TIME,
  ...extra,
});

/** One attempt's line of libpq (its prefix optional), as sslmode=prefer and allow print one per attempt. */
const ATTEMPT_LINE = String.raw`(?:connection to server (at "[^"\n]*"(?: \([^)\n]*\))?, port \d+|on socket "[^"\n]*") failed: )?(FATAL: +(?:no pg_hba\.conf entry for|pg_hba\.conf rejects connection for) host "[^"\n]+", user "[^"\n]+", database "[^"\n]+", (?:SSL encryption|no encryption|SSL on|SSL off)|FATAL: +password authentication failed for user "[^"\n]+"|SSL error: certificate verify failed)`;
const TWO_ATTEMPTS = new RegExp(String.raw`^\s*${ATTEMPT_LINE}[ \t]*\n(?:psql: error: )?${ATTEMPT_LINE}\s*$`);

/** How one attempt failed: refused by pg_hba.conf (no line, or a reject line), a wrong password, or the root file. */
interface AttemptFailure {
  readonly kind: 'no-hba' | 'reject' | 'password' | 'verify';
  /** With TLS or without; null: the line does not say (a failed password). */
  readonly tls: boolean | null;
  readonly user?: string;
  readonly database?: string;
  /** "SSL on" / "SSL off": a server before PostgreSQL 14. */
  readonly oldServer: boolean;
}

function attemptFailure(line: string): AttemptFailure {
  const hba =
    /(no pg_hba\.conf entry for|rejects connection for) host "[^"]+", user "([^"]+)", database "([^"]+)", (.+)$/.exec(
      line,
    );
  if (hba) {
    const state = hba[4]!;
    return {
      kind: hba[1]!.startsWith('no') ? 'no-hba' : 'reject',
      tls: state === 'SSL encryption' || state === 'SSL on',
      user: hba[2]!,
      database: hba[3]!,
      oldServer: state.startsWith('SSL o'),
    };
  }
  const password = /password authentication failed for user "([^"]+)"/.exec(line);
  if (password) return { kind: 'password', tls: null, user: password[1]!, oldServer: false };
  return { kind: 'verify', tls: true, oldServer: false };
}

interface TwoAttempts {
  readonly mode: 'prefer' | 'allow';
  readonly withTls: AttemptFailure;
  readonly withoutTls: AttemptFailure;
}

/**
 * Two lines of libpq, one per attempt of sslmode=prefer (with TLS, then without) or allow (without, then with):
 * which attempt each line is, or null when they are not one such pair (two addresses of one host name, or two hosts,
 * print two lines with the same encryption, or with another prefix each).
 */
function twoAttempts(m: RegExpExecArray): TwoAttempts | null {
  if (m[1] !== undefined && m[3] !== undefined && m[1] !== m[3]) return null;
  const first = attemptFailure(m[2]!);
  const second = attemptFailure(m[4]!);
  if (first.tls !== null && first.tls === second.tls) return null;
  // A failed password says nothing of its encryption: the other line does; two of them read as prefer, the default.
  const preferOrder =
    first.tls === true || second.tls === false || (first.tls === null && second.tls === null);
  return preferOrder
    ? { mode: 'prefer', withTls: first, withoutTls: second }
    : { mode: 'allow', withTls: second, withoutTls: first };
}

function attemptWords(f: AttemptFailure, tls: boolean): string {
  const how = tls ? 'with TLS' : 'without TLS';
  if (f.kind === 'verify')
    return `${how}: the server certificate failed verification (a root certificate file makes libpq verify the chain in every sslmode)`;
  if (f.kind === 'password') return `${how}: the server asked for the password and refused it`;
  if (f.kind === 'reject') return `${how}: a reject line of pg_hba.conf matched`;
  return `${how}: no pg_hba.conf line matched`;
}

function twoAttemptsStory(t: TwoAttempts): { meaning: string; causes: string[]; rule: RuleId } {
  const [first, second] =
    t.mode === 'prefer'
      ? [attemptWords(t.withTls, true), attemptWords(t.withoutTls, false)]
      : [attemptWords(t.withoutTls, false), attemptWords(t.withTls, true)];
  const meaning =
    t.mode === 'prefer'
      ? `Two attempts, one line each. sslmode=prefer (libpq's default) tried first ${first}; after a failure prefer tries again on a new connection, ${second}. Both failed, so libpq printed both lines.`
      : `Two attempts, one line each. sslmode=allow tried first ${first}; after a failure allow tries again on a new connection, ${second}. Both failed, so libpq printed both lines.`;
  const { withTls: tls, withoutTls: plain } = t;
  const causes: string[] = [];
  if (tls.kind === 'password' || plain.kind === 'password')
    causes.push(
      tls.kind === 'password' && plain.kind === 'password'
        ? 'The password is wrong (or the role has no password): both attempts reached the password check and failed it. sslmode=allow prints the same two lines.'
        : `The password is wrong (or the role has no password): the attempt ${tls.kind === 'password' ? 'with' : 'without'} TLS reached the password check and failed it.${[tls.kind, plain.kind].some((k) => k === 'no-hba' || k === 'reject') ? ` The other line is only the ${(t.mode === 'prefer' ? tls : plain).kind === 'password' ? `${t.mode} retry` : 'first attempt'}, which pg_hba.conf refuses; fix the password and it goes away.` : ''}`,
    );
  if (tls.kind === 'verify')
    causes.push(
      'A root certificate file (~/.postgresql/root.crt, sslrootcert= or PGSSLROOTCERT) that is not the CA of this server: the attempt with TLS failed verification. Remove the file or put the right CA in it.',
    );
  const refused = (f: AttemptFailure): boolean => f.kind === 'no-hba' || f.kind === 'reject';
  if (tls.kind === 'no-hba' && plain.kind === 'no-hba')
    causes.push(
      'No pg_hba.conf line covers this address, user and database at all, with or without TLS: add one (host, or hostssl), or check the user and database names and the client address the server sees (a proxy or NAT changes it).',
    );
  else if (refused(tls) && refused(plain))
    causes.push(
      'pg_hba.conf refuses this address, user and database both with and without TLS: a reject line (a "host ... reject" line covers both), or a reject line for one and no line for the other. The server refuses this client on purpose; check pg_hba.conf from the top (the first matching line decides).',
    );
  else {
    if (plain.kind === 'no-hba' || plain.kind === 'reject')
      causes.push(
        'The server accepts this client only with TLS (hostssl lines alone, or a provider setting such as Azure require_secure_transport or RDS rds.force_ssl): the attempt without TLS is refused, as it should be.',
      );
    if (tls.kind === 'no-hba' || tls.kind === 'reject')
      causes.push(
        'The server refuses this client with TLS (hostnossl lines alone, or a reject line for hostssl): check pg_hba.conf.',
      );
  }
  if (t.mode === 'allow')
    causes.push(
      'sslmode=allow starts without TLS: against a server that requires TLS its first line is expected. Use sslmode=require, or verify-full, so the client starts with TLS and stops there.',
    );
  else
    causes.push(
      'With sslmode=require (or stronger) libpq makes only the attempt with TLS, and prints only its line.',
    );
  return { meaning, causes, rule: t.mode === 'prefer' ? 'libpq.prefer.retry' : 'libpq.allow.retry' };
}

/** A libpq scenario whose two attempts fail as pasted: pg_hba.conf lines and a password per attempt, a root file. */
function twoAttemptsScenario(t: TwoAttempts): Scenario | null {
  // PostgreSQL does not start with an empty pg_hba.conf: a line for another network stands in for "no line".
  const lines: string[] = ['host all all 10.0.0.0/8 trust'];
  const { withTls: tls, withoutTls: plain } = t;
  const hbaFor = (f: AttemptFailure, type: 'hostssl' | 'hostnossl'): void => {
    if (f.kind === 'password') lines.unshift(`${type} all all 127.0.0.1/32 scram-sha-256`);
    if (f.kind === 'reject') lines.unshift(`${type} all all 127.0.0.1/32 reject`);
  };
  hbaFor(tls, 'hostssl');
  hbaFor(plain, 'hostnossl');
  const user = tls.user ?? plain.user ?? 'app';
  const database = tls.database ?? plain.database ?? 'app';
  const password = tls.kind === 'password' || plain.kind === 'password';
  return libpq(
    `host=127.0.0.1 sslmode=${t.mode} user=${user} dbname=${database}${password ? ' password=wrong' : ''}`,
    {
      ...GOOD,
      hba: lines,
      ...(password ? { users: { [user]: 'right' } } : {}),
      ...(tls.oldServer || plain.oldServer ? { majorVersion: 13 } : {}),
    },
    tls.kind === 'verify' ? { '~/.postgresql/root.crt': SAMPLE_ROOT_B } : undefined,
  );
}

/** asyncpg's own texts (asyncpg connect_utils.py) and CPython's ssl texts: distinctive, so they go first. */
const ASYNCPG_PATTERNS: readonly Pattern[] = [
  {
    id: 'asyncpg-ssl-rejected',
    test: /PostgreSQL server at "(.+):(\d+)" rejected SSL upgrade/,
    driver: 'asyncpg',
    meaning:
      'asyncpg sent SSLRequest with sslmode require or stronger (or on the SSL retry of allow) and the server answered N.',
    causes: [
      'ssl = off on the server.',
      'A connection pooler or proxy in front of PostgreSQL that does not speak TLS.',
      'With sslmode=prefer asyncpg would have gone on in plaintext instead.',
    ],
    rule: 'asyncpg.fallback',
    reproduce: (m) =>
      asyncpg(
        `postgres://app@${m[1]}:${m[2]}/app?sslmode=require`,
        { ssl: false, hba: HBA_ANY, listen: ['127.0.0.1'] },
        undefined,
        { resolve: { [m[1] ?? 'localhost']: ['127.0.0.1'] } },
      ),
  },
  {
    id: 'asyncpg-root-missing',
    test: /root certificate file "([^"]+)" does not exist or cannot be accessed/,
    driver: 'asyncpg',
    meaning:
      'asyncpg with sslmode verify-ca or verify-full found no ~/.postgresql/root.crt; it checks before connecting and never falls back to the system trust store.',
    causes: [
      'No sslrootcert in the DSN (or PGSSLROOTCERT) and no ~/.postgresql/root.crt for the user the program runs as (check HOME in containers and services).',
      'The file exists but is not readable by that user.',
      'For a public CA, point sslrootcert at the system bundle (for example /etc/ssl/certs/ca-certificates.crt).',
    ],
    rule: 'asyncpg.rootcert',
    reproduce: (m) => {
      const home = (m[1] ?? '').replace(/\/\.postgresql\/root\.crt$/, '');
      const s = asyncpg('postgres://app@localhost/app?sslmode=verify-ca', GOOD);
      return home.startsWith('/') ? { ...s, client: { ...s.client, home } } : s;
    },
  },
  {
    id: 'asyncpg-file-missing',
    test: /^(?:FileNotFoundError: )?\[Errno 2\] No such file or directory(?:: '([^']+)')?$/m,
    driver: 'asyncpg',
    meaning:
      'Python could not open a file the DSN names: asyncpg loads sslrootcert (or PGSSLROOTCERT), sslcert and sslkey while it parses the DSN, before connecting, and lets the error through as it is (without the file name).',
    causes: [
      'sslrootcert= (or PGSSLROOTCERT) points to a wrong path, or the file is not in the container or on the host the program runs on.',
      'sslcert= or sslkey= points to a missing file.',
    ],
    rule: 'asyncpg.rootcert',
    reproduce: (m) =>
      asyncpg(`postgres://app@127.0.0.1/app?sslmode=require&sslrootcert=${m[1] ?? '/etc/ca.pem'}`, GOOD),
  },
  {
    id: 'asyncpg-cert-verify',
    test: /\[SSL: CERTIFICATE_VERIFY_FAILED\] certificate verify failed(?:: (.*?))?(?: \(_ssl\.c:\d+\)|$)/m,
    driver: 'asyncpg',
    meaning:
      'Python\'s ssl module (asyncpg, and other Python clients that do TLS themselves) rejected the server certificate: the OpenSSL reason follows "certificate verify failed:".',
    causes: [
      'Hostname/IP address mismatch: sslmode=verify-full and the certificate does not name the host in the DSN.',
      'unable to get local issuer certificate / self-signed certificate: the root file (sslrootcert, PGSSLROOTCERT or ~/.postgresql/root.crt) is not the CA that issued the server certificate. With asyncpg, sslmode=require verifies the chain as soon as such a file exists.',
      'certificate has expired: the server certificate (or an intermediate) is out of date.',
      'An ssl.SSLContext passed as ssl= replaces the sslmode of the DSN: a default context verifies the chain and the host name, so a "verify-ca" DSN then behaves as verify-full.',
    ],
    rule: 'asyncpg.ssl.config',
    reproduce: (m) => {
      const reason = m[1] ?? '';
      // Without OpenSSL's reason there is no telling which of the causes it was.
      if (reason === '') return null;
      const host = /not valid for '([^']+)'/.exec(reason)?.[1];
      if (host !== undefined && /^(Hostname|IP address) mismatch/.test(reason)) {
        const ip = isIpLiteral(host);
        return asyncpg(
          `postgres://app@${host.includes(':') ? `[${host}]` : host}/app?sslmode=verify-full`,
          { ...GOOD, listen: [ip ? host : '127.0.0.1'] },
          ROOT_A,
          ip ? {} : { resolve: { [host]: ['127.0.0.1'] } },
        );
      }
      // The server sends its root too, and the client trusts another CA.
      if (/self[- ]signed certificate in certificate chain/.test(reason))
        return asyncpg(
          'postgres://app@localhost/app?sslmode=require',
          { ...GOOD, certificateChain: SAMPLE_LEAF_GOOD + SAMPLE_ROOT_A },
          { '~/.postgresql/root.crt': SAMPLE_ROOT_B },
        );
      if (/self[- ]signed certificate/.test(reason))
        return asyncpg(
          'postgres://app@localhost/app?sslmode=require',
          { ...GOOD, certificateChain: SAMPLE_LEAF_SELF_SIGNED },
          ROOT_A,
        );
      if (/certificate has expired/.test(reason))
        return asyncpg(
          'postgres://app@localhost/app?sslmode=require',
          { ...GOOD, certificateChain: SAMPLE_LEAF_EXPIRED },
          ROOT_A,
        );
      return asyncpg('postgres://app@localhost/app?sslmode=require', GOOD, {
        '~/.postgresql/root.crt': SAMPLE_ROOT_B,
      });
    },
  },
];

const PATTERNS: readonly Pattern[] = [
  ...ASYNCPG_PATTERNS,
  // Prisma wraps OpenSSL's reasons in its own words: before the node-postgres patterns that match the reasons.
  explained(
    'prisma-tls',
    /Error opening a TLS connection/,
    'unknown',
    'libpq.tls.chain',
    "Prisma's own TLS stack rejected the server certificate: it verifies with sslmode=require, unlike libpq.",
    [
      "Give the server's CA with sslcert=<file> in Prisma's URL, or its sslaccept setting as documented by Prisma.",
    ],
  ),
  // Client certificates first: with prefer their line comes before a pg_hba line from the plaintext retry.
  {
    id: 'server-clientcert-no-ca',
    test: /client certificates can only be checked if a root certificate store is available/,
    driver: 'unknown',
    meaning:
      'The matching pg_hba.conf line has clientcert= or the cert method, and the server has no ssl_ca_file to check a client certificate against.',
    causes: [
      'ssl_ca_file is not set in postgresql.conf (or the server was not reloaded after setting it).',
      'A hostssl line copied from another server that does use client certificates.',
    ],
    rule: 'server.clientcert.hba',
    reproduce: () =>
      libpq('host=127.0.0.1 sslmode=require user=app dbname=app', { ...MTLS, caFile: undefined }),
  },
  {
    id: 'server-clientcert-required',
    test: /connection requires a valid client certificate/,
    driver: 'unknown',
    meaning:
      'The matching pg_hba.conf line (clientcert=verify-ca/verify-full, or cert) needs a client certificate, and the client sent none.',
    causes: [
      'No client certificate: libpq looks for ~/.postgresql/postgresql.crt unless sslcert= is given, and silently sends nothing when the file is missing (even a wrong sslcert= path).',
      'node-postgres: sslcert= without sslkey= sends no certificate.',
      'pgJDBC reads the client key as PKCS#8 DER (a .pk8 file: openssl pkcs8 -topk8 -outform DER) or PKCS#12, not the PEM key libpq uses (pgjdbc/pgjdbc#1819).',
      'With libpq sslmode=prefer the same line appears again with "no pg_hba.conf entry ... no encryption" from the plaintext retry.',
    ],
    rule: 'server.clientcert.hba',
    reproduce: () => libpq('host=127.0.0.1 sslmode=require user=app dbname=app', MTLS),
  },
  {
    id: 'server-cert-name',
    test: /(?:certificate|"trust") authentication failed for user "([^"]+)"/,
    driver: 'unknown',
    meaning:
      'The client certificate is valid, but its CN (or its DN with clientname=DN) is not the user name: the check of the cert method or of clientcert=verify-full failed.',
    causes: [
      'The certificate was issued for another user: connect as the user its CN names, or reissue it.',
      'clientname=DN compares the whole RFC 2253 DN ("CN=app,O=Example"), never a bare user name — use a pg_ident.conf map (map=).',
      'The names differ in case: the comparison is exact.',
    ],
    rule: 'server.clientcert.hba',
    reproduce: (m) =>
      libpq(`host=127.0.0.1 sslmode=require user=${m[1] ?? 'app'} dbname=app`, MTLS, {
        ...clientFiles(SAMPLE_CLIENT_OTHER_CERT, SAMPLE_CLIENT_OTHER_KEY),
      }),
  },
  {
    id: 'libpq-clientkey-missing',
    test: /certificate present, but not private key file "([^"]+)"/,
    driver: 'libpq',
    meaning: 'libpq found a client certificate file but not the key file that goes with it.',
    causes: [
      'sslkey= is not given and ~/.postgresql/postgresql.key does not exist (the key is looked up separately from sslcert=).',
      'sslkey= points to a wrong path.',
    ],
    rule: 'libpq.clientcert.files',
    reproduce: () =>
      libpq('host=127.0.0.1 sslmode=require user=app dbname=app', MTLS, clientFiles(SAMPLE_CLIENT_APP_CERT)),
  },
  {
    id: 'client-key-mismatch',
    test: /key values mismatch/,
    driver: 'unknown',
    meaning:
      'The private key file is not the key of the client certificate: OpenSSL refuses the pair before connecting.',
    causes: [
      'sslcert= and sslkey= (or the ~/.postgresql defaults) come from different certificates, e.g. after a renewal that replaced only one file.',
    ],
    rule: 'libpq.clientcert.files',
    reproduce: () =>
      libpq(
        'host=127.0.0.1 sslmode=require user=app dbname=app',
        MTLS,
        clientFiles(SAMPLE_CLIENT_APP_CERT, SAMPLE_CLIENT_OTHER_KEY),
      ),
  },
  {
    id: 'client-cert-rejected',
    test: /alert (unknown ca|certificate expired|bad certificate|unsupported certificate|certificate revoked|certificate unknown)/,
    driver: 'unknown',
    meaning:
      'The SERVER sent this alert: it rejected the client certificate while verifying it against its ssl_ca_file (any certificate the client sends is checked, whatever pg_hba.conf says).',
    causes: [
      "unknown ca: the client certificate was not issued by a CA in the server's ssl_ca_file (or an intermediate is missing from the client's certificate file).",
      'certificate expired: the client certificate (or a CA above it) is past its notAfter.',
      'unsupported certificate: the certificate does not allow client authentication (EKU without clientAuth).',
      'certificate revoked: ssl_crl_file (or ssl_crl_dir) on the server lists the client certificate. certificate unknown: another failure of the check (for example an unreadable or unsupported extension).',
      'Under TLS 1.3 libpq sslmode=prefer does not retry after this alert; under TLS 1.2 it retries without SSL.',
    ],
    rule: 'server.clientcert.request',
    // Sample client certificates exist for an unknown CA and an expired certificate only.
    reproduce: (m) =>
      m[1] === 'unknown ca' || m[1] === 'certificate expired'
        ? libpq(
            'host=127.0.0.1 sslmode=require user=app dbname=app',
            MTLS,
            m[1] === 'certificate expired'
              ? clientFiles(SAMPLE_CLIENT_EXPIRED_CERT, SAMPLE_CLIENT_EXPIRED_KEY)
              : clientFiles(SAMPLE_CLIENT_UNTRUSTED_CERT, SAMPLE_CLIENT_UNTRUSTED_KEY),
          )
        : null,
  },
  {
    id: 'libpq-ssl-required',
    test: /server does not support SSL, but SSL was required/,
    driver: 'libpq',
    meaning:
      'The client insisted on TLS (sslmode require, verify-ca or verify-full) and the server answered N to the SSLRequest.',
    causes: [
      'The server has ssl = off (the default) in postgresql.conf.',
      'A proxy or pooler (pgbouncer without client TLS) sits in front of the server.',
      'sslmode was set from PGSSLMODE or the URL without the server being configured for TLS.',
    ],
    rule: 'libpq.ssl-response.n',
    reproduce: () =>
      libpq('host=127.0.0.1 sslmode=require user=app dbname=app', { ssl: false, hba: HBA_ANY }),
  },
  {
    id: 'libpq-root-missing',
    test: /root certificate file "([^"]+)" does not exist/,
    driver: 'libpq',
    meaning:
      'sslmode verify-ca or verify-full needs a CA file to check the server against, and the file is not there.',
    causes: [
      'No sslrootcert= given and ~/.postgresql/root.crt does not exist for the user running the client.',
      'sslrootcert points to a wrong path (relative paths are relative to the working directory).',
      'On PG 15, sslrootcert=system is just a file name ("system") — use 16+ or a real file.',
    ],
    rule: 'libpq.rootcert',
    reproduce: (m) => {
      const path = m[1] ?? '';
      // libpq 16 added "use the system's trusted roots with sslrootcert=system" to the hint; 15 has the short one.
      const version = /Either provide the file or change sslmode/.test(m.input) ? '15' : '17';
      const inHome = /^(\/.*)\/\.postgresql\/root\.crt$/.exec(path);
      const s = libpq(
        `host=127.0.0.1 sslmode=verify-full user=app dbname=app${inHome ? '' : ` sslrootcert=${path}`}`,
        GOOD,
      );
      return { ...s, client: { ...s.client, version, home: inHome?.[1] ?? '/home/app' } };
    },
  },
  {
    id: 'libpq-root-unreadable',
    test: /could not read root certificate file "([^"]+)": (.+)/,
    driver: 'libpq',
    meaning:
      'The root certificate file exists but OpenSSL found no certificate in it, so libpq cannot verify the server.',
    causes: [
      'sslrootcert (or ~/.postgresql/root.crt) holds something else: a private key, a DER file, an empty file, or an HTML page saved instead of the CA certificate.',
      'The PEM text was damaged when copied (a missing BEGIN line, Windows line endings inside the base64 are fine but missing dashes are not).',
    ],
    rule: 'libpq.rootcert',
    reproduce: () =>
      libpq('host=127.0.0.1 sslmode=verify-full user=app dbname=app sslrootcert=/etc/ca.pem', GOOD, {
        '/etc/ca.pem': 'not a certificate\n',
      }),
  },
  {
    id: 'libpq-prefer-verify-then-plaintext',
    test: /SSL error: certificate verify failed\n.*no pg_hba\.conf entry for host "[^"]+", user "([^"]+)", database "([^"]+)", (no encryption|SSL off)/,
    driver: 'libpq',
    meaning:
      'Two attempts: sslmode=prefer tried TLS, the certificate check failed, so libpq retried without TLS, and the server refused the plaintext connection (its pg_hba.conf has only hostssl lines for you).',
    causes: [
      'A root certificate file switched on verification although sslmode is prefer: ~/.postgresql/root.crt (or sslrootcert / PGSSLROOTCERT) exists and is not the CA of this server. Remove it, or put the right CA in it.',
      'The server certificate is expired or otherwise invalid, and a root file made prefer check it.',
      'With sslmode=require the second line would not appear: require does not fall back to plaintext.',
    ],
    rule: 'libpq.prefer.retry',
    reproduce: (m) =>
      libpq(
        `host=127.0.0.1 sslmode=prefer user=${m[1] ?? 'app'} dbname=${m[2] ?? 'app'}`,
        // "SSL off": a server before PostgreSQL 14 (hba.ts encryptionLabel).
        { ...GOOD, hba: HBA, ...(m[3] === 'SSL off' ? { majorVersion: 13 } : {}) },
        { '~/.postgresql/root.crt': SAMPLE_ROOT_B },
      ),
  },
  {
    id: 'libpq-two-attempts',
    test: TWO_ATTEMPTS,
    driver: 'libpq',
    meaning: '',
    causes: [],
    rule: 'libpq.prefer.retry',
    accept: (m) => twoAttempts(m) !== null,
    story: (m) => twoAttemptsStory(twoAttempts(m)!),
    reproduce: (m) => twoAttemptsScenario(twoAttempts(m)!),
  },
  explained(
    'libpq-system-verify-failed',
    /SSL error: certificate verify failed: unable to get local issuer certificate/,
    'libpq',
    'libpq.sslrootcert.system',
    'libpq 16+ names OpenSSL\'s reason only in one case: sslrootcert=system, the chain did not reach a CA of the system\'s trust store (with some OpenSSL builds; others print just "certificate verify failed").',
    [
      'The server certificate is from a private CA (a self-managed or cloud provider CA that is not a public root): sslrootcert=system trusts only the public CAs of the operating system. Point sslrootcert at that CA file instead.',
      'The server does not send its intermediate certificate, and the system store has only the root.',
      'The system trust store of the client (a container image, a distroless image) is empty or out of date.',
    ],
  ),
  {
    id: 'libpq-verify-failed',
    test: /SSL error: certificate verify failed/,
    driver: 'libpq',
    meaning:
      'OpenSSL could not build a trusted, valid chain from the server certificate to a CA in the root file.',
    causes: [
      'The root file holds a different CA than the one that issued the server certificate.',
      'The server certificate (or an intermediate) has expired or is not yet valid.',
      'The server does not send its intermediate and the root file has only the root.',
      'The server certificate is self-signed and not in the root file.',
      'With sslmode=require/prefer: a ~/.postgresql/root.crt you forgot about turned on verification.',
    ],
    rule: 'libpq.tls.chain',
    reproduce: () =>
      libpq('host=127.0.0.1 sslmode=require user=app dbname=app', GOOD, {
        '~/.postgresql/root.crt': SAMPLE_ROOT_B,
      }),
  },
  {
    id: 'libpq-hostname',
    test: /server certificate for "([^"]+)"(?: \(and (\d+) other names?\))? does not match host name "([^"]+)"/,
    driver: 'libpq',
    meaning:
      "verify-full: the host= name is not among the certificate's names (SAN dNSName/iPAddress, or CN when no SAN of that kind).",
    causes: [
      'Connecting by IP address while the certificate only has DNS names (add an iPAddress SAN, or use host=<name> hostaddr=<ip>).',
      'Connecting by an alias (CNAME, load balancer name) that the certificate does not list.',
      'A wildcard certificate *.example.com does not cover example.com or a.b.example.com.',
    ],
    rule: 'libpq.hostname',
    reproduce: (m) => {
      // A sample certificate with as many names as libpq counts in the pasted text (1 to 3), and a host it does not
      // name. libpq counts every DNS and IP SAN, and the CN when no SAN is of the host's kind (an IP host against a
      // certificate without IP SANs). The self-signed localhost samples are their own root.
      const others = Number(m[2] ?? '0');
      const pasted = m[3] ?? '';
      const ip = isIpLiteral(pasted);
      const sample: Readonly<Record<number, readonly [string, string, readonly string[]]>> = ip
        ? {
            // CN=localhost alone; DNS:shop.example.test + CN; DNS:localhost, DNS:localhost.localdomain, IP:::1.
            0: [SAMPLE_LEAF_LOCALHOST_CN, SAMPLE_LEAF_LOCALHOST_CN, []],
            1: [SAMPLE_LEAF_OTHER_NAME, SAMPLE_ROOT_A, []],
            2: [SAMPLE_LEAF_LOCALHOST_THREE, SAMPLE_LEAF_LOCALHOST_THREE, []],
          }
        : {
            0: [SAMPLE_LEAF_OTHER_NAME, SAMPLE_ROOT_A, ['shop.example.test']],
            1: [SAMPLE_LEAF_GOOD, SAMPLE_ROOT_A, ['db.example.test']],
            2: [
              SAMPLE_LEAF_LOCALHOST_THREE,
              SAMPLE_LEAF_LOCALHOST_THREE,
              ['localhost', 'localhost.localdomain'],
            ],
          };
      const chosen = sample[others];
      if (!chosen) return null;
      const [chain, root, named] = chosen;
      // An IP host connects to 127.0.0.1, which none of these certificates names as an IP SAN.
      const host = ip ? '127.0.0.1' : named.includes(pasted) || pasted === '' ? 'other.example.test' : pasted;
      return libpq(
        `host=${host}${ip ? '' : ' hostaddr=127.0.0.1'} sslmode=verify-full user=app dbname=app`,
        { ...GOOD, certificateChain: chain },
        { '~/.postgresql/root.crt': root },
      );
    },
  },
  {
    id: 'libpq-hostaddr-verify',
    test: /host name must be specified for a verified SSL connection/,
    driver: 'libpq',
    meaning: 'verify-full with hostaddr= but no host=: libpq has no name to check the certificate against.',
    causes: ['Add host=<name in the certificate> next to hostaddr=.'],
    rule: 'libpq.hostname',
    reproduce: () => libpq('hostaddr=127.0.0.1 sslmode=verify-full user=app dbname=app', GOOD, ROOT_A),
  },
  {
    id: 'server-no-hba',
    test: /no pg_hba\.conf entry for host "([^"]+)", user "([^"]+)", database "([^"]+)", (SSL encryption|no encryption|GSS encryption|SSL off|SSL on)/,
    driver: 'unknown',
    meaning: 'The server found no pg_hba.conf line for this address, user, database and encryption state.',
    causes: [
      '"no encryption" (PostgreSQL 14+) or "SSL off" (13 and earlier): the server only has hostssl lines (or Azure require_secure_transport / RDS rds.force_ssl), and the client connected in plaintext — often a prefer fallback after a TLS failure.',
      'After "could not accept SSL connection: unsupported protocol" (server log) or "tlsv1 alert protocol version" from the same client: an old client (TLS 1.0/1.1 only) that the server refuses, so sslmode=prefer retried in plaintext and met a hostssl-only pg_hba. Upgrade the client library; allowing old TLS versions is the wrong fix.',
      '"SSL encryption" (14+) or "SSL on" (13 and earlier): only hostnossl lines match, or no line covers this client address.',
      'The user or database name is not listed (check spelling and quoting).',
    ],
    rule: 'server.hba',
    reproduce: (m) =>
      hbaRefusal(m, (plaintext) => (plaintext ? HBA : ['hostnossl all all 127.0.0.1/32 trust'])),
  },
  {
    id: 'server-hba-reject',
    test: /pg_hba\.conf rejects connection for host "([^"]+)", user "([^"]+)", database "([^"]+)", (SSL encryption|no encryption|GSS encryption|SSL off|SSL on)/,
    driver: 'unknown',
    meaning:
      'The first pg_hba.conf line that matches this address, user, database and encryption state has the method reject: the server refuses the connection on purpose (unlike "no pg_hba.conf entry", where no line matched).',
    causes: [
      '"no encryption" (PostgreSQL 14+) or "SSL off" (13 and earlier): a "hostnossl ... reject" (or "host ... reject") line that forbids plaintext, and a client that connected without TLS: sslmode=disable, or a prefer/allow attempt without TLS.',
      '"SSL encryption" or "SSL on": a "hostssl ... reject" line, or a "host ... reject" line above the line meant for this client (pg_hba.conf is read top-down, the first match decides).',
      'With libpq sslmode=prefer the line appears twice, once per attempt: the reject line covers both.',
    ],
    rule: 'server.hba',
    reproduce: (m) =>
      hbaRefusal(m, (plaintext) => [
        `${plaintext ? 'hostnossl' : 'hostssl'} all all 127.0.0.1/32 reject`,
        ...HBA_ANY,
      ]),
  },
  explained(
    'server-hba-replication',
    /(?:no pg_hba\.conf entry for|pg_hba\.conf rejects) replication connection (?:from|for) host "[^"]+", user "[^"]+"/,
    'unknown',
    'server.hba',
    'A physical replication connection (replication=true: pg_basebackup, pg_receivewal, a standby\'s primary_conninfo) matches only pg_hba.conf lines whose database field is "replication", never "all"; none matched (or the first that did has the method reject). The encryption state ends the line as in any pg_hba.conf refusal.',
    [
      'No "host replication <user> <address> <method>" line for this user and address.',
      '"no encryption" or "SSL off": the primary allows replication only on hostssl lines, and the standby connected without TLS (sslmode=disable in primary_conninfo, or a prefer attempt without TLS).',
      'A user without the REPLICATION attribute gets past pg_hba.conf and fails later ("must be superuser or replication role to start walsender"): this line is about pg_hba.conf alone.',
    ],
  ),
  {
    id: 'server-password',
    test: /password authentication failed for user "([^"]+)"/,
    driver: 'unknown',
    meaning: 'The password (or the role) is wrong for a scram-sha-256/md5/password pg_hba line.',
    causes: [
      'Wrong password, or the role has no password set.',
      'If it appears twice with libpq sslmode=prefer: the same failure over SSL and then over the plaintext retry.',
      'A clientcert=verify-full CN mismatch also reports this generic text.',
    ],
    rule: 'server.auth',
    reproduce: (m) =>
      libpq(`host=127.0.0.1 user=${m[1]} dbname=postgres password=wrong`, {
        ssl: false,
        hba: ['host all all 127.0.0.1/32 scram-sha-256'],
        users: { [m[1] ?? 'app']: 'right' },
      }),
  },
  {
    id: 'libpq-protocol-range',
    test: /This may indicate that the server does not support any SSL protocol version between (\S+) and (\S+)\./,
    driver: 'libpq',
    meaning: 'Client and server TLS version ranges do not overlap.',
    causes: [
      "Server ssl_min_protocol_version is above the client ssl_max_protocol_version (or the client library's maximum).",
      'An old client library that lacks TLS 1.2/1.3 against a server with the default minimum TLSv1.2.',
    ],
    rule: 'libpq.tls.protocol',
    reproduce: () =>
      libpq('host=127.0.0.1 sslmode=require ssl_max_protocol_version=TLSv1.2 user=app', {
        ...GOOD,
        minProtocol: 'TLSv1.3',
      }),
  },
  {
    id: 'libpq-require-auth',
    test: /authentication method requirement "([^"]*)" failed: (server requested a cleartext password|server requested SASL authentication|server did not complete authentication)/,
    driver: 'libpq',
    meaning:
      'libpq 16+ refused the authentication the server asked for (or its absence): require_auth does not allow it. The client gives up without sending a password.',
    causes: [
      'The pg_hba.conf line uses another method than require_auth allows (trust or cert send no request at all, so "none" must be allowed for them).',
      'An attacker on the path (or a misconfigured proxy) asks for a weaker method, for example a cleartext password: this is what require_auth is for.',
    ],
    rule: 'libpq.require_auth',
    reproduce: (m) => {
      const method = m[2]!.includes('cleartext')
        ? 'password'
        : m[2]!.includes('SASL')
          ? 'scram-sha-256'
          : 'trust';
      return libpq(`host=127.0.0.1 user=app password=pw sslmode=require require_auth=${m[1]}`, {
        ...GOOD,
        hba: [`host all all 127.0.0.1/32 ${method}`],
        users: { app: 'pw' },
      });
    },
  },
  {
    id: 'libpq-channel-binding',
    test: /channel binding required(?:, but (SSL not in use|server authenticated client without channel binding)| but (not supported by server's authentication request))/,
    driver: 'libpq',
    meaning:
      'channel_binding=require: libpq accepts only a SCRAM login bound to this TLS connection (SCRAM-SHA-256-PLUS), so that a server on the far end of another TLS connection (an attacker in the middle) cannot pass for the real one. This login was not one, and the client gave up on its own, without a retry.',
    causes: [
      'The connection is not encrypted (sslmode=disable, or prefer/allow against a server with ssl = off): there is no TLS channel to bind to ("SSL not in use").',
      'The pg_hba.conf line is trust or cert (no password exchange at all: "authenticated client without channel binding"), or password (cleartext: "not supported by server\'s authentication request"); it must be scram-sha-256 (or md5 with a SCRAM-stored password).',
      'Something on the path answers instead of the real server (a proxy, a pooler, or an attacker) and accepts the login without SCRAM.',
    ],
    rule: 'libpq.channel_binding',
    reproduce: (m) => {
      const method = m[1] === undefined ? 'password' : m[1].startsWith('SSL') ? 'scram-sha-256' : 'trust';
      const sslmode = m[1]?.startsWith('SSL') ? 'disable' : 'require';
      return libpq(`host=127.0.0.1 user=app password=pw sslmode=${sslmode} channel_binding=require`, {
        ...GOOD,
        hba: [`host all all 127.0.0.1/32 ${method}`],
        users: { app: 'pw' },
      });
    },
  },
  {
    id: 'libpq-invalid-channel-binding',
    test: /invalid channel_binding value: "([^"]*)"/,
    driver: 'libpq',
    meaning:
      'libpq refused the connection string before connecting: channel_binding takes disable, prefer or require.',
    causes: [
      'A query string glued onto a URL that already had one: "channel_binding=require?sslmode=require" (use & between parameters).',
      'A value cut or mistyped when it was pasted (hosted PostgreSQL services add channel_binding=require to the URLs they give).',
    ],
    rule: 'libpq.channel_binding',
    reproduce: (m) => libpq(`host=127.0.0.1 user=app sslmode=require channel_binding=${m[1]}`, GOOD),
  },
  {
    id: 'libpq-gssencmode-require',
    test: /GSSAPI encryption required but (no credential cache|was impossible \(possibly no credential cache, no server support, or using a local socket\))/,
    driver: 'libpq',
    meaning:
      'gssencmode=require: libpq must encrypt with GSSAPI (Kerberos), which it tries before SSL and only when a Kerberos credential cache exists. There was none (or, 15/16, the server or a Unix socket cannot do it), so it gave up: GSSAPI encryption has nothing to do with sslmode.',
    causes: [
      'No Kerberos ticket: run kinit first (klist shows none), or the client is not set up for Kerberos at all.',
      'gssencmode=require (or PGGSSENCMODE=require) was copied from a setup that uses Kerberos; with TLS, leave it out (the default is prefer) or set disable.',
      'A Unix-socket connection, or (15/16) a server built without GSSAPI.',
    ],
    rule: 'libpq.gssencmode',
    reproduce: (m) => {
      const s = libpq('host=127.0.0.1 user=app sslmode=require gssencmode=require', GOOD);
      // 17+ says "no credential cache"; 15/16 "was impossible (...)".
      return m[1] === 'no credential cache' ? s : { ...s, client: { ...s.client, version: '15' } };
    },
  },
  {
    id: 'libpq-sslcertmode-require',
    test: /server (did not request an SSL certificate|accepted connection without a valid SSL certificate)/,
    driver: 'libpq',
    meaning:
      'sslcertmode=require (libpq 16+): the server must ask for a client certificate and the client must send one; this connection got to AuthenticationOk without.',
    causes: [
      'The server has no ssl_ca_file, so it never asks for a client certificate ("did not request").',
      'The client has no certificate to send: no ~/.postgresql/postgresql.crt and no sslcert= ("without a valid SSL certificate").',
      'The connection is not encrypted (sslmode allow or prefer fell back to plaintext).',
    ],
    rule: 'libpq.sslcertmode',
    reproduce: (m) =>
      libpq(
        'host=127.0.0.1 user=app sslmode=require sslcertmode=require',
        m[1]!.startsWith('did not') ? GOOD : { ...GOOD, caFile: SAMPLE_CLIENT_CA },
      ),
  },
  {
    id: 'tls-protocol-version-alert',
    test: /SSL error: tlsv1 alert protocol version|alert protocol version|unsupported protocol/,
    driver: 'libpq',
    meaning:
      'The TLS handshake failed on the protocol version: one side offered only versions the other refuses (the peer answered with a protocol_version alert). libpq 13 and later print a second line with the range it tried ("This may indicate that the server does not support any SSL protocol version between ...").',
    causes: [
      "The server's ssl_min_protocol_version (default TLSv1.2; TLSv1.3 on some managed services) is above what the client offers: the client's ssl_max_protocol_version, or an old client library limited to TLS 1.0/1.1.",
      'An old client (TLS 1.0 or 1.1 only) against a server or OpenSSL build that refuses them: TLS 1.0 and 1.1 are deprecated (RFC 8996, 2021), and Azure and RDS refuse them.',
      'With sslmode=prefer the client then retries in plaintext, which a hostssl-only server refuses with "no pg_hba.conf entry ... no encryption".',
    ],
    rule: 'libpq.tls.protocol',
    reproduce: () =>
      libpq('host=127.0.0.1 sslmode=require ssl_max_protocol_version=TLSv1.2 user=app', {
        ...GOOD,
        minProtocol: 'TLSv1.3',
      }),
  },
  {
    id: 'node-ssl-unsupported',
    test: /The server does not support SSL connections/,
    driver: 'node-postgres',
    meaning:
      'node-postgres had ssl on and the server answered N; node-postgres never falls back to plaintext.',
    causes: [
      'ssl = off on the server.',
      'Any sslmode in the URL (even prefer/allow) turns ssl on in node-postgres.',
      'The connection string is undefined (an unset environment variable), so node-postgres falls back to PG* variables and defaults, where PGSSLMODE may turn ssl on against a local server without it.',
    ],
    rule: 'node.ssl.response',
    reproduce: () => node('postgres://app@127.0.0.1/app?sslmode=prefer', { ssl: false, hba: HBA_ANY }),
  },
  {
    id: 'node-self-signed-chain',
    test: /self[- ]signed certificate in certificate chain|unable to get local issuer certificate|unable to verify the first certificate|^self[- ]signed certificate$|\b(?:SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\b/m,
    driver: 'node-postgres',
    meaning:
      "Node's OpenSSL could not chain the server certificate to a trusted CA (Node's bundled public CAs unless sslrootcert/ca is given).",
    causes: [
      'The server uses a private CA and the URL has sslmode=require/prefer without sslrootcert (node-postgres treats those as verify-full).',
      'sslrootcert points to a different CA.',
      'A connectionString with sslmode (or ssl) replaces the ssl object passed beside it: the ca or rejectUnauthorized you set in code is not used. Put every TLS setting in one place.',
      'Node names these failures by code as well: SELF_SIGNED_CERT_IN_CHAIN (the server sends its root), DEPTH_ZERO_SELF_SIGNED_CERT (a self-signed server certificate), UNABLE_TO_GET_ISSUER_CERT_LOCALLY (no trusted issuer), UNABLE_TO_VERIFY_LEAF_SIGNATURE (the intermediate is not sent).',
      'For libpq-like behaviour use uselibpqcompat=true&sslmode=require (no verification) — weaker.',
    ],
    rule: 'node.tls.verify',
    reproduce: (m) => {
      const url = 'postgres://app@127.0.0.1/app?sslmode=require';
      // Node's codes name the same failures as its messages; the reproduction prints the message.
      if (/in certificate chain|SELF_SIGNED_CERT_IN_CHAIN/.test(m[0]))
        return node(url, { ...GOOD, certificateChain: SAMPLE_LEAF_GOOD + SAMPLE_ROOT_A });
      if (/first certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE/.test(m[0])) return node(url, GOOD);
      if (/^self[- ]signed certificate$|DEPTH_ZERO_SELF_SIGNED_CERT/.test(m[0]))
        return node(url, { ...GOOD, certificateChain: SAMPLE_LEAF_SELF_SIGNED });
      return null;
    },
  },
  {
    id: 'node-cert-expired',
    test: /^certificate has expired$|\bCERT_HAS_EXPIRED\b/m,
    driver: 'node-postgres',
    meaning:
      "Node's OpenSSL rejected the server certificate (or an intermediate) because the time now is past its notAfter date.",
    causes: [
      'The server certificate expired and was not renewed, or the server was not reloaded after the renewal.',
      "The client machine's clock is wrong (containers and VMs resumed from a snapshot).",
      'An intermediate the server sends has expired (a stale chain file after the CA renewed it).',
    ],
    rule: 'node.tls.verify',
    reproduce: () =>
      node(
        'postgres://app@127.0.0.1/app?sslmode=verify-full&sslrootcert=/ca.pem',
        { ...GOOD, certificateChain: SAMPLE_LEAF_EXPIRED },
        { '/ca.pem': SAMPLE_ROOT_A },
      ),
  },
  // OpenSSL's other X509_verify_cert_error_string() texts, which Node prints alone as err.message.
  explained(
    'node-verify-other',
    /^(?:certificate is not yet valid|unable to get issuer certificate|unable to decode issuer public key|certificate signature failure|format error in certificate's not(?:Before|After) field|certificate chain too long|invalid CA certificate|path length constraint exceeded|unsuitable certificate purpose|certificate rejected|key usage does not include certificate signing|unhandled critical extension|(?:permitted|excluded) subtree violation|unsupported or invalid name syntax|(?:EE|CA) certificate key too weak|CA signature digest algorithm too weak|unspecified certificate verification error)$/m,
    'node-postgres',
    'node.tls.verify',
    "Node's OpenSSL rejected the server's chain; the text is OpenSSL's reason (X509_verify_cert_error_string), which Node gives as the error message.",
    [
      'certificate is not yet valid: the server certificate (or an intermediate) starts in the future, or the client clock is behind.',
      'unable to get issuer certificate: the chain reaches a certificate whose issuer is neither sent by the server nor in sslrootcert (ca).',
      'invalid CA certificate / key usage does not include certificate signing / path length constraint exceeded: a certificate used as a CA on the path is not allowed to be one (basicConstraints, keyUsage, pathLenConstraint).',
      'key too weak / digest too weak: OpenSSL 3 (security level 1) refuses RSA keys under 2048 bits and SHA-1 signatures; reissue the certificate.',
    ],
  ),
  {
    id: 'node-file-missing',
    test: /ENOENT: no such file or directory, open '([^']+)'/,
    driver: 'node-postgres',
    meaning:
      'node-postgres (pg-connection-string) reads the files that sslrootcert, sslcert and sslkey name while it parses the URL, and one of them is not there.',
    causes: [
      'A wrong path: a relative path is relative to the working directory of the process, and Node does not expand ~.',
      'The file is not in the container or on the host the program runs on.',
    ],
    rule: 'node.ssl.config',
    reproduce: (m) =>
      node(`postgres://app@127.0.0.1/app?sslmode=verify-full&sslrootcert=${m[1] ?? '/etc/ca.pem'}`, GOOD),
  },
  {
    id: 'node-verify-ca-no-root',
    test: /SECURITY WARNING: Using sslmode=verify-ca requires specifying a CA with sslrootcert/,
    driver: 'node-postgres',
    meaning:
      'pg-connection-string with uselibpqcompat=true refuses sslmode=verify-ca without sslrootcert: Node would check the chain against its bundled public CAs without the host name, so anyone with a certificate from a public CA could pass.',
    causes: [
      'Give the server CA with sslrootcert=<file>, or use sslmode=verify-full, which checks the host name as well.',
    ],
    rule: 'node.ssl.config',
    reproduce: () => node('postgres://app@127.0.0.1/app?uselibpqcompat=true&sslmode=verify-ca', GOOD),
  },
  {
    id: 'node-sslnegotiation',
    test: /Invalid sslnegotiation value: "([^"\s]*)"\. Valid values are "postgres" and "direct"|sslnegotiation=direct requires SSL to be enabled/,
    driver: 'node-postgres',
    meaning:
      'node-postgres refused its settings before connecting: sslnegotiation takes postgres or direct, and direct (TLS without SSLRequest, PostgreSQL 17+) needs ssl on.',
    causes: [
      'A typo in sslnegotiation.',
      'sslnegotiation=direct with sslmode=disable, or without any ssl setting: direct TLS cannot fall back to plaintext.',
    ],
    rule: 'node.ssl.config',
    reproduce: (m) =>
      node(
        m[1] === undefined
          ? 'postgres://app@127.0.0.1/app?sslmode=disable&sslnegotiation=direct'
          : `postgres://app@127.0.0.1/app?sslmode=require&sslnegotiation=${m[1]}`,
        GOOD,
      ),
  },
  explained(
    'node-tls-socket-closed',
    /Client network socket disconnected before secure TLS connection was established/,
    'node-postgres',
    'node.ssl.response',
    "The peer closed the connection during Node's TLS handshake, before it completed.",
    [
      'A proxy, load balancer or firewall that cuts the connection (or the server restarting): not a TLS setting.',
      'sslnegotiation=direct against a server before PostgreSQL 17 (it takes the ClientHello for a broken startup packet and closes), or a 17+ server with ssl = off.',
      'Something on that port that is not PostgreSQL, or a proxy that expects another protocol.',
    ],
  ),
  {
    id: 'node-password-missing',
    test: /SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string/,
    driver: 'node-postgres',
    meaning:
      'The server asked for a SCRAM password (scram-sha-256 in pg_hba.conf) and node-postgres has none: the password is undefined or not a string. It is not a TLS matter.',
    causes: [
      'No password in the URL or the config, and PGPASSWORD is not set (often an environment variable that is not loaded, e.g. dotenv not read yet).',
      'The password is a number or another non-string value from a config file.',
    ],
    rule: 'server.auth',
    reproduce: () =>
      node('postgres://app@127.0.0.1/app?sslmode=no-verify', {
        ...GOOD,
        hba: ['host all all 127.0.0.1/32 scram-sha-256'],
        users: { app: 'right' },
      }),
    notSslmode: true,
  },
  explained(
    'node-pem-unreadable',
    /PEM routines::no start line|PEM_read_bio:no start line/,
    'node-postgres',
    'node.clientcert',
    "Node's OpenSSL could not read a PEM file it was given: with node-postgres, the sslcert (or sslrootcert, sslkey) file is not PEM.",
    [
      'A DER or PKCS#12 file, or a key given as the certificate: convert it with openssl x509 / openssl pkey to PEM.',
      'The PEM text was damaged when it was pasted into an environment variable (lost line breaks or dashes).',
    ],
  ),
  {
    id: 'node-altname',
    test: /Hostname\/IP does not match certificate's altnames/,
    driver: 'node-postgres',
    meaning: "Node's checkServerIdentity rejected the certificate for the host it connected to.",
    causes: [
      'The certificate lacks the host name or IP used in the URL.',
      'pg <= 8.23.0 checked IP hosts against "localhost".',
    ],
    rule: 'node.tls.servername',
    reproduce: () =>
      node('postgres://app@localhost/app?sslmode=verify-full&sslrootcert=/ca.pem', GOOD, {
        '/ca.pem': SAMPLE_ROOT_A,
      }),
  },
  {
    id: 'pgx-refused-tls',
    test: /server refused TLS connection/,
    driver: 'pgx',
    meaning:
      'pgx (Go) sent SSLRequest with sslmode require or stronger and the server answered N: it does not do TLS on this port.',
    causes: [
      'ssl = off on the server, or a pooler/proxy in front of it without TLS.',
      'With sslmode=prefer (the pgx default) pgx would have gone on without TLS instead.',
    ],
    rule: 'server.ssl-response',
    reproduce: () =>
      ruleDriver('pgx', 'postgres://app@127.0.0.1/app?sslmode=require', { ssl: false, hba: HBA_ANY }),
  },
  explained(
    'pgx-root-missing',
    /unable to read CA file: open ([^:\n]+): no such file or directory/,
    'pgx',
    'libpq.rootcert',
    'pgx (Go) could not open the file named by sslrootcert (or PGSSLROOTCERT) while building its TLS settings, before connecting.',
    [
      'sslrootcert points to a wrong path (a relative path is relative to the working directory of the program).',
      'The file is not in the container or on the host the program runs on.',
    ],
  ),
  {
    id: 'pgx-unknown-authority',
    test: /x509: certificate signed by unknown authority/,
    driver: 'pgx',
    meaning:
      "Go's x509 verifier found no path from the server certificate to a root in sslrootcert (or the system pool when none is given).",
    causes: [
      'sslrootcert is not the CA of this server, or is missing and the system pool lacks a private CA.',
      'A ~/.postgresql/root.crt on disk turns require into chain verification in pgx.',
    ],
    rule: 'libpq.tls.chain',
    reproduce: () =>
      // verify-full: crypto/tls's own verification, whose error carries "tls: failed to verify certificate: "
      // (verify-ca and require verify in pgx's callback and print the x509 text alone).
      ruleDriver('pgx', 'postgres://app@127.0.0.1/app?sslmode=verify-full&sslrootcert=/etc/ca.pem', GOOD, {
        '/etc/ca.pem': SAMPLE_ROOT_B,
      }),
  },
  {
    id: 'pgjdbc-root-missing',
    test: /Could not open SSL root certificate file/,
    driver: 'pgjdbc',
    meaning:
      "pgJDBC is verifying (sslmode verify-ca/verify-full, or ssl=true, which means verify-full) and looks for root.crt where libpq keeps it; it does not use Java's cacerts by default.",
    causes: [
      'ssl=true (or an empty ssl=) in the URL switched pgJDBC to verify-full; the default sslmode is prefer.',
      'No sslrootcert and no root.crt in ~/.postgresql (%APPDATA%\\postgresql on Windows).',
    ],
    rule: 'libpq.rootcert',
    reproduce: () => ruleDriver('pgjdbc', 'jdbc:postgresql://127.0.0.1:5432/app?user=app&ssl=true', GOOD),
  },
  {
    id: 'pgjdbc-ssl-unsupported',
    test: /The server does not support SSL\./,
    driver: 'pgjdbc',
    meaning:
      'pgJDBC sent SSLRequest and the server answered N, in a mode that insists on TLS (require, verify-ca, verify-full, or ssl=true).',
    causes: [
      'ssl = off on the server, or a pooler or proxy in front of it that does not do TLS.',
      'ssl=true (or an empty ssl=) in the URL: pgJDBC then insists on TLS (and verifies fully). With sslmode=prefer (its default) it would have gone on without TLS.',
    ],
    rule: 'server.ssl-response',
    reproduce: () =>
      ruleDriver('pgjdbc', 'jdbc:postgresql://127.0.0.1:5432/app?user=app&sslmode=require', {
        ssl: false,
        hba: HBA_ANY,
      }),
  },
  {
    id: 'pgjdbc-validity',
    test: /PKIX path validation failed: java\.security\.cert\.CertPathValidatorException: validity check failed/,
    driver: 'pgjdbc',
    meaning:
      "Java's PKIX validator reached a trusted root but a certificate on the path is outside its validity period: expired, or not valid yet.",
    causes: [
      'The server certificate expired and was not renewed, or the server was not reloaded after the renewal.',
      "The client machine's clock is wrong (containers and VMs resumed from a snapshot).",
      'An intermediate the server sends has expired (a stale chain file after the CA renewed it).',
    ],
    rule: 'libpq.tls.chain',
    reproduce: () =>
      ruleDriver(
        'pgjdbc',
        'jdbc:postgresql://127.0.0.1:5432/app?user=app&sslmode=verify-ca&sslrootcert=/etc/ca.pem',
        { ...GOOD, certificateChain: SAMPLE_LEAF_EXPIRED },
        { '/etc/ca.pem': SAMPLE_ROOT_A },
      ),
  },
  {
    id: 'pgjdbc-pkix',
    test: /PKIX path (?:building|validation) failed|Path does not chain with any of the trust anchors|unable to find valid certification path to requested target/,
    driver: 'pgjdbc',
    meaning:
      "Java's PKIX path builder could not reach a trust anchor in the root file from the server certificate.",
    causes: [
      'The root file holds another CA, or the server does not send its intermediate (Java fetches none by default).',
      'A provider rotated its CA and the root file was not updated.',
    ],
    rule: 'libpq.tls.chain',
    reproduce: () =>
      ruleDriver(
        'pgjdbc',
        'jdbc:postgresql://127.0.0.1:5432/app?user=app&sslmode=verify-ca&sslrootcert=/etc/ca.pem',
        GOOD,
        { '/etc/ca.pem': SAMPLE_ROOT_B },
      ),
  },
  {
    id: 'pgjdbc-hostname',
    test: /could not be verified by hostnameverifier/,
    driver: 'pgjdbc',
    meaning: 'pgJDBC verify-full: the host in the URL is not a name (or IP SAN) of the server certificate.',
    causes: [
      'Connecting by IP or by an alias the certificate does not list.',
      'Since 2018 pgJDBC checks the name even with NonValidatingFactory.',
    ],
    rule: 'libpq.hostname',
    reproduce: () =>
      ruleDriver(
        'pgjdbc',
        'jdbc:postgresql://127.0.0.1:5432/app?user=app&sslmode=verify-full&sslrootcert=/etc/ca.pem',
        { ...GOOD, certificateChain: SAMPLE_LEAF_OTHER_NAME },
        { '/etc/ca.pem': SAMPLE_ROOT_A },
      ),
  },
  {
    id: 'libpq-invalid-option',
    test: /invalid (sslnegotiation|sslcertmode|gssencmode|target_session_attrs) value: "([^"\s]*)"|invalid SSL protocol version range/,
    driver: 'libpq',
    meaning:
      'libpq refused the connection string before connecting: an option it checks up front (sslnegotiation, sslcertmode, gssencmode, target_session_attrs) has a value it does not know, or ssl_min_protocol_version is above ssl_max_protocol_version.',
    causes: [
      'A typo, or a value for another libpq version: sslnegotiation (17+) takes postgres or direct; sslcertmode (16+) disable, allow or require; gssencmode disable, prefer or require; target_session_attrs any, read-write, read-only, primary, standby or prefer-standby (14+ for the last four).',
      'ssl_min_protocol_version=TLSv1.3 with ssl_max_protocol_version=TLSv1.2 (or the PGSSLMINPROTOCOLVERSION / PGSSLMAXPROTOCOLVERSION variables): the range is empty.',
    ],
    rule: 'libpq.options.parse',
    reproduce: (m) =>
      libpq(
        m[1] === undefined
          ? 'host=127.0.0.1 user=app ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2'
          : `host=127.0.0.1 user=app ${m[1]}=${m[2] ?? ''}`,
        GOOD,
      ),
  },
  {
    id: 'libpq-clientcert-unreadable',
    test: /could not (read certificate|load private key) file "([^"]+)": (?!key values mismatch)(.+)/,
    driver: 'libpq',
    meaning:
      "libpq found the client certificate file (sslcert=, or ~/.postgresql/postgresql.crt) or its key file (sslkey=, or ~/.postgresql/postgresql.key), and OpenSSL could not read it: it gives up before sending anything, whatever the server's pg_hba.conf says.",
    causes: [
      '"no start line": the file is not PEM (a DER file, a PKCS#12 bundle, or something else saved under that name); convert it with openssl x509 / openssl pkey.',
      'The key is encrypted and no sslpassword= is given, or it is in a format this OpenSSL does not read ("unsupported").',
      'A file left in ~/.postgresql from another setup: libpq reads the default files in every sslmode that does TLS.',
    ],
    rule: 'libpq.clientcert.files',
    reproduce: (m) =>
      libpq(
        'host=127.0.0.1 sslmode=require user=app dbname=app',
        MTLS,
        m[1] === 'read certificate'
          ? clientFiles('not a certificate\n', SAMPLE_CLIENT_OTHER_KEY)
          : clientFiles(SAMPLE_CLIENT_APP_CERT, 'not a key\n'),
      ),
  },
  {
    id: 'libpq-invalid-sslmode',
    test: /invalid sslmode value: "([^"]*)"/,
    driver: 'libpq',
    meaning: 'libpq knows six sslmode values: disable, allow, prefer, require, verify-ca, verify-full.',
    causes: [
      'A typo or another tool\'s spelling ("required", "verify", "verify_ca", "true").',
      'PGSSLMODE set to something else in the environment.',
    ],
    rule: 'libpq.options.parse',
    reproduce: (m) => libpq(`host=127.0.0.1 user=app sslmode=${m[1] ?? 'bogus'}`, GOOD),
  },
  {
    id: 'libpq-system-weak',
    test: /weak sslmode "([a-z-]+)" may not be used with sslrootcert=system \(use "verify-full"\)/,
    driver: 'libpq',
    meaning:
      'libpq 16+ refuses sslrootcert=system with any sslmode but verify-full: trusting every public CA makes sense only when the host name is checked too (any site can get a certificate from one of them).',
    causes: [
      'The connection string or PGSSLMODE sets another sslmode (require, verify-ca, prefer): use sslmode=verify-full, or leave sslmode out (with sslrootcert=system it defaults to verify-full).',
      'PGREQUIRESSL=1 or requiressl=1 in the environment or the string stands for sslmode=require.',
    ],
    rule: 'libpq.sslrootcert.system',
    reproduce: (m) => libpq(`host=127.0.0.1 user=app sslmode=${m[1] ?? 'require'} sslrootcert=system`, GOOD),
  },
  {
    id: 'libpq-direct-weak',
    test: /weak sslmode "([a-z-]+)" may not be used with sslnegotiation=direct/,
    driver: 'libpq',
    meaning:
      'libpq 17+ refuses sslnegotiation=direct with an sslmode that would accept plaintext: direct TLS skips SSLRequest and cannot fall back.',
    causes: ['Use sslmode=require, verify-ca or verify-full with sslnegotiation=direct (or drop direct).'],
    rule: 'libpq.sslnegotiation.direct',
    reproduce: (m) =>
      libpq(`host=127.0.0.1 user=app sslmode=${m[1] ?? 'prefer'} sslnegotiation=direct`, GOOD),
  },
  explained(
    'node-security-warning',
    /SECURITY WARNING: The SSL modes/,
    'node-postgres',
    'node.ssl.config',
    "A warning, not an error: pg-connection-string treats prefer, require and verify-ca as verify-full today, and says they will take libpq's meanings in its next major version.",
    [
      'Nothing is at risk today: these modes already verify fully.',
      'Write sslmode=verify-full to keep full verification after the change, or uselibpqcompat=true to opt into libpq semantics now.',
    ],
  ),
  explained(
    'go-ip-san',
    /doesn't contain any IP SANs|relies on legacy Common Name field/,
    'pgx',
    'libpq.hostname',
    "Go's x509: an IP host needs an iPAddress SAN, and since Go 1.15 the Common Name is never used as a host name.",
    [
      'Connect by a DNS name the certificate lists, or reissue it with the IP (or the name) as a SAN.',
      'CN-only certificates (old private CAs) fail in Go whatever the name.',
    ],
  ),
  {
    id: 'npgsql-ssl-unsupported',
    test: /SSL connection requested\. No SSL enabled connection from this host is configured/,
    driver: 'npgsql',
    meaning:
      'Npgsql sent SSLRequest and the server answered N, with SSL Mode=Require, VerifyCA or VerifyFull: it does not fall back to plaintext in those modes.',
    causes: [
      'ssl = off on the server, or a pooler or proxy in front of it that does not do TLS.',
      'With SSL Mode=Prefer (the default) Npgsql would have gone on without TLS.',
    ],
    rule: 'server.ssl-response',
    reproduce: () =>
      ruleDriver('npgsql', 'Host=127.0.0.1;Username=app;SSL Mode=Require', { ssl: false, hba: HBA_ANY }),
  },
  explained(
    'npgsql-root-missing',
    /Could not find file '([^']+)'/,
    'npgsql',
    'libpq.rootcert',
    '.NET could not open a file named in the connection settings: with Npgsql, the Root Certificate (or PGSSLROOTCERT), SSL Certificate or SSL Key file.',
    [
      'Root Certificate= points to a wrong path, or the file is not in the container or on the host the program runs on.',
      'A relative path, read from the working directory of the process.',
    ],
  ),
  explained(
    'go-hostname',
    // Go's HostnameError.Error(), as pki/profiles/go.ts (the lab's pgx) prints it.
    /x509: certificate is (?:valid for .+, not \S+|not valid for \S+)/,
    'pgx',
    'libpq.hostname',
    "Go's crypto/x509 (pgx, lib/pq): the host the program connected to is not among the certificate's SANs (DNS names for a host name, IP SANs for an address; the Common Name is never used since Go 1.15).",
    [
      'Connecting by an alias, a load balancer name or an address the certificate does not list: connect by a name it lists, or reissue it with that name as a SAN.',
      'A wildcard *.example.com does not cover example.com or a.b.example.com.',
      'lib/pq checked the host name even with sslmode=verify-ca.',
    ],
  ),
  explained(
    'go-expired',
    /x509: certificate has expired or is not yet valid/,
    'pgx',
    'libpq.tls.chain',
    "Go's crypto/x509 (pgx, lib/pq): a certificate of the server's chain is outside its validity period; the rest of the line gives the time now and the date it is past or before.",
    [
      'The server certificate expired and was not renewed, or the server was not reloaded after the renewal.',
      "The client machine's clock is wrong (containers and VMs resumed from a snapshot).",
      'An intermediate the server sends has expired (a stale chain file after the CA renewed it).',
    ],
  ),
  explained(
    'npgsql-validation',
    /RemoteCertificateValidationCallback|RemoteCertificateChainErrors|remote certificate is invalid|please use VerifyFull or VerifyCA instead of Require|cannot be used in conjunction with UserCertificateValidationCallback/,
    'npgsql',
    'libpq.tls.chain',
    '.NET rejected the server certificate while Npgsql validated it (or Npgsql refused a combination of settings).',
    [
      'Npgsql before 6.0 validated with Require, unlike libpq; from 8 on Require does not, and VerifyCA/VerifyFull do.',
      '"please use VerifyFull or VerifyCA instead of Require": Npgsql 6.0 and 7.0 refuse SSL Mode=Require without Trust Server Certificate=true (they would not verify, and said so); set one of the two, or upgrade to 8, where Require means encrypt without verifying as in libpq.',
      "The provider's CA is not in the operating system store: give it with Root Certificate=<file>.",
      'A validation callback together with VerifyCA/VerifyFull or Root Certificate is refused by design.',
    ],
  ),
  // After npgsql-validation: a paste with the inner exception too is explained by its reason.
  {
    id: 'npgsql-handshake',
    test: /Exception while performing SSL handshake/,
    driver: 'npgsql',
    meaning:
      "Npgsql's TLS handshake failed: .NET (SslStream) threw, and Npgsql wraps its exception in this one. The inner exception (AuthenticationException) names the reason.",
    causes: [
      "With SSL Mode=VerifyCA or VerifyFull: the server certificate does not chain to Root Certificate (or, without one, to the operating system store), for example a managed service's private CA.",
      'With VerifyFull: the host name is not a name of the server certificate (the inner exception says RemoteCertificateNameMismatch).',
      'No TLS version or cipher in common with the server.',
    ],
    rule: 'libpq.tls.chain',
    reproduce: () =>
      ruleDriver(
        'npgsql',
        'Host=127.0.0.1;Username=app;SSL Mode=VerifyCA;Root Certificate=/etc/ca.pem',
        GOOD,
        { '/etc/ca.pem': SAMPLE_ROOT_B },
      ),
  },
  explained(
    'ssl-syscall',
    /SSL SYSCALL error/,
    'libpq',
    'libpq.error.format',
    'The connection was cut under TLS (EOF or a reset): usually not a certificate or sslmode problem.',
    [
      'An idle pooled connection was dropped by a load balancer, NAT or firewall timeout, or the server restarted: use keepalives or check connections before use.',
      'A proxy that routes on SNI, meeting a libpq older than 14 that sends none.',
    ],
    true,
  ),
  explained(
    'bad-record-mac',
    /decryption failed or bad record mac/,
    'libpq',
    'libpq.error.format',
    'Two processes used one TLS connection: after fork() both write with the same keys and sequence numbers, and the peer rejects the records. Not a certificate or sslmode problem.',
    [
      'A connection opened before fork() (multiprocessing, Celery prefork, uWSGI without lazy-apps) and used in the children: open connections after the fork.',
    ],
    true,
  ),
  explained(
    'server-log-noise',
    /could not accept SSL connection: (?:sslv3 alert handshake failure|EOF detected|unexpected eof while reading)/,
    'unknown',
    'server.ssl-response',
    "A server log line: something opened a TLS connection and dropped it, typically a port scanner or a load balancer's health check. OpenSSL 3 logs an unclean shutdown as an error.",
    ['Nothing to fix in sslmode; find the source address of those connections.'],
    true,
  ),
  // TLS failures that are not about sslmode or certificates: the handshake itself was refused or altered.
  explained(
    'tls-handshake-failure-alert',
    /alert handshake failure/,
    'libpq',
    'libpq.tls.error',
    "The server found nothing in common with the client's offer: no cipher suite (in TLS 1.2 also none that fits its certificate's key), no key exchange group or no signature algorithm, and answered with a handshake_failure alert.",
    [
      "The server's ssl_ciphers (TLS 1.2) or its OpenSSL configuration (system-wide crypto policy, FIPS mode) leaves no suite the client offers.",
      'An ECDSA server certificate and a client (or its crypto policy) that offers only RSA suites, or the reverse.',
      "Under TLS 1.3: no key exchange group in common (the server's ssl_ecdh_curve / ssl_groups against the client's groups).",
    ],
  ),
  explained(
    'tls-internal-error-alert',
    /alert internal error/,
    'libpq',
    'libpq.tls.error',
    "The server's TLS stack failed for a reason of its own and said so with an internal_error alert: nothing in the client's offer was refused as such. PostgreSQL's OpenSSL also sends it for a few failures while checking a client certificate.",
    [
      'With a client certificate: the server could not complete its check of it (see the server log for the reason).',
      'A TLS proxy or server with a broken configuration (a key it cannot use, a FIPS or crypto policy that forbids what was negotiated).',
    ],
  ),
  explained(
    'libpq-no-cert-names',
    /could not get server's host name from server certificate/,
    'libpq',
    'libpq.hostname',
    'verify-full: the server certificate has no name libpq can compare with the host: no DNS or IP subjectAltName and no Common Name.',
    [
      'A certificate made without a subject CN and without SANs (some generated or internal certificates): reissue it with the server name as a SAN.',
    ],
  ),
  explained(
    'connection-refused',
    /Connection refused|connect ECONNREFUSED/,
    'libpq',
    'libpq.socket',
    'Nothing accepts TCP connections at that address and port: the connection was refused before any PostgreSQL or TLS message. Not a TLS matter.',
    [
      'The server is not running, listens on another port, or only on other addresses (listen_addresses, which defaults to localhost).',
      'A firewall that rejects the connection, or the wrong host or port in the connection string (a local pooler on 6432 instead of 5432).',
    ],
    true,
  ),
  explained(
    'host-not-resolved',
    /could not translate host name "[^"]*" to address|getaddrinfo ENOTFOUND/,
    'libpq',
    'libpq.host.resolve',
    'The host name does not resolve (DNS or /etc/hosts): no connection was attempted. Not a TLS matter.',
    ['A typo in the host name, or a name that only resolves inside another network (a container or a VPN).'],
    true,
  ),
  explained(
    'tls-decrypt-error-alert',
    /alert decrypt error/,
    'libpq',
    'libpq.tls.error',
    "The server could not verify something the client computed: the client's Finished, or (with a client certificate) its CertificateVerify signature. The handshake was altered on the way, or one side's TLS stack is broken.",
    [
      'A middlebox or proxy that rewrites the handshake (TLS inspection) without terminating TLS.',
      'A client certificate whose private key signs wrongly (a broken token or HSM).',
    ],
  ),
  explained(
    'tls-bad-record-mac-alert',
    /alert bad record mac/,
    'libpq',
    'libpq.tls.error',
    'The server received a record from this client whose authentication tag did not verify: the bytes were changed on the way, or another process wrote on the same TLS connection with the same keys.',
    [
      'A connection opened before fork() and used in a child process too (see "decryption failed or bad record mac").',
      'A faulty network device or proxy altering bytes in flight.',
    ],
  ),
  explained(
    'tls-bad-key-share',
    /SSL error: bad key share/,
    'libpq',
    'libpq.tls.error',
    "The client's OpenSSL refused the server's TLS 1.3 key share choice: its HelloRetryRequest asked for a group the client did not offer (or the one it already sent), or its ServerHello's key share was for another group. RFC 8446 §4.2.8 makes the client abort with illegal_parameter.",
    [
      'A TLS proxy or server whose TLS 1.3 implementation is broken.',
      'A middlebox that rewrites ServerHello or HelloRetryRequest.',
    ],
  ),
  explained(
    'tls-bad-signature',
    /SSL error: (?:bad signature|first octet invalid|last octet invalid|provider signature failure)/,
    'libpq',
    'libpq.tls.error',
    'The server\'s signature over the handshake (TLS 1.3 CertificateVerify, TLS 1.2 ServerKeyExchange) does not verify with the public key in its certificate: it has not proven that it holds the certificate\'s private key. For RSA, OpenSSL names the PSS padding check that failed first (first/last octet invalid); OpenSSL 3.5 reports an ECDSA one as "provider signature failure".',
    [
      'Something on the path replaced the signature or the certificate: treat it as an attack until shown otherwise.',
      "A proxy or server signing with another key than its certificate's (PostgreSQL itself refuses to start with a key that does not match ssl_cert_file).",
    ],
  ),
  explained(
    'tls-digest-check-failed',
    /SSL error: digest check failed/,
    'libpq',
    'libpq.tls.error',
    "The server's Finished message does not match the client's own computation over the handshake transcript: the two sides did not see the same handshake. The client aborts with decrypt_error.",
    [
      'A middlebox that altered a handshake message without breaking record protection (only possible before encryption, or by a party holding the keys).',
      'A broken TLS implementation on the server side or in a proxy.',
    ],
  ),
  explained(
    'tls13-certificate-required',
    /alert certificate required/,
    'libpq',
    'libpq.clientcert.alert',
    'The server requires a client certificate at the TLS level and the client sent none: under TLS 1.3 it answers an empty Certificate with certificate_required (RFC 8446 §4.4.2.4). PostgreSQL itself only asks for one and leaves the decision to pg_hba.conf ("connection requires a valid client certificate"), so this alert comes from a TLS proxy or pooler in front of it, or a server configured to require certificates.',
    [
      'No client certificate: libpq sends ~/.postgresql/postgresql.crt with its key unless sslcert= and sslkey= name others, and sends nothing when the files are missing.',
      'sslcertmode=disable (libpq 16+) keeps the certificate back.',
    ],
  ),
  explained(
    'tls-inappropriate-fallback',
    /inappropriate fallback/,
    'libpq',
    'libpq.tls.error',
    "The client offered TLS 1.3, yet the server answered in TLS 1.2 with RFC 8446 §4.1.3's downgrade sentinel (DOWNGRD) in its random: a TLS 1.3 server was made to negotiate 1.2, so something on the path hid the client's TLS 1.3 offer. The client aborts. (From a server, the same reason means it refused a TLS_FALLBACK_SCSV retry.)",
    [
      'A middlebox that strips or rewrites the ClientHello (TLS inspection, an old firewall): an attack or a broken device on the path.',
    ],
  ),
  explained(
    'not-postgres-peer',
    /1234\.5679/,
    'unknown',
    'server.ssl-response',
    'Protocol "1234.5679" is the SSLRequest code (80877103) read as a protocol version: the peer did not understand SSLRequest, so it is not PostgreSQL (or a proxy that does not speak the PostgreSQL protocol).',
    [
      'Something else listens on that port, or a TCP/TLS proxy in the path expects to see TLS (or plain PostgreSQL) first.',
    ],
    true,
  ),
  explained(
    'server-direct-no-alpn',
    /received direct SSL connection request without ALPN protocol negotiation extension/,
    'unknown',
    'libpq.sslnegotiation.direct',
    'A server log line (PostgreSQL 17+): a client began with a TLS ClientHello instead of SSLRequest (direct TLS) without the ALPN protocol "postgresql", and the server closed the connection. libpq 17+ with sslnegotiation=direct always sends it.',
    [
      'A client library or proxy that starts TLS directly but does not offer ALPN "postgresql" (a generic TLS client, an older pooler, a TLS-terminating load balancer passing TLS on).',
      'A port scanner or health check speaking TLS to the PostgreSQL port.',
    ],
  ),
  explained(
    'server-unencrypted-after-sslrequest',
    /received unencrypted data after SSL request/,
    'unknown',
    'server.ssl-response',
    'A server log line: after SSLRequest, more bytes arrived before the TLS handshake. Since the fix for CVE-2021-23214 the server refuses them and closes the connection ("This could be either a client-software bug or evidence of an attempted man-in-the-middle attack").',
    [
      'Something on the path injected plaintext ahead of the TLS handshake: treat it as an attack until shown otherwise.',
      'A client that sends its startup packet without waiting for the server to answer SSLRequest (a client bug).',
    ],
  ),
  explained(
    'client-unencrypted-after-sslresponse',
    /received unencrypted data after SSL response|Additional unencrypted data received after SSL negotiation/i,
    'unknown',
    'server.ssl-response',
    'The client\'s side of CVE-2021-23222: the server\'s one-byte \'S\' (yes to SSLRequest) arrived with more bytes behind it, before the TLS handshake. Those bytes are not protected by TLS, so the client refuses them and closes. libpq 14.1+ (and pgbouncer toward its servers) says "received unencrypted data after SSL response"; Npgsql "Additional unencrypted data received after SSL negotiation - this should never happen, and may be an indication of a man-in-the-middle attack."',
    [
      "Something on the path injected plaintext after the server's 'S' (a man in the middle hoping the client takes it for the server's answers): treat it as an attack until shown otherwise.",
      "A proxy or server that answers 'S' and sends something else before TLS (a bug in it). Older clients (libpq before 14.1) read such bytes as if they had come over TLS, the hole this check closes.",
    ],
  ),
  explained(
    'libpq-go-unsupported-sslmode',
    /unsupported sslmode "([^"]*)"; only "require" \(default\), "verify-full", "verify-ca", and "disable" supported/,
    'unknown',
    'libpq.options.parse',
    "Go's lib/pq (github.com/lib/pq) knows four sslmode values: require (its default), verify-full, verify-ca and disable. It refuses prefer and allow, which libpq and pgx accept.",
    [
      'sslmode=prefer or allow in a connection string written for libpq: pick require, or disable where the server has no TLS.',
      "A typo or another tool's spelling of the mode.",
    ],
  ),
  // Row 27 of real-world-errors.md: scanners, health checks and cut connections, not an sslmode matter.
  explained(
    'unexpected-eof',
    /unexpected eof while reading/,
    'libpq',
    'libpq.error.format',
    'The peer closed the TCP connection in the middle of TLS, without a TLS close_notify: OpenSSL 3 reports such an unclean shutdown as this error (OpenSSL 1.1.1 printed "SSL SYSCALL error: EOF detected"). Nothing about certificates or sslmode was decided.',
    [
      'The connection was cut: a proxy, load balancer or firewall that closes connections (idle timeouts, a health check that hangs up), or the server restarting or a backend being terminated.',
      'A proxy or pooler in front of PostgreSQL that does not accept TLS and hangs up.',
      'Only with sslnegotiation=direct in the connection string (libpq 17+): a server before PostgreSQL 17 takes the TLS ClientHello for a broken startup packet and closes; use sslnegotiation=postgres (the default) or upgrade the server.',
      'On the server side ("could not accept SSL connection: unexpected eof while reading"): port scanners and health checks that open TLS and drop it; log noise.',
    ],
    true,
  ),
  explained(
    'sni-endpoint',
    /Endpoint ID is not specified|SNI is missing|connection is insecure \(try using/,
    'libpq',
    'libpq.tls.protocol',
    'A proxy in front of the database routes connections by the TLS SNI host name, and this client sent none (libpq sends SNI since 14) or did not use TLS.',
    [
      'Upgrade the libpq the tool bundles (14 or later), or pass the endpoint in options= as the provider documents.',
      'Use sslmode=require or stronger: the proxy refuses plaintext.',
    ],
  ),
  explained(
    'libpq-no-ssl-support',
    /invalid when SSL support is not compiled in/,
    'libpq',
    'libpq.options.parse',
    'The client library was built without OpenSSL: it cannot do TLS at all, whatever the server allows.',
    ['Install a libpq (or the tool) built with SSL support.'],
  ),
  explained(
    'key-permissions',
    /has group or world access/,
    'unknown',
    'libpq.clientcert.files',
    'A private key file is readable by other users, and libpq (or the server, for its own key) refuses to use it.',
    [
      'chmod 0600 the key (0640 when owned by root); mounted secrets and Windows file systems often give 0644 or 0777.',
    ],
  ),
  explained(
    'rustls-webpki',
    /UnknownIssuer|UnsupportedCertVersion/,
    'unknown',
    'libpq.tls.chain',
    'A rustls-based client rejected the server certificate: webpki found no path to its roots, or refuses a version 1 certificate.',
    [
      'The server sends only its leaf and the intermediate is not in the client roots (OpenSSL-based psql can find it in the root file, webpki needs it sent).',
      'A v1 certificate (no extensions) from an old private CA.',
    ],
  ),
  explained(
    'tls-state-machine',
    /unexpected_message|ccs received early/,
    'unknown',
    'libpq.tls.protocol',
    'The two TLS stacks disagreed on the order of handshake messages: a TLS implementation issue, not sslmode.',
    ['Update the JDK or OpenSSL on either side.'],
    true,
  ),
  {
    id: 'channel-binding',
    test: /unrecognized configuration parameter "(channel_binding|gssencmode|[a-z_]+)"/,
    driver: 'unknown',
    meaning:
      'The server was sent a run-time setting it does not know, and refused the connection after authentication. channel_binding, gssencmode and the like are libpq connection keywords, not server settings: a driver that does not read one itself (Bun.SQL, asyncpg) forwards it to the server.',
    causes: [
      'Bun.SQL (Bun\'s built-in PostgreSQL client) with a URL hardened for libpq, such as a hosted service\'s "?sslmode=require&channel_binding=require": Bun forwards channel_binding in the StartupMessage and does no channel binding (oven-sh/bun#41703, open at the time of writing). Remove the parameter, and do not count on channel binding there: use sslmode=verify-full.',
      'asyncpg (or SQLAlchemy with postgresql+asyncpg) with such a URL: asyncpg sends every DSN parameter it does not know as a server setting, and has no channel_binding option. Remove the parameter.',
      'A typo in a server setting passed as a connection option.',
    ],
    rule: 'server.startup-settings',
    reproduce: (m) =>
      asyncpg(`postgres://app@127.0.0.1/app?sslmode=require&${m[1]}=require`, { ...GOOD, hba: HBA_ANY }),
  },
];

export function diagnoseError(text: string): Diagnosis {
  // psql's prefix, and the "Error: " Node prints before an Error's message.
  const clean = text.replace(/^psql: error: /, '').replace(/^Error: /, '');
  for (const p of PATTERNS) {
    const m = p.test.exec(clean);
    if (!m || (p.accept && !p.accept(m))) continue;
    const { meaning, causes, rule } = p.story?.(m) ?? p;
    return {
      id: p.id,
      driver: p.driver,
      meaning,
      causes,
      rule: { id: rule, source: RULES[rule].source },
      reproduce: p.reproduce(m),
      ...(p.notSslmode ? { notSslmode: true } : {}),
    };
  }
  return {
    id: 'unknown',
    driver: 'unknown',
    meaning: 'Not a text this troubleshooter knows.',
    causes: ['Paste the complete message, including every "connection to server at ..." line.'],
    reproduce: null,
  };
}

/** The pattern ids, in the order they are tried (for tests: every pattern has a sample that reproduces). */
export const PATTERN_IDS: readonly string[] = PATTERNS.map((p) => p.id);

/** Node's error codes for certificate failures (OpenSSL's X509_V_ERR names), each with the message Node prints. */
const NODE_CERT_CODES: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: 'certificate has expired',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
};

/**
 * An error text with the parts a user's setup names differently from a reproduction left out or replaced by
 * placeholders: libpq's "connection to server at <host> (<address>), port <port> failed: " prefix, host
 * names and addresses, socket and file paths, the certificate's names. What is left (the words, the
 * number of lines, user and database names) must be the same for a reproduction to count as one.
 */
export function normalizeErrorText(text: string): string {
  return (
    text
      .replace(/^psql: error: /gm, '')
      // libpq's per-attempt prefix names only the host and port (and people often paste without it).
      .replace(/^connection to server at "[^"]*"(?: \([^)]*\))?, port \d+ failed: /gm, '')
      .replace(/^connection to server on socket "[^"]*" failed: /gm, '')
      // pgx: failed to connect to `user=... database=...`: host:port (address): ...
      .replace(/^(failed to connect to `[^`]*`:) \S+:\d+ \([^)]*\):/gm, '$1 HOST:')
      .replace(/The hostname \S+ could not be verified/g, 'The hostname HOST could not be verified')
      .replace(/(certificate file) (?:\/|[A-Za-z]:\\)\S*?(\.?)$/gm, '$1 PATH$2')
      .replace(/server certificate for "[^"]*"/g, 'server certificate for "NAME"')
      .replace(/host name "[^"]*"/g, 'host name "HOST"')
      // The server's pg_hba.conf lines: "no pg_hba.conf entry for host", "rejects connection for host", and the
      // replication forms ("entry for replication connection from host", "rejects replication connection for host").
      .replace(/(entry for|connection for|connection from) host "[^"]*"/g, '$1 host "HOST"')
      .replace(/(["'])(?:~|\/|[A-Za-z]:\\)[^"'\n]*\1/g, '$1PATH$1')
      // CPython's "(_ssl.c:N)": its line differs per CPython build, and people often paste without it.
      .replace(/ ?\(_ssl\.c:\d+\)/g, '')
      // Node's stack trace under its message.
      .replace(/^\s+at .*$\n?/gm, '')
      // libpq prints two spaces after a severity; people often paste one.
      .replace(/^(FATAL|ERROR|DETAIL|HINT):[ \t]+/gm, '$1:  ')
      // Node prints an Error's message after "Error: "; node-postgres's texts are the message. A pasted code alone
      // (err.code) names the same failure as its message.
      .replace(/^Error: /gm, '')
      .replace(/^([A-Z_]+)$/gm, (line, code: string) => NODE_CERT_CODES[code] ?? line)
      // OpenSSL before 3.0 wrote "self signed"; Node 17+ (OpenSSL 3) writes "self-signed".
      .replace(/\bself signed\b/g, 'self-signed')
      .replace(/[ \t]+$/gm, '')
      // A sentence's last period is often lost in a paste.
      .replace(/\.$/gm, '')
      .trim()
  );
}

/**
 * Does a reproduction print what was pasted? 'exact': the same text modulo host, port and paths; 'partial': the
 * pasted lines are all there, and the client prints more (a line the user left out, or, for a one-line paste, the
 * rest of the line: pgx and asyncpg wrap the reason people quote in a longer line); 'different': it does not.
 */
export function reproductionMatch(pasted: string, reproduced: string): 'exact' | 'partial' | 'different' {
  const a = normalizeErrorText(pasted);
  const b = normalizeErrorText(reproduced);
  if (a === b) return 'exact';
  const lines = b.split('\n');
  const want = a.split('\n');
  const from = lines.indexOf(want[0] ?? '');
  if (from !== -1 && want.every((l, i) => lines[from + i] === l)) return 'partial';
  // The reason quoted out of a longer line: the whole rest of it after a ": ", or all of it up to the next ": "
  // (asyncpg's "[SSL: ...] certificate verify failed" before OpenSSL's reason).
  // PostgreSQL's own lines have two spaces after "FATAL:" (elog.c), so a colon counts with any run of spaces.
  const quoted =
    want.length === 1 &&
    a.length >= 12 &&
    lines
      .map((l) => l.replace(/: +/g, ': '))
      .some((l) => l.endsWith(`: ${a}`) || l.startsWith(`${a}: `) || l.includes(`: ${a}: `));
  return quoted ? 'partial' : 'different';
}
