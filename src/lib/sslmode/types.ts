/**
 * The sslmode engine's plain-data model: a scenario (client settings + server settings + certificates) in,
 * a ConnectionOutcome (connected? encrypted? exact error text? every step with its rule and source) out.
 * Everything here survives `structuredClone` and `JSON.stringify`.
 */

import type { Driver, ServerPreset } from './names.ts';

export type { Driver, LibpqVersion, ServerPreset, SslMode } from './names.ts';

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export interface ClientSpec {
  readonly driver: Driver;
  /** Driver version: libpq "15".."18" (default "17"); node-postgres "8.23"; pgjdbc "42.7"; npgsql "8".."10"; pgx "5"; asyncpg "0.31". */
  readonly version?: string;
  /** libpq key=value or postgres:// URI (node-postgres: URL; pgJDBC: jdbc:postgresql:// URL or key=value; Npgsql: Key=Value;...). */
  readonly conninfo: string;
  /**
   * Files the client can see: a path as written in conninfo, or `~/.postgresql/<name>` (that file in $HOME),
   * mapped to its PEM text. A path that is absent here does not exist. libpq expands no `~` in a value, so for it
   * `sslrootcert=~/.postgresql/root.crt` never finds the home file (clientcert.ts libpqFile).
   */
  readonly files?: Readonly<Record<string, string>>;
  /** Environment variables the driver reads (PGSSLMODE, PGSSLROOTCERT, ...). Default: none set. */
  readonly env?: Readonly<Record<string, string>>;
  /** The operating-system user, libpq's default `user` (default "postgres"). */
  readonly osUser?: string;
  /** $HOME, used to print `~/.postgresql/root.crt` as libpq does (default /home/<osUser>). */
  readonly home?: string;
  /** The process's working directory, against which node-postgres reads relative file paths (default: home). */
  readonly cwd?: string;
}

export type AuthMethod = 'trust' | 'reject' | 'scram-sha-256' | 'md5' | 'password' | 'cert';

export interface ServerSpec {
  /** postgresql.conf `ssl`. */
  readonly ssl: boolean;
  /** The server's certificate file (ssl_cert_file): the leaf first, then any intermediates, as PEM. */
  readonly certificateChain?: string;
  /**
   * ssl_ca_file: PEM of the CAs the server trusts for client certificates. When set, the server sends a
   * CertificateRequest and verifies what the client sends (a bad certificate fails the handshake).
   */
  readonly caFile?: string;
  /** The server key's algorithm, for display ("RSA 2048", "EC P-256"); derived from the leaf when absent. */
  readonly keyType?: string;
  /** ssl_min_protocol_version (default TLSv1.2) and ssl_max_protocol_version (default: no limit). */
  readonly minProtocol?: string;
  readonly maxProtocol?: string;
  /** pg_hba.conf lines, in order. Comment and blank lines are ignored. */
  readonly hba: readonly string[];
  /** Roles and their passwords (null: no password set). Absent: every role exists and any password is right. */
  readonly users?: Readonly<Record<string, string | null>>;
  /** Databases that exist. Absent: every database exists. */
  readonly databases?: readonly string[];
  /** Addresses the server listens on (listen_addresses); default 127.0.0.1 and ::1. */
  readonly listen?: readonly string[];
  /** The server's port (default: whatever the client asks for). */
  readonly port?: number;
  /**
   * The server's PostgreSQL major version (default 17). A server before 17 does not speak TLS first: it reads
   * libpq's direct-TLS ClientHello (`sslnegotiation=direct`) as a malformed startup packet and closes the connection.
   */
  readonly majorVersion?: number;
  /**
   * Managed-service preset whose documented setting is applied on top of `hba` (server.ts presetSetting); with
   * `hba` empty, the preset's own lines (the service's pg_hba.conf is not the user's to edit).
   */
  readonly preset?: ServerPreset;
  /** Azure Flexible Server `require_secure_transport` (default on under the azure preset). */
  readonly requireSecureTransport?: boolean;
  /** AWS RDS `rds.force_ssl` (default under the aws preset: 1 from majorVersion 15 on, else 0). */
  readonly rdsForceSsl?: boolean;
}

export interface Scenario {
  readonly client: ClientSpec;
  readonly server: ServerSpec;
  /** Name resolution the client sees: host name -> addresses in order (default localhost -> 127.0.0.1). */
  readonly resolve?: Readonly<Record<string, readonly string[]>>;
  /** The clock for certificate validity (default: now, taken at the outer API). */
  readonly time?: string | Date;
}

export type StepKind =
  /** The server process itself, before any connection: loading pg_hba.conf at start. */
  | 'server-start'
  | 'parse'
  /** A managed-service preset's settings and the pg_hba lines the server applies (attempt 0). */
  | 'server-config'
  | 'tcp'
  | 'ssl-request'
  | 'ssl-response'
  | 'tls'
  /** libpq's root CA file (initialize_SSL()), read before the handshake: no server certificate is seen yet. */
  | 'root-file'
  | 'chain'
  | 'hostname'
  | 'client-cert'
  | 'startup'
  | 'pg_hba'
  | 'auth'
  | 'result';

export type StepStatus = 'ok' | 'fail' | 'skip' | 'info';

export interface Step {
  /** 1-based connection attempt this step belongs to (0 for option parsing). */
  readonly attempt: number;
  readonly kind: StepKind;
  readonly status: StepStatus;
  /** What happened, in one sentence. */
  readonly detail: string;
  /** The rule id (see rules.ts) that decided this step. */
  readonly rule: string;
  /** Where the rule comes from: file and function, or the doc page. */
  readonly source: string;
  /** A `tls` step that completed, or a `chain` step that failed inside it: the TLS version of that handshake. */
  readonly protocol?: TlsVersion;
  /**
   * A `chain` step that failed: OpenSSL's verify error (`X509_V_ERR_…`), as its detail names it. A `client-cert`
   * step that failed because the server rejected the certificate: the server's verify error on it, likewise.
   */
  readonly verifyError?: string;
  /**
   * An `auth` step where the client answered the server's password request: 'password' (pg_hba method password,
   * AuthenticationCleartextPassword: the password itself went over this connection), 'scram' (a SCRAM exchange:
   * no password, but its salt and proof, against which passwords can be tried offline).
   */
  readonly authExchange?: 'password' | 'scram';
}

export type MitmProtection = 'none' | 'chain-only' | 'full';

export interface Protection {
  /** Traffic is encrypted, so a passive eavesdropper learns nothing. */
  readonly eavesdropping: boolean;
  /**
   * 'full': chain and host name checked; 'chain-only': chain checked but not the name (any certificate from the
   * same CA passes); 'none': an active attacker can present any certificate (or strip TLS).
   */
  readonly mitm: MitmProtection;
  /** Could an active attacker force plaintext (answer N, break the handshake) and still get a connection? */
  readonly downgradePossible: boolean;
  readonly explanation: string;
}

export interface ConnectionOutcome {
  readonly driver: Driver;
  /** The version whose rules were applied. */
  readonly version: string;
  readonly connected: boolean;
  readonly encrypted: boolean;
  /** Negotiated TLS version of the connection that succeeded. */
  readonly protocol?: string;
  /**
   * The client's error text exactly: for libpq what PQerrorMessage returns (lines joined with \n) without its
   * final newline, i.e. what psql prints after `psql: error: `. Absent when connected.
   */
  readonly error?: string;
  /** The effective sslmode after defaults and environment. */
  readonly sslmode: string;
  /**
   * Whether the client verified the server's chain, and its host name, as the steps say: in the last attempt, its
   * last `chain` (`hostname`) step that decided passed. Also for a failed connection (a host name mismatch after a
   * verified chain, a pg_hba refusal after both passed), so the JSON says what the step list and the lab's summary do.
   */
  readonly chainVerified: boolean;
  readonly hostnameVerified: boolean;
  readonly steps: readonly Step[];
  readonly protection: Protection;
  /** What to change, in one or two sentences. */
  readonly fix?: string;
  /** Tools that use this client's rules (psql, psycopg, Ruby pg ...). */
  readonly usedBy: readonly string[];
  /**
   * libpq: the client OpenSSL build its TLS error texts assume, where builds word the same failure differently
   * (a client limited to TLS 1.0-1.1; direct TLS to a server that closes). Steps of rule `libpq.openssl.build` say
   * what another build would print.
   */
  readonly opensslBuild?: string;
  /** Warnings the client prints without failing (node-postgres's SECURITY WARNING ...). */
  readonly warnings: readonly string[];
  /** The server's leaf certificate as the scenario gives it (absent when ssl is off or no chain is given). */
  readonly serverCertificate?: ServerCertificateInfo;
  /**
   * The server never started because pg_hba.conf did not load: each refused line (PostgreSQL's own text) and what
   * the server logged. Nothing listened, so the client's error is its connection-refused text.
   */
  readonly serverNotStarted?: ServerNotStarted;
  /** The client certificate the client had loaded (absent when it had none, or its files failed to load). */
  readonly clientCertificate?: ClientCertificateInfo;
}

export interface ClientCertificateInfo {
  /** Its subject, RFC 4514 ("CN=app"). */
  readonly subject: string;
  /**
   * What the server made of it in the last TLS handshake that got that far: 'accepted' (verified against
   * ssl_ca_file), 'rejected' (an alert), 'not-requested' (no ssl_ca_file, so it was never sent). Absent when no
   * handshake got that far.
   */
  readonly verdict?: 'accepted' | 'rejected' | 'not-requested';
}

export interface ServerCertificateInfo {
  readonly subject: string;
  /** server.keyType when given, else the leaf's key: "EC P-256", "RSA 2048" ... */
  readonly keyType: string;
  readonly notAfter: string;
  /** SAN entries in wire order ("DNS:db.example.test", "IP:127.0.0.1"), then "CN=..." */
  readonly names: readonly string[];
}

/** A server that refused to start over its pg_hba.conf (hba.c load_hba(): FATAL could not load pg_hba.conf). */
export interface ServerNotStarted {
  /** The pg_hba.conf path the log names. */
  readonly file: string;
  /** Each line the server refused, with the text it logged for it (empty when the file had no lines at all). */
  readonly problems: readonly { readonly line: number; readonly message: string }[];
  /** The server's log while loading the file, as it prints it (without log_line_prefix). */
  readonly log: readonly string[];
}
