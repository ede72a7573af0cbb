/**
 * The rules the engine applies, as data: every step of an outcome names one of these, and each carries where
 * it comes from (S = read in source, D = official documentation). Paths are PostgreSQL's unless a repository
 * is named. Rule text is a paraphrase of the fact; no code is copied.
 */

export interface Rule {
  readonly id: string;
  readonly summary: string;
  readonly source: string;
}

const r = (id: string, summary: string, source: string): Rule => ({ id, summary, source });

export const RULES = {
  // ---- libpq option handling
  'libpq.options.parse': r(
    'libpq.options.parse',
    'key=value and URI connection strings are parsed before any connection attempt; errors carry no "connection to server" prefix.',
    'S: src/interfaces/libpq/fe-connect.c conninfo_parse(), conninfo_uri_parse_options(), connectOptions2() (PG15-18)',
  ),
  'libpq.sslmode.default': r(
    'libpq.sslmode.default',
    'sslmode defaults to PGSSLMODE, else verify-full when sslrootcert=system (16+), else prefer.',
    'S: fe-connect.c conninfo_add_defaults(); D: libpq-connect.html#LIBPQ-CONNECT-SSLMODE',
  ),
  'libpq.sslrootcert.system': r(
    'libpq.sslrootcert.system',
    'sslrootcert=system (16+) uses OpenSSL default roots and allows only sslmode=verify-full.',
    'S: PG16-18 fe-connect.c connectOptions2() "weak sslmode"; fe-secure-openssl.c initialize_SSL()',
  ),
  'libpq.sslnegotiation.direct': r(
    'libpq.sslnegotiation.direct',
    'sslnegotiation=direct (17+) skips SSLRequest, needs sslmode require or stronger and ALPN "postgresql".',
    'S: PG17/18 fe-connect.c pqConnectOptions2(); fe-secure-openssl.c open_client_SSL()',
  ),
  'libpq.require_auth': r(
    'libpq.require_auth',
    'require_auth (16+) lists the authentication methods the client accepts (or, with "!", refuses); "none" allows a server that asks for none (trust, cert). A request outside the list, or AuthenticationOk without a required exchange, fails on the client side, without a retry.',
    'S: PG16-18 fe-connect.c pqConnectOptions2(); fe-auth.c check_expected_areq(), auth_method_description(); proven with libpq 18 (fixtures/libpq18)',
  ),
  'libpq.channel_binding': r(
    'libpq.channel_binding',
    'channel_binding=require (the default is prefer) accepts only a SCRAM exchange bound to the TLS channel (SCRAM-SHA-256-PLUS): a password request, SCRAM without TLS, or AuthenticationOk with no such exchange (trust, cert) fails on the client side, without a retry. A server on the other end of another TLS channel (an attacker in the middle) cannot complete it.',
    'S: fe-auth.c check_expected_areq(), pg_SASL_init(); fe-connect.c pqConnectOptions2() (PG15-18); PostgreSQL src/test/ssl/t/002_scram.pl',
  ),
  'libpq.gssencmode': r(
    'libpq.gssencmode',
    'gssencmode (disable, prefer, require; default prefer) tries GSSAPI encryption before SSL, and only with a Kerberos credential cache, which the engine never has: require fails (15/16 after TCP connect, with the connection prefix; 17+ before connecting, "GSSAPI encryption required but no credential cache"); prefer and disable change nothing here.',
    'S: fe-connect.c PQconnectPoll() (PG15/16), init_allowed_encryption_methods() (PG17/18), pqConnectOptions2(); proven with psql 15 and libpq 18 (tests/oracle/sslmode-libpq.test.ts F, the libpq 18 cells)',
  ),
  'libpq.target_session_attrs': r(
    'libpq.target_session_attrs',
    'target_session_attrs (14+; any, read-write, read-only, primary, standby, prefer-standby) is checked after authentication: a server that is not what it asks for adds "session is not read-only" or "server is not in hot standby mode" and the next host is tried. The engine\'s servers are read-write primaries.',
    'S: fe-connect.c PQconnectPoll() CONNECTION_CHECK_TARGET, pqConnectOptions2() (PG15-18)',
  ),
  'libpq.sslcertmode': r(
    'libpq.sslcertmode',
    'sslcertmode (16+): disable never sends a client certificate, allow (the default) sends one when asked, require fails at AuthenticationOk when the server did not ask for one or got none.',
    'S: PG16-18 fe-auth.c check_expected_areq(); fe-secure-openssl.c cert_cb(); proven with libpq 18 (fixtures/libpq18)',
  ),
  'libpq.openssl.build': r(
    'libpq.openssl.build',
    "Some of libpq's TLS texts come from the client's OpenSSL build, not from libpq: the outcome names the build its text assumes (opensslBuild).",
    "S: fe-secure-openssl.c open_client_SSL() prints OpenSSL's reason; compared: Debian 12 psql 15 (OpenSSL 3.0) and psycopg's wheel (libpq 18, OpenSSL 3.5)",
  ),
  'libpq.host.identity': r(
    'libpq.host.identity',
    'Each attempt starts with "connection to server at "<host>" (<addr>), port <p> failed: "; hostaddr is shown instead of host when given.',
    'S: fe-connect.c emitHostIdentityInfo() (PG15-18)',
  ),
  'libpq.host.resolve': r(
    'libpq.host.resolve',
    'Every address of every host is tried in order; errors pile up and are discarded when a later attempt succeeds.',
    'S: fe-connect.c PQconnectPoll() CONNECTION_NEEDED, pqClearConnErrorState()',
  ),
  'libpq.socket': r(
    'libpq.socket',
    'Over a Unix-domain socket no SSLRequest is sent: sslmode is ignored.',
    'S: PG15 PQconnectPoll (allow_ssl_try=false for AF_UNIX); PG17 init_allowed_encryption_methods(); D: libpq-connect-sslmode',
  ),
  'libpq.order': r(
    'libpq.order',
    'disable: plaintext only; allow: plaintext then SSL; prefer: SSL then plaintext; require/verify-*: SSL only.',
    'S: PG15/16 PQconnectPoll (allow_ssl_try/wait_ssl_try); PG17/18 init_allowed_encryption_methods(), select_next_encryption_method()',
  ),
  'libpq.ssl-response.n': r(
    'libpq.ssl-response.n',
    'Server answers N: require and stronger fail; prefer (and allow on 15/16) carry on in plaintext on the same socket.',
    'S: fe-connect.c PQconnectPoll CONNECTION_SSL_STARTUP; D: protocol-flow.html#PROTOCOL-FLOW-SSL',
  ),
  'libpq.rootcert': r(
    'libpq.rootcert',
    'If the root CA file (sslrootcert or ~/.postgresql/root.crt) exists, the chain is verified in EVERY sslmode; verify-ca/verify-full require it.',
    'S: fe-secure-openssl.c initialize_SSL() "if (have_rootcert) SSL_set_verify(...)"; D: libpq-ssl.html note on require',
  ),
  'libpq.crl': r(
    'libpq.crl',
    'With a root FILE loaded, libpq loads sslcrl and sslcrldir (or ~/.postgresql/root.crl when neither is set); when that load succeeds, EVERY certificate of the chain needs a current CRL from its issuer and a listed one fails: "SSL error: certificate verify failed". A missing or unreadable CRL file is ignored; certificates in the sslcrl file are trusted too.',
    'S: fe-secure-openssl.c initialize_SSL() X509_STORE_load_locations(), X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL; openssl crypto/x509/x509_vfy.c check_revocation(); D: libpq-connect.html sslcrl',
  ),
  'libpq.tls.protocol': r(
    'libpq.tls.protocol',
    'Client ssl_min_protocol_version defaults to TLSv1.2; with no overlap the handshake fails with a hint naming the client range.',
    'S: fe-secure-openssl.c initialize_SSL(), open_client_SSL(); fe-connect.c PQconninfoOptions[]',
  ),
  'libpq.tls.chain': r(
    'libpq.tls.chain',
    'OpenSSL verifies the served chain against the root file with default checks (no partial chains); any failure is "SSL error: certificate verify failed".',
    'S: fe-secure-openssl.c verify_cb(), open_client_SSL() -> SSLerrmessage()',
  ),
  'libpq.hostname': r(
    'libpq.hostname',
    'verify-full: host (never hostaddr) vs SAN dNSName/iPAddress; CN only when no SAN of that kind; leading "*." wildcard of one label.',
    'S: fe-secure-openssl.c pgtls_verify_peer_name_matches_certificate_guts(); fe-secure-common.c',
  ),
  'libpq.clientcert.files': r(
    'libpq.clientcert.files',
    'The client certificate is sslcert (PGSSLCERT), else ~/.postgresql/postgresql.crt; a missing file means no certificate is sent, silently, even when sslcert names it. With a certificate, the key is sslkey (PGSSLKEY), else ~/.postgresql/postgresql.key, and must exist and belong to the certificate.',
    'S: src/interfaces/libpq/fe-secure-openssl.c initialize_SSL() ("certificate present, but not private key file", SSL_use_PrivateKey_file -> X509_check_private_key "key values mismatch", SSL_check_private_key)',
  ),
  'libpq.clientcert.alert': r(
    'libpq.clientcert.alert',
    'A client certificate the server rejects earns an alert; libpq prints "SSL error: <alert>". Under TLS 1.3 the client has finished its handshake when the alert arrives, so prefer does not retry; under TLS 1.2 the handshake itself fails.',
    'S: fe-secure-openssl.c open_client_SSL() / pgtls_read() SSL_ERROR_SSL -> "SSL error: %s"; RFC 8446 §4.4.2.4; openssl ssl/statem/statem_lib.c ssl_x509err2alert()',
  ),
  'libpq.tls.error': r(
    'libpq.tls.error',
    'A failed TLS handshake is shown as "SSL error: <reason>": OpenSSL\'s reason for the first error it recorded. A failure the client\'s OpenSSL detects names the check ("bad signature", "digest check failed", "bad key share", "inappropriate fallback"); an alert received from the server is "<sslv3|tlsv1|tlsv13> alert <description>".',
    'S: fe-secure-openssl.c open_client_SSL() SSL_ERROR_SSL -> SSLerrmessage(); openssl crypto/err (ERR_reason_error_string), ssl/ssl_err.c; checked against psql 15 by tests/oracle/psql-tls13-faults.test.ts',
  ),
  'libpq.prefer.retry': r(
    'libpq.prefer.retry',
    'prefer: a failed SSL attempt (TLS failure or server error over SSL) is retried once in plaintext on a new connection.',
    'S: PG15/16 PQconnectPoll "if sslmode is prefer then do a non-SSL retry"; PG17/18 CONNECTION_FAILED() -> select_next_encryption_method()',
  ),
  'libpq.allow.retry': r(
    'libpq.allow.retry',
    'allow: a server error on the plaintext attempt is retried once with SSL on a new connection.',
    'S: PG15/16 PQconnectPoll (wait_ssl_try); PG17/18 select_next_encryption_method()',
  ),
  'libpq.error.after-auth': r(
    'libpq.error.after-auth',
    'An ErrorResponse after AuthenticationOk (role or database missing) is never retried, in any sslmode.',
    'S: PG15 fe-connect.c PQconnectPoll CONNECTION_AUTH_OK (goto error_return); PG17/18 same state',
  ),
  'libpq.hosts.stop': r(
    'libpq.hosts.stop',
    'Only a failed TCP connect moves on to the next address or host; a TLS or server error ends the attempt ("If a connection is established successfully, but authentication fails, the remaining hosts in the list are not tried").',
    'S: fe-connect.c PQconnectPoll (try_next_addr/try_next_host vs error_return); D: libpq-connect.html#LIBPQ-MULTIPLE-HOSTS',
  ),
  'libpq.error.format': r(
    'libpq.error.format',
    'A server ErrorResponse is shown as "FATAL:  message" (two spaces).',
    'S: fe-protocol3.c pqBuildErrorMessage3()',
  ),
  'libpq.auth.nopassword': r(
    'libpq.auth.nopassword',
    'A password request with no password available fails on the client with "fe_sendauth: no password supplied" (no retry).',
    'S: fe-auth.c pg_fe_sendauth(); fe-connect.c PQconnectPoll CONNECTION_AWAITING_RESPONSE',
  ),
  // ---- server
  'server.ssl-response': r(
    'server.ssl-response',
    'The server answers SSLRequest with S when ssl=on (TCP), else N.',
    'S: PG15/16 postmaster.c ProcessStartupPacket(); PG17/18 tcop/backend_startup.c',
  ),
  'server.tls.protocol': r(
    'server.tls.protocol',
    'Server ssl_min_protocol_version defaults to TLSv1.2, ssl_max_protocol_version to no limit.',
    'S: guc_tables.c (PG16-18), guc.c (PG15); D: runtime-config-connection.html',
  ),
  'server.hba': r(
    'server.hba',
    'The first pg_hba.conf line matching connection type, database, user and address decides; hostssl needs SSL, hostnossl needs plaintext; no match is an implicit reject.',
    'S: src/backend/libpq/hba.c check_hba(); D: auth-pg-hba-conf.html',
  ),
  'server.hba.load': r(
    'server.hba.load',
    'The postmaster loads pg_hba.conf at start: every bad line is logged with its line number, and one bad line (or a file with no lines) stops the server (FATAL could not load pg_hba.conf), so nothing listens; a hostssl line with ssl=off only logs a warning.',
    'S: PG15 src/backend/libpq/hba.c load_hba(), parse_hba_line(), parse_hba_auth_opt(), tokenize_auth_file(); postmaster.c PostmasterMain(); checked against PostgreSQL 15.18',
  ),
  'server.startup-settings': r(
    'server.startup-settings',
    'Run-time settings in the startup packet are applied after authentication: an unknown name is FATAL "unrecognized configuration parameter" (42704), a setting only postgresql.conf may change (ssl, ssl_*) FATAL "cannot be changed now" (55P02). asyncpg sends every DSN query parameter it does not read itself as such a setting.',
    'S: src/backend/utils/init/postinit.c process_startup_options(), utils/misc/guc.c set_config_option(); asyncpg connect_utils.py _parse_connect_dsn_and_args() (server_settings = the rest of the query)',
  ),
  'libpq.auth.exchange': r(
    'libpq.auth.exchange',
    "The client answers the server's password request on whatever connection it is on: to AuthenticationCleartextPassword (pg_hba method password) it sends the password itself, to SASL a SCRAM exchange (no password; salt and proof). Without TLS, both cross the network readable.",
    'S: src/interfaces/libpq/fe-auth.c pg_fe_sendauth() (AUTH_REQ_PASSWORD: pg_password_sendauth() sends the password as is; AUTH_REQ_SASL: pg_SASL_init()); backend auth.c CheckPasswordAuth(); seen with tcpdump against psql 15 (sslmode=prefer, a hostnossl password line)',
  ),
  'server.auth': r(
    'server.auth',
    'trust accepts; reject and no-match send FATAL 28000; password methods send 28P01 on a wrong password; clientcert/cert need a client certificate.',
    'S: src/backend/libpq/auth.c ClientAuthentication(), auth_failed()',
  ),
  'server.clientcert.request': r(
    'server.clientcert.request',
    'With ssl_ca_file set the server sends a CertificateRequest (SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE, not FAIL_IF_NO_PEER_CERT): a client without a certificate still connects at the TLS level; a certificate it sends is verified against ssl_ca_file (purpose sslclient) whatever pg_hba says.',
    'S: src/backend/libpq/be-secure-openssl.c be_tls_init() (SSL_CTX_load_verify_locations, SSL_CTX_set_verify, SSL_CTX_set_client_CA_list), verify_cb()',
  ),
  'server.clientcert.hba': r(
    'server.clientcert.hba',
    'clientcert=verify-ca needs a verified client certificate; clientcert=verify-full and the cert method (which implies verify-full) also need its CN (or RFC 2253 DN with clientname=DN) to equal the user name; without ssl_ca_file every such line fails with "client certificates can only be checked if a root certificate store is available".',
    'S: src/backend/libpq/auth.c ClientAuthentication(), CheckCertAuth(), auth_failed(); hba.c parse_hba_line(), parse_hba_auth_opt(); D: auth-cert.html, auth-pg-hba-conf.html',
  ),
  'server.preset.azure': r(
    'server.preset.azure',
    'Azure Flexible Server require_secure_transport=on (default) rejects non-TLS connections with the stock "no pg_hba.conf entry ... no encryption"; TLS 1.2+ only. pg_hba.conf is the service\'s, written from its firewall rules, not the user\'s to edit: the preset applies its own lines.',
    'D: learn.microsoft.com azure/postgresql/flexible-server/how-to-connect-tls-ssl, concepts-networking-public ("users aren\'t provided host or operating system access to view or modify configuration files such as pg_hba.conf"); enforcement mechanism vendor-internal (UNVERIFIED)',
  ),
  'server.preset.rds': r(
    'server.preset.rds',
    'AWS RDS rds.force_ssl=1 (the default from PostgreSQL 15 on; 0 before 15) turns host rules into hostssl, so plaintext gets "no pg_hba.conf entry ... no encryption".',
    'D: docs.aws.amazon.com AmazonRDS PostgreSQL.Concepts.General.SSL, ssl-certificate-rotation-postgresql (the default by major version); exact rules vendor-internal (UNVERIFIED)',
  ),
  // ---- node-postgres
  'node.ssl.config': r(
    'node.ssl.config',
    'No ssl by default; URL sslmode disable -> off, no-verify -> no checks, any other value (even prefer/allow) -> full verification unless uselibpqcompat=true.',
    'S: brianc/node-postgres packages/pg-connection-string/index.js parse(); packages/pg/lib/connection-parameters.js',
  ),
  'node.ssl.response': r(
    'node.ssl.response',
    'With ssl on, N is an error ("The server does not support SSL connections"); node-postgres never falls back to plaintext.',
    'S: brianc/node-postgres packages/pg/lib/connection.js connect()',
  ),
  'node.tls.verify': r(
    'node.tls.verify',
    "Node tls.connect verifies the chain with OpenSSL (rejectUnauthorized defaults true) against Node's bundled CAs or sslrootcert as ca, then checkServerIdentity.",
    'D: nodejs.org/api/tls.html tls.connect(); S: nodejs/node lib/_tls_wrap.js onConnectSecure()',
  ),
  'node.clientcert': r(
    'node.clientcert',
    'pg reads sslcert and sslkey with fs.readFileSync into tls cert/key (a missing file is ENOENT); Node checks the pair when it builds the secure context ("key values mismatch"); a cert without a key is never sent.',
    'S: brianc/node-postgres packages/pg-connection-string/index.js parse(); nodejs/node lib/internal/tls/secure-context.js configSecureContext() (setCert, setKey)',
  ),
  'node.tls.servername': r(
    'node.tls.servername',
    'servername is passed only for a non-IP host; pg 8.23.1+ also passes host, so an IP host is checked against iPAddress SANs (pg <= 8.23.0: Node checked "localhost").',
    'S: brianc/node-postgres packages/pg/lib/connection.js upgradeToSSL() (8.23.1); nodejs/node lib/_tls_wrap.js onConnectSecure()',
  ),
  // ---- asyncpg
  'asyncpg.ssl.config': r(
    'asyncpg.ssl.config',
    'The DSN (postgres:// URL) sslmode, else PGSSLMODE, else prefer over TCP; disable -> no SSL, allow/prefer -> CERT_NONE without host name check, require -> chain only when a root file exists, verify-ca/verify-full -> a root file is required (no system store).',
    'S: MagicStack/asyncpg asyncpg/connect_utils.py _parse_connect_dsn_and_args()',
  ),
  'asyncpg.rootcert': r(
    'asyncpg.rootcert',
    'Root files are loaded while the DSN is parsed, before any connection: an explicit sslrootcert/PGSSLROOTCERT that is absent raises FileNotFoundError in require and stronger; a missing ~/.postgresql/root.crt raises ClientConfigurationError for verify-ca/verify-full only.',
    'S: MagicStack/asyncpg asyncpg/connect_utils.py _parse_connect_dsn_and_args() (load_verify_locations, _dot_postgresql_path)',
  ),
  'asyncpg.fallback': r(
    'asyncpg.fallback',
    'prefer: N -> plaintext on the same socket; 28000/28P01 after an SSL connection -> one retry without SSL. allow: the same errors after plaintext -> one retry with SSL. TLS handshake errors are raised.',
    'S: MagicStack/asyncpg asyncpg/connect_utils.py TLSUpgradeProto.data_received(), _connect_addr(), __connect_addr()',
  ),
} as const satisfies Record<string, Rule>;

export type RuleId = keyof typeof RULES;
