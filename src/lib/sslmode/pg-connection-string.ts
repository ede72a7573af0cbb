/**
 * pg-connection-string 2.x parse() as far as where to connect goes: which text it accepts, what it throws, and
 * host, port, user, password and database as node-postgres then sees them. Query parameters are kept as
 * `parse()` copies them (the last value of a repeated key wins; `user`, `password`, `host` and `port` given
 * there take precedence over the URL's own parts).
 *
 * S: brianc/node-postgres packages/pg-connection-string/index.js parse() (2.14): a string starting with "/" is a
 * socket directory plus database; a space or a "%" not followed by two hex digits makes it run encodeURI() over
 * the whole string first; the URL is read relative to "postgres://base", and once more with "@/" as
 * "@___DUMMY___/" when that fails; user and password go through decodeURIComponent(), the database through
 * decodeURI(). What it throws reaches the application from `new Client()` / `new Pool()`.
 */

export interface PgConnectionString {
  readonly host: string;
  readonly port: string;
  readonly user: string;
  readonly password: string;
  /** null when the URL has no path. */
  readonly database: string | null;
  readonly params: ReadonlyMap<string, string>;
}

/** What Node prints for the errors parse() lets escape (V8's URIError text, WHATWG URL's TypeError). */
export const PG_URI_MALFORMED = 'URI malformed';
export const PG_INVALID_URL = 'Invalid URL';

class ParseFailure {
  constructor(readonly message: string) {}
}

/** encodeURI/decodeURI/decodeURIComponent, with the URIError they throw turned into its message. */
function uri<T>(f: () => T): T {
  try {
    return f();
  } catch {
    throw new ParseFailure(PG_URI_MALFORMED);
  }
}

export function parsePgConnectionString(
  text: string,
): { ok: true; config: PgConnectionString } | { ok: false; error: string } {
  try {
    return { ok: true, config: parse(text) };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: e.message };
    throw e;
  }
}

function parse(input: string): PgConnectionString {
  if (input.startsWith('/')) {
    const [host = '', database] = input.split(' ');
    return { host, port: '', user: '', password: '', database: database ?? null, params: new Map() };
  }
  let str = input;
  if (/ |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(str)) {
    str = uri(() => encodeURI(str)).replace(/%25(\d\d)/g, '%$1');
  }
  let url: URL;
  let dummyHost = false;
  try {
    url = new URL(str, 'postgres://base');
  } catch {
    try {
      url = new URL(str.replace('@/', '@___DUMMY___/'), 'postgres://base');
      dummyHost = true;
    } catch {
      throw new ParseFailure(PG_INVALID_URL);
    }
  }
  const params = new Map<string, string>();
  for (const [k, v] of url.searchParams) params.set(k, v);
  const user = params.get('user') || uri(() => decodeURIComponent(url.username));
  const password = params.get('password') || uri(() => decodeURIComponent(url.password));
  if (url.protocol === 'socket:') {
    return {
      host: uri(() => decodeURI(url.pathname)),
      port: params.get('port') ?? '',
      user,
      password,
      database: params.get('db') ?? null,
      params,
    };
  }
  const hostname = (dummyHost ? '' : url.hostname).replace(/^\[(.+)\]$/, '$1');
  let pathname = url.pathname;
  let host = params.get('host');
  if (!host) host = uri(() => decodeURIComponent(hostname));
  else if (hostname && /^%2f/i.test(hostname)) pathname = hostname + pathname;
  const port = params.get('port') || url.port;
  const path = pathname.slice(1);
  return {
    host,
    port,
    user,
    password,
    database: path ? uri(() => decodeURI(path)) : null,
    params,
  };
}
