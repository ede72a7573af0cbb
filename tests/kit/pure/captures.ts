/**
 * The `tls-lab handshake` arguments the real captures are made with: by scripts/record-captures.ts (the committed
 * fixtures/captures/) and by tests/e2e/handshake-captures.test.ts (fresh ones, from the CLI as it is now). Those
 * captures are TLS 1.2 (`--tls 1.2`; the CLI offers 1.3 by default since issue #17).
 */

/** Plain TLS against `openssl s_server` on 127.0.0.1. */
export function sServerCaptureArgs(port: number, extra: string[] = []): string[] {
  return ['handshake', '--connect', `127.0.0.1:${port}`, '--tls', '1.2', ...extra, '--json'];
}

/** PostgreSQL 15's SSLRequest, then TLS, then a StartupMessage for alice (trusted over TLS) in the tunnel. */
export function postgresConnectArgs(port: number, extra: string[] = []): string[] {
  return [
    'handshake',
    '--connect',
    `127.0.0.1:${port}`,
    '--starttls',
    'postgres',
    '--pg-user',
    'alice',
    '--pg-database',
    'postgres',
    ...extra,
  ];
}

/** The same in TLS 1.2, printing the capture JSON. */
export function postgresCaptureArgs(port: number): string[] {
  return postgresConnectArgs(port, ['--tls', '1.2', '--json']);
}
