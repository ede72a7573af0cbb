/**
 * CPython's urllib.parse as asyncpg uses it on a DSN (`urlparse`, `unquote`, `parse_qs(strict_parsing=True)`),
 * and the `int()` and `repr()` whose texts reach the user in asyncpg's ValueErrors.
 *
 * Source: S: python/cpython Lib/urllib/parse.py `urlsplit()` (leading C0 controls and spaces stripped, tab/CR/LF
 * removed, "Invalid IPv6 URL"), `_splitnetloc()`, `_check_bracketed_netloc()`, `unquote()` (errors='replace'),
 * `parse_qsl()` ("bad query field: %r"); Objects/longobject.c ("invalid literal for int() with base 10: %R").
 * Python 3.12.
 */

export interface PySplit {
  readonly scheme: string;
  readonly netloc: string;
  readonly path: string;
  readonly query: string;
}

const SCHEME_CHARS = /^[A-Za-z0-9+\-.]*$/;

/** urlsplit(): the parts, or the ValueError's text. */
export function pyUrlsplit(input: string): { ok: true; url: PySplit } | { ok: false; error: string } {
  let start = 0;
  while (start < input.length && input.charCodeAt(start) <= 0x20) start++;
  let url = input.slice(start).replace(/[\t\r\n]/g, '');
  let scheme = '';
  const colon = url.indexOf(':');
  if (colon > 0 && /^[A-Za-z]/.test(url) && SCHEME_CHARS.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase();
    url = url.slice(colon + 1);
  }
  let netloc = '';
  if (url.startsWith('//')) {
    let end = url.length;
    for (const c of '/?#') {
      const i = url.indexOf(c, 2);
      if (i >= 0) end = Math.min(end, i);
    }
    netloc = url.slice(2, end);
    url = url.slice(end);
    const open = netloc.includes('[');
    const close = netloc.includes(']');
    if (open !== close) return { ok: false, error: 'Invalid IPv6 URL' };
    if (open) {
      const hostname = netloc.slice(netloc.lastIndexOf('@') + 1);
      const br = hostname.indexOf('[');
      if (br >= 0) {
        if (br > 0) return { ok: false, error: 'Invalid IPv6 URL' };
        const bracketed = hostname.slice(br + 1);
        const end = bracketed.indexOf(']');
        const host = end === -1 ? bracketed : bracketed.slice(0, end);
        const port = end === -1 ? '' : bracketed.slice(end + 1);
        if (port !== '' && !port.startsWith(':')) return { ok: false, error: 'Invalid IPv6 URL' };
        if (host.startsWith('v')) {
          if (!/^v[a-fA-F0-9]+\..+$/.test(host)) return { ok: false, error: 'IPvFuture address is invalid' };
        } else if (!isIpAddress(host)) {
          return { ok: false, error: `${pyRepr(host)} does not appear to be an IPv4 or IPv6 address` };
        }
      }
    }
  }
  const hash = url.indexOf('#');
  if (hash >= 0) url = url.slice(0, hash);
  const q = url.indexOf('?');
  const query = q >= 0 ? url.slice(q + 1) : '';
  if (q >= 0) url = url.slice(0, q);
  return { ok: true, url: { scheme, netloc, path: url, query } };
}

/** ipaddress.ip_address() accepts it (an IPv6 scope id after % allowed). */
function isIpAddress(host: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) return v4.slice(1).every((o) => Number(o) <= 255 && !(o.length > 1 && o.startsWith('0')));
  const addr = host.split('%')[0] ?? '';
  if (!addr.includes(':')) return false;
  const tail = addr.slice(addr.lastIndexOf(':') + 1);
  const body =
    tail.includes('.') && isIpAddress(tail) ? `${addr.slice(0, addr.lastIndexOf(':') + 1)}0:0` : addr;
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((h) => (h === '' ? [] : h.split(':')));
  if (!groups.flat().every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = groups.flat().length;
  return halves.length === 2 ? count <= 7 : count === 8;
}

/** unquote(): %XX escapes as bytes read as UTF-8 (bad bytes become U+FFFD); a malformed escape stays as it is. */
export function pyUnquote(s: string): string {
  if (!s.includes('%')) return s;
  const encoder = new TextEncoder();
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const hex = s.slice(i + 1, i + 3);
    if (s[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      bytes.push(...encoder.encode(ch));
      i += ch.length - 1;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** parse_qs(qs, strict_parsing=True) as asyncpg reads it: the last value of each key, or the ValueError's text. */
export function pyParseQsStrict(
  qs: string,
): { ok: true; values: Map<string, string> } | { ok: false; error: string } {
  const values = new Map<string, string>();
  for (const field of qs.split('&')) {
    const eq = field.indexOf('=');
    if (eq === -1) return { ok: false, error: `bad query field: ${pyRepr(field)}` };
    const value = field.slice(eq + 1);
    if (value === '') continue; // keep_blank_values=False
    values.set(pyUnquote(field.slice(0, eq).replace(/\+/g, ' ')), pyUnquote(value.replace(/\+/g, ' ')));
  }
  return { ok: true, values };
}

/** int(s): the value, or the ValueError's text ("invalid literal for int() with base 10: '...'"). */
export function pyInt(s: string): { ok: true; value: number } | { ok: false; error: string } {
  const t = s.trim();
  if (/^[+-]?\d+(_\d+)*$/.test(t)) return { ok: true, value: Number(t.replace(/_/g, '')) };
  return { ok: false, error: `invalid literal for int() with base 10: ${pyRepr(s)}` };
}

/** repr() of a str: single quotes unless the text has ' and no ", backslash escapes for controls. */
export function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (c === q || c === '\\') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += `\\u${code.toString(16)}`;
    else out += c;
  }
  return q + out + q;
}
