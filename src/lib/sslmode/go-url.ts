/**
 * Go's `net/url` as pgx v5 uses it (`url.Parse`, `(*URL).Query`, `(*URL).String`) and `net.SplitHostPort`, so a
 * pgx connection URL is accepted or rejected exactly where Go does, with Go's own error text.
 *
 * Source: S: golang/go src/net/url/url.go `parse()`, `parseAuthority()`, `parseHost()`, `unescape()`,
 * `shouldEscape()`, `validUserinfo()`, `validOptionalPort()`, `parseQuery()`, `String()`;
 * src/net/ipsock.go `SplitHostPort()` (Go 1.22-1.25, the Go pgx v5.10 builds with).
 * Go strings are bytes: here a `%XX` escape yields a byte and the decoded bytes are read as UTF-8.
 */

type Mode = 'path' | 'host' | 'zone' | 'userPassword' | 'queryComponent' | 'fragment';

const isAlnum = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** url.go shouldEscape(). */
function shouldEscape(c: number, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  const ch = String.fromCharCode(c);
  if ((mode === 'host' || mode === 'zone') && `!$&'()*+,;=:[]<>"`.includes(ch)) return false;
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    if (mode === 'path') return ch === '?';
    if (mode === 'userPassword') return '@/?:'.includes(ch);
    if (mode === 'queryComponent') return true;
    if (mode === 'fragment') return false;
  }
  if (mode === 'fragment' && '!()*'.includes(ch)) return false;
  return true;
}

const quote = (s: string): string => JSON.stringify(s);

/** url.go unescape(): the decoded text, or Go's EscapeError / InvalidHostError text. */
function unescape(s: string, mode: Mode): { ok: true; value: string } | { ok: false; error: string } {
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    if (c === '%') {
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2]))
        return { ok: false, error: `invalid URL escape ${quote(s.slice(i, i + 3))}` };
      const v = parseInt(s.slice(i + 1, i + 3), 16);
      if (mode === 'host' && v < 0x80 && s.slice(i, i + 3) !== '%25')
        return { ok: false, error: `invalid URL escape ${quote(s.slice(i, i + 3))}` };
      if (mode === 'zone' && s.slice(i, i + 3) !== '%25' && v !== 0x20 && shouldEscape(v, 'host'))
        return { ok: false, error: `invalid URL escape ${quote(s.slice(i, i + 3))}` };
      i += 3;
    } else {
      const code = c.charCodeAt(0);
      if ((mode === 'host' || mode === 'zone') && code < 0x80 && shouldEscape(code, mode))
        return { ok: false, error: `invalid character ${quote(c)} in host name` };
      i++;
    }
  }
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '%') {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '+' && mode === 'queryComponent') bytes.push(0x20);
    else bytes.push(...encoder.encode(c));
  }
  return { ok: true, value: new TextDecoder().decode(new Uint8Array(bytes)) };
}

/** url.go escape(), over the UTF-8 bytes of `s`. */
function escape(s: string, mode: Mode): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) {
    if (b === 0x20 && mode === 'queryComponent') out += '+';
    else if (shouldEscape(b, mode)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += String.fromCharCode(b);
  }
  return out;
}

export interface GoUrl {
  readonly scheme: string;
  readonly opaque: string;
  readonly user?: { readonly username: string; readonly password?: string };
  /** Decoded host[:port], as `URL.Host`. */
  readonly host: string;
  /** Decoded path, and the raw one when its default encoding differs (`URL.RawPath`). */
  readonly path: string;
  readonly rawPath: string;
  readonly forceQuery: boolean;
  readonly rawQuery: string;
  readonly fragment: string;
}

export type GoUrlParse = { ok: true; url: GoUrl } | { ok: false; error: string };

/** url.go validUserinfo(). */
function validUserinfo(s: string): boolean {
  for (const c of s) {
    if (isAlnum(c.charCodeAt(0)) && c.length === 1) continue;
    if (!"-._:~!$&'()*+,;=%@".includes(c)) return false;
  }
  return true;
}

/** url.go validOptionalPort(): empty, or ':' then digits. */
const validOptionalPort = (port: string): boolean => port === '' || /^:[0-9]*$/.test(port);

/** url.go parseHost(). */
function parseHost(host: string): { ok: true; value: string } | { ok: false; error: string } {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) return { ok: false, error: "missing ']' in host" };
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort))
      return { ok: false, error: `invalid port ${quote(colonPort)} after host` };
    const zone = host.slice(0, i).indexOf('%25');
    if (zone >= 0) {
      const parts = [
        unescape(host.slice(0, zone), 'host'),
        unescape(host.slice(zone, i), 'zone'),
        unescape(host.slice(i), 'host'),
      ];
      let value = '';
      for (const p of parts) {
        if (!p.ok) return p;
        value += p.value;
      }
      return { ok: true, value };
    }
  } else {
    const i = host.lastIndexOf(':');
    if (i !== -1 && !validOptionalPort(host.slice(i)))
      return { ok: false, error: `invalid port ${quote(host.slice(i))} after host` };
  }
  return unescape(host, 'host');
}

/** url.go Parse(): the inner error text (what pgx's parseURLSettings returns after unwrapping url.Error). */
export function parseGoUrl(raw: string): GoUrlParse {
  const hash = raw.indexOf('#');
  const u = hash === -1 ? raw : raw.slice(0, hash);
  const frag = hash === -1 ? '' : raw.slice(hash + 1);
  if ([...u].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    return { ok: false, error: 'net/url: invalid control character in URL' };
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(u);
  if (u.startsWith(':')) return { ok: false, error: 'missing protocol scheme' };
  const scheme = (schemeMatch?.[1] ?? '').toLowerCase();
  let rest = schemeMatch ? u.slice(schemeMatch[0].length) : u;
  let forceQuery = false;
  let rawQuery = '';
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
    forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q !== -1) {
      rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  let user: GoUrl['user'];
  let host = '';
  let opaque = '';
  if (!rest.startsWith('/')) {
    if (scheme !== '') opaque = rest;
    else if ((rest.split('/')[0] ?? '').includes(':'))
      return { ok: false, error: 'first path segment in URL cannot contain colon' };
  }
  if (opaque === '' && rest.startsWith('//') && (scheme !== '' || !rest.startsWith('///'))) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const at = authority.lastIndexOf('@');
    const h = parseHost(at < 0 ? authority : authority.slice(at + 1));
    if (!h.ok) return h;
    host = h.value;
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      if (!validUserinfo(userinfo)) return { ok: false, error: 'net/url: invalid userinfo' };
      const colon = userinfo.indexOf(':');
      const name = unescape(colon === -1 ? userinfo : userinfo.slice(0, colon), 'userPassword');
      if (!name.ok) return name;
      if (colon === -1) user = { username: name.value };
      else {
        const password = unescape(userinfo.slice(colon + 1), 'userPassword');
        if (!password.ok) return password;
        user = { username: name.value, password: password.value };
      }
    }
  }
  let path = '';
  let rawPath = '';
  if (opaque === '') {
    const p = unescape(rest, 'path');
    if (!p.ok) return p;
    path = p.value;
    rawPath = escape(path, 'path') === rest ? '' : rest;
  }
  let fragment = '';
  if (frag !== '') {
    const f = unescape(frag, 'fragment');
    if (!f.ok) return f;
    fragment = f.value;
  }
  return {
    ok: true,
    url: { scheme, opaque, ...(user ? { user } : {}), host, path, rawPath, forceQuery, rawQuery, fragment },
  };
}

/** url.go (*URL).Query(): malformed pairs are dropped silently; the values of each key in order. */
export function goQuery(rawQuery: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const k = unescape(eq === -1 ? pair : pair.slice(0, eq), 'queryComponent');
    const v = unescape(eq === -1 ? '' : pair.slice(eq + 1), 'queryComponent');
    if (!k.ok || !v.ok) continue;
    m.set(k.value, [...(m.get(k.value) ?? []), v.value]);
  }
  return m;
}

/** url.go (*URL).String(), used by pgx's redactURL. */
export function goUrlString(u: GoUrl): string {
  let out = u.scheme === '' ? '' : `${u.scheme}:`;
  if (u.opaque !== '') out += u.opaque;
  else {
    if (u.scheme !== '' || u.host !== '' || u.user) {
      if (u.host !== '' || u.path !== '' || u.user) out += '//';
      if (u.user) {
        out += escape(u.user.username, 'userPassword');
        if (u.user.password !== undefined) out += `:${escape(u.user.password, 'userPassword')}`;
        out += '@';
      }
      if (u.host !== '') out += escape(u.host, 'host');
    }
    const path = escapedPath(u);
    if (path !== '' && !path.startsWith('/') && u.host !== '') out += '/';
    out += path;
  }
  if (u.forceQuery || u.rawQuery !== '') out += `?${u.rawQuery}`;
  if (u.fragment !== '') out += `#${escape(u.fragment, 'fragment')}`;
  return out;
}

/** url.go EscapedPath(): RawPath when it is a valid encoding of Path. */
function escapedPath(u: GoUrl): string {
  if (u.rawPath !== '' && validEncodedPath(u.rawPath)) {
    const p = unescape(u.rawPath, 'path');
    if (p.ok && p.value === u.path) return u.rawPath;
  }
  return escape(u.path, 'path');
}

function validEncodedPath(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if ("!$&'()*+,;=:@[]%".includes(c)) continue;
    if (shouldEscape(c.charCodeAt(0), 'path')) return false;
  }
  return true;
}

/** net/ipsock.go SplitHostPort(), with net.AddrError's text. */
export function goSplitHostPort(
  hostport: string,
): { ok: true; host: string; port: string } | { ok: false; error: string } {
  const fail = (why: string) => ({ ok: false as const, error: `address ${hostport}: ${why}` });
  const i = hostport.lastIndexOf(':');
  if (i < 0) return fail('missing port in address');
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0) return fail("missing ']' in address");
    if (end + 1 === hostport.length) return fail('missing port in address');
    if (end + 1 !== i)
      return fail(hostport[end + 1] === ':' ? 'too many colons in address' : 'missing port in address');
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return fail('too many colons in address');
  }
  if (hostport.slice(j).includes('[')) return fail("unexpected '[' in address");
  if (hostport.slice(k).includes(']')) return fail("unexpected ']' in address");
  return { ok: true, host, port: hostport.slice(i + 1) };
}
