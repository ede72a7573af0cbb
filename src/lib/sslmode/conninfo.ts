/**
 * libpq connection strings: `key=value` lists and `postgresql://` URIs, parsed the way libpq does it, with
 * libpq's own error texts.
 *
 * Source: PostgreSQL `src/interfaces/libpq/fe-connect.c` — `conninfo_parse()` (key=value),
 * `conninfo_uri_parse_options()` / `conninfo_uri_parse_params()` / `conninfo_uri_decode()` (URIs),
 * `PQconninfoOptions[]` (which keywords exist in which version). D: libpq-connect.html §34.1.1.
 */

export type ConninfoResult =
  | { readonly ok: true; readonly options: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly error: string };

/** Keywords of `PQconninfoOptions[]` in PostgreSQL 15 (fe-connect.c, REL_15_STABLE). */
const KEYWORDS_15 = [
  'service',
  'user',
  'password',
  'passfile',
  'channel_binding',
  'connect_timeout',
  'dbname',
  'host',
  'hostaddr',
  'port',
  'client_encoding',
  'options',
  'application_name',
  'fallback_application_name',
  'keepalives',
  'keepalives_idle',
  'keepalives_interval',
  'keepalives_count',
  'tcp_user_timeout',
  'sslmode',
  'sslcompression',
  'sslcert',
  'sslkey',
  'sslpassword',
  'sslrootcert',
  'sslcrl',
  'sslcrldir',
  'sslsni',
  'requirepeer',
  'ssl_min_protocol_version',
  'ssl_max_protocol_version',
  'gssencmode',
  'krbsrvname',
  'gsslib',
  'replication',
  'target_session_attrs',
  'requiressl',
];
/** Added in 16: sslcertmode, require_auth, load_balance_hosts, gssdelegation. */
const KEYWORDS_16 = [...KEYWORDS_15, 'sslcertmode', 'require_auth', 'load_balance_hosts', 'gssdelegation'];
/** Added in 17: sslnegotiation. */
const KEYWORDS_17 = [...KEYWORDS_16, 'sslnegotiation'];
/** Added in 18: sslkeylogfile, min/max_protocol_version, scram keys, OAuth settings. */
const KEYWORDS_18 = [
  ...KEYWORDS_17,
  'sslkeylogfile',
  'min_protocol_version',
  'max_protocol_version',
  'scram_client_key',
  'scram_server_key',
  'oauth_issuer',
  'oauth_client_id',
  'oauth_client_secret',
  'oauth_scope',
];

export function libpqKeywords(major: number): ReadonlySet<string> {
  if (major >= 18) return new Set(KEYWORDS_18);
  if (major === 17) return new Set(KEYWORDS_17);
  if (major === 16) return new Set(KEYWORDS_16);
  return new Set(KEYWORDS_15);
}

const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

/** fe-connect.c `recognized_connection_string()` / `uri_prefix_length()`. */
export function isUri(conninfo: string): boolean {
  return conninfo.startsWith('postgresql://') || conninfo.startsWith('postgres://');
}

/** Parses either form; unknown keywords are reported for the given libpq major version. */
export function parseConninfo(conninfo: string, major = 17): ConninfoResult {
  const raw = isUri(conninfo) ? parseUri(conninfo, major) : parseKeyValue(conninfo);
  if (!raw.ok) return raw;
  const known = libpqKeywords(major);
  for (const key of raw.options.keys()) {
    // conninfo_storeval(): "invalid connection option" for a keyword not in PQconninfoOptions[].
    if (!known.has(key)) return { ok: false, error: `invalid connection option "${key}"` };
  }
  return raw;
}

/** fe-connect.c `conninfo_parse()`: `key = value` pairs, values optionally single-quoted with backslash escapes. */
export function parseKeyValue(text: string): ConninfoResult {
  const options = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    if (isSpace(text[i])) {
      i++;
      continue;
    }
    let key = '';
    while (i < text.length && text[i] !== '=' && !isSpace(text[i])) key += text[i++];
    while (isSpace(text[i])) i++;
    if (text[i] !== '=') {
      return { ok: false, error: `missing "=" after "${key}" in connection info string` };
    }
    i++;
    while (isSpace(text[i])) i++;
    let value = '';
    if (text[i] === "'") {
      i++;
      let closed = false;
      while (i < text.length) {
        const c = text[i]!;
        if (c === '\\') {
          i++;
          if (i < text.length) value += text[i++];
          continue;
        }
        if (c === "'") {
          i++;
          closed = true;
          break;
        }
        value += c;
        i++;
      }
      if (!closed) return { ok: false, error: 'unterminated quoted string in connection info string' };
    } else {
      while (i < text.length && !isSpace(text[i])) {
        if (text[i] === '\\') {
          i++;
          if (i < text.length) value += text[i++];
          continue;
        }
        value += text[i++];
      }
    }
    // The last setting of a keyword wins (conninfo_storeval overwrites).
    options.set(key, value);
  }
  return { ok: true, options };
}

/** fe-connect.c `conninfo_uri_decode()`: %XX decoding; %00 is forbidden. */
function uriDecode(text: string): { ok: true; value: string } | { ok: false; error: string } {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '%') {
      for (const b of new TextEncoder().encode(c)) bytes.push(b);
      continue;
    }
    const hex = text.slice(i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(hex))
      return { ok: false, error: `invalid percent-encoded token: "${text}"` };
    const byte = parseInt(hex, 16);
    if (byte === 0) return { ok: false, error: `forbidden value %00 in percent-encoded value: "${text}"` };
    bytes.push(byte);
    i += 2;
  }
  return { ok: true, value: new TextDecoder().decode(new Uint8Array(bytes)) };
}

/**
 * fe-connect.c `conninfo_uri_parse_options()`:
 * `postgresql://[user[:password]@][host][:port][,...][/dbname][?param1=value1&...]`.
 */
export function parseUri(uri: string, major = 17): ConninfoResult {
  const known = libpqKeywords(major);
  const options = new Map<string, string>();
  const prefixLength = uri.startsWith('postgresql://') ? 'postgresql://'.length : 'postgres://'.length;
  let rest = uri.slice(prefixLength);

  const set = (key: string, encoded: string): string | null => {
    const decoded = uriDecode(encoded);
    if (!decoded.ok) return decoded.error;
    if (decoded.value !== '') options.set(key, decoded.value);
    return null;
  };

  // user[:password]@ — only when an '@' comes before the first '/' or '?'.
  const endOfAuthority = rest.search(/[/?]/);
  const authority = endOfAuthority === -1 ? rest : rest.slice(0, endOfAuthority);
  const at = authority.lastIndexOf('@');
  if (at !== -1) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    const err =
      colon === -1
        ? set('user', userinfo)
        : (set('user', userinfo.slice(0, colon)) ?? set('password', userinfo.slice(colon + 1)));
    if (err) return { ok: false, error: err };
    rest = rest.slice(at + 1);
  }

  // host[:port], comma separated; IPv6 in brackets.
  const hosts: string[] = [];
  const ports: string[] = [];
  let i = 0;
  for (;;) {
    let host = '';
    if (rest[i] === '[') {
      const close = rest.indexOf(']', i);
      if (close === -1) {
        return {
          ok: false,
          error: `end of string reached when looking for matching "]" in IPv6 host address in URI: "${uri}"`,
        };
      }
      host = rest.slice(i + 1, close);
      if (host === '') return { ok: false, error: `IPv6 host address may not be empty in URI: "${uri}"` };
      i = close + 1;
      const next = rest[i];
      if (next !== undefined && next !== ':' && next !== '/' && next !== '?' && next !== ',') {
        return {
          ok: false,
          error: `unexpected character "${next}" at position ${prefixLength + i + 1} in URI (expected ":" or "/"): "${uri}"`,
        };
      }
    } else {
      while (i < rest.length && !':/?,'.includes(rest[i]!)) host += rest[i++];
    }
    let port = '';
    if (rest[i] === ':') {
      i++;
      while (i < rest.length && !'/?,'.includes(rest[i]!)) port += rest[i++];
    }
    const decodedHost = uriDecode(host);
    if (!decodedHost.ok) return { ok: false, error: decodedHost.error };
    hosts.push(decodedHost.value);
    ports.push(port);
    if (rest[i] !== ',') break;
    i++;
  }
  if (hosts.some((h) => h !== '')) options.set('host', hosts.join(','));
  if (ports.some((p) => p !== '')) options.set('port', ports.join(','));

  // /dbname
  if (rest[i] === '/') {
    i++;
    let db = '';
    while (i < rest.length && rest[i] !== '?') db += rest[i++];
    const err = set('dbname', db);
    if (err) return { ok: false, error: err };
  }

  // ?k=v&k=v — conninfo_uri_parse_params()
  if (rest[i] === '?') {
    const query = rest.slice(i + 1);
    for (const pair of query.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      if (eq === -1) {
        return { ok: false, error: `missing key/value separator "=" in URI query parameter: "${pair}"` };
      }
      const keyword = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value.includes('=')) {
        return { ok: false, error: `extra key/value separator "=" in URI query parameter: "${keyword}"` };
      }
      const k = uriDecode(keyword);
      if (!k.ok) return { ok: false, error: k.error };
      const v = uriDecode(value);
      if (!v.ok) return { ok: false, error: v.error };
      // JDBC compatibility: ssl=true means sslmode=require (conninfo_uri_parse_params).
      if (k.value === 'ssl' && v.value === 'true') {
        options.set('sslmode', 'require');
        continue;
      }
      if (!known.has(k.value)) return { ok: false, error: `invalid URI query parameter: "${k.value}"` };
      options.set(k.value, v.value);
    }
  }
  return { ok: true, options };
}
