/**
 * libpq 16+'s checks on the server's authentication requests: `require_auth` (which methods the client accepts,
 * or rejects with `!`) and `sslcertmode=require` (the server must have asked for a client certificate and got one).
 *
 * S: PG16-18 fe-connect.c pqConnectOptions2() (parsing `require_auth`) and fe-auth.c check_expected_areq(),
 * auth_method_description(); proven against libpq 18 (fixtures/libpq18).
 */
import type { AuthRequest } from './server.ts';

export interface RequireAuth {
  /** The option as written (the error text quotes it whole). */
  readonly text: string;
  /** false: an exchange-less AuthenticationOk (trust, cert) is acceptable. */
  readonly authRequired: boolean;
  readonly allowed: ReadonlySet<'password' | 'md5' | 'gss' | 'sspi' | 'scram-sha-256'>;
}

const METHODS = ['password', 'md5', 'gss', 'sspi', 'scram-sha-256'] as const;
type Method = (typeof METHODS)[number];

/** pqConnectOptions2(): the comma-separated list, all plain or all negated; each method at most once. */
export function parseRequireAuth(text: string): RequireAuth | { error: string } {
  const parts = text.split(',');
  const negatedList = parts[0]!.startsWith('!');
  let authRequired = !negatedList;
  const allowed = new Set<Method>(negatedList ? METHODS : []);
  let sawNone = false;
  for (const part of parts) {
    const negated = part.startsWith('!');
    if (negated && !negatedList)
      return { error: `negative require_auth method "${part}" cannot be mixed with non-negative methods` };
    if (!negated && negatedList)
      return { error: `require_auth method "${part}" cannot be mixed with negative methods` };
    const method = negated ? part.slice(1) : part;
    if (method === 'none') {
      if (sawNone) return { error: `require_auth method "${part}" is specified more than once` };
      sawNone = true;
      authRequired = negated;
      continue;
    }
    if (!(METHODS as readonly string[]).includes(method))
      return { error: `invalid require_auth value: "${method}"` };
    const m = method as Method;
    if (negated ? !allowed.has(m) : allowed.has(m))
      return { error: `require_auth method "${part}" is specified more than once` };
    if (negated) allowed.delete(m);
    else allowed.add(m);
  }
  return { text, authRequired, allowed };
}

const REQUEST_METHOD: Record<Exclude<AuthRequest, 'ok'>, { method: Method; reason: string }> = {
  cleartext: { method: 'password', reason: 'server requested a cleartext password' },
  sasl: { method: 'scram-sha-256', reason: 'server requested SASL authentication' },
};

export interface CertExchange {
  /** The server sent a CertificateRequest (it has ssl_ca_file; never on a plaintext connection). */
  readonly requested: boolean;
  /** The client answered it with a certificate. */
  readonly sent: boolean;
}

/** check_expected_areq() on a password request (before libpq looks for a password): refused, or null. */
export function refusedRequest(request: AuthRequest, requireAuth: RequireAuth | undefined): string | null {
  if (request === 'ok' || !requireAuth) return null;
  const r = REQUEST_METHOD[request];
  return requireAuth.allowed.has(r.method)
    ? null
    : `authentication method requirement "${requireAuth.text}" failed: ${r.reason}`;
}

/**
 * check_expected_areq() on AuthenticationOk: sslcertmode=require first, then whether require_auth wanted an
 * exchange (a password exchange libpq answered is complete by then). Refused, or null.
 */
export function refusedAuthOk(
  request: AuthRequest,
  requireAuth: RequireAuth | undefined,
  certmodeRequire: boolean,
  cert: CertExchange,
): string | null {
  if (certmodeRequire) {
    if (!cert.requested) return 'server did not request an SSL certificate';
    if (!cert.sent) return 'server accepted connection without a valid SSL certificate';
  }
  if (requireAuth?.authRequired && request === 'ok')
    return `authentication method requirement "${requireAuth.text}" failed: server did not complete authentication`;
  return null;
}

/** channel_binding's values (libpq, every version modelled; "prefer" is the default of SSL builds). */
export const CHANNEL_BINDINGS = ['disable', 'prefer', 'require'] as const;
export type ChannelBinding = (typeof CHANNEL_BINDINGS)[number];

/**
 * channel_binding=require (fe-auth.c): at a password request (check_expected_areq: only SASL may go on), at a SASL
 * request without TLS (pg_SASL_init: there is no channel to bind to), and at AuthenticationOk that no SCRAM exchange
 * bound to the TLS channel preceded (trust, cert). SCRAM over TLS binds (SCRAM-SHA-256-PLUS, which a PostgreSQL
 * server built with OpenSSL offers on a TLS connection). Refused, or null.
 */
export function refusedByChannelBinding(
  channelBinding: ChannelBinding,
  request: AuthRequest,
  encrypted: boolean,
  at: 'request' | 'ok',
): string | null {
  if (channelBinding !== 'require') return null;
  if (at === 'request') {
    if (request === 'cleartext')
      return "channel binding required but not supported by server's authentication request";
    if (request === 'sasl' && !encrypted) return 'channel binding required, but SSL not in use';
    return null;
  }
  return request === 'ok'
    ? 'channel binding required, but server authenticated client without channel binding'
    : null;
}
