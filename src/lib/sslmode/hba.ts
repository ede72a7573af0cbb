/**
 * pg_hba.conf as PostgreSQL 15 loads it, and the first-match rule the server applies to a TCP connection.
 *
 * Loading (hba.c, PG15): tokenize_auth_file() joins backslash-continued lines (the logical line keeps the number of
 * its first physical line), next_token()/next_field_expand() split fields on blanks, commas make lists, `"` quotes
 * (a quoted token is never a keyword; `""` inside quotes is a literal quote), `#` starts a comment, `@file` reads a
 * secondary file; parse_hba_line() and parse_hba_auth_opt() check each line. Every bad line is logged (LOG with
 * `CONTEXT:  line N of configuration file "..."`), and one bad line is enough for the postmaster to refuse to start
 * (`FATAL:  could not load pg_hba.conf`); a file with no lines at all fails the same way. PG15 has no `include`
 * directives: such a line is an "invalid connection type".
 *
 * Every text here was checked against PostgreSQL 15.18 (Debian build: SSL, GSSAPI, PAM and LDAP on; no SSPI or BSD
 * auth), both as the startup log prints it and as the pg_hba_file_rules view reports it; the two differ in places
 * (see `viewError`). tests/oracle/sslmode-hba-parse.test.ts compares generated files with the real server.
 *
 * Sources: PostgreSQL 15 `src/backend/libpq/hba.c` tokenize_auth_file(), next_token(), next_field_expand(),
 * tokenize_inc_file(), parse_hba_line(), parse_hba_auth_opt(), load_hba(), check_hba(); postmaster.c
 * PostmasterMain() ("could not load pg_hba.conf"); D: client-auth.sgml "The pg_hba.conf File".
 */

import type { AuthMethod } from './types.ts';

export type HbaType = 'local' | 'host' | 'hostssl' | 'hostnossl' | 'hostgssenc' | 'hostnogssenc';

/** One token of a field. A quoted token ("all") is never a keyword. */
export interface HbaToken {
  readonly text: string;
  readonly quoted: boolean;
}

/** The address field, as parse_hba_line() reads it (ip_cmp_method). */
export type HbaAddress =
  | { readonly kind: 'all' | 'samehost' | 'samenet' }
  | { readonly kind: 'ip'; readonly net: Uint8Array; readonly mask: Uint8Array }
  | { readonly kind: 'hostname'; readonly name: string };

export interface HbaLine {
  /** Line number in the file (the first physical line of a continued line). */
  readonly line: number;
  /** The logical line as read (continuations joined), comments included. */
  readonly text: string;
  readonly type: HbaType;
  readonly databases: readonly HbaToken[];
  readonly users: readonly HbaToken[];
  /** The address field as written ("127.0.0.1/32", "10.0.0.0 255.0.0.0", "all"). Absent for `local`. */
  readonly address?: string;
  readonly ip?: HbaAddress;
  readonly method: AuthMethod | (string & {});
  readonly options: Readonly<Record<string, string>>;
}

/** One ereport() at LOG while loading the file. */
export interface HbaLogEntry {
  readonly message: string;
  readonly hint?: string;
  /** Absent for the messages PG15 logs without a line context (a missing `@file`). */
  readonly line?: number;
}

/** A line the server refused to load. */
export interface HbaProblem {
  readonly line: number;
  /** What the server logged last for this line (the reason it was refused). */
  readonly message: string;
  /**
   * pg_hba_file_rules.error for this line: usually `message`, but PG15 sets no error text for some refusals (an
   * invalid clientcert or clientname value), so the view shows the previous one or none, and the `cert` +
   * clientcert=verify-ca refusal has a different text in the view than in the log.
   */
  readonly viewError: string | null;
}

export interface HbaParse {
  /** true when the postmaster would load the file (start, or accept a reload). */
  readonly ok: boolean;
  /** The lines loaded (when ok), or the ones that parsed (when not). */
  readonly lines: HbaLine[];
  /** Every line the server refused, in file order. */
  readonly problems: HbaProblem[];
  /** Lines loaded with a warning, and their text (hostssl with ssl=off): pg_hba_file_rules.error for a loaded line. */
  readonly warnings: HbaProblem[];
  /** What the server logs while loading the file at startup, ending in FATAL when it refuses it. */
  readonly log: string[];
  /** The first problem's line and message (absent when ok). */
  readonly line?: number;
  readonly error?: string;
}

export interface HbaParseOptions {
  /** ssl = on? A hostssl line with ssl = off loads with a warning (default true). */
  readonly ssl?: boolean;
  /** The file's path, for CONTEXT lines and `@file` names (default HBA_FILE). */
  readonly file?: string;
}

/** Where the lab's server keeps pg_hba.conf (the postgres Docker image's PGDATA). */
export const HBA_FILE = '/var/lib/postgresql/data/pg_hba.conf';

interface LogicalLine {
  readonly line: number;
  readonly text: string;
}

/** tokenize_auth_file(): physical lines, `\r`/`\n` stripped at the end, backslash continuations joined. */
function logicalLines(physical: readonly string[]): LogicalLine[] {
  const all = physical.join('\n').split('\n');
  const out: LogicalLine[] = [];
  let n = 0;
  while (n < all.length) {
    const start = n + 1;
    let text = '';
    for (;;) {
      const raw = (all[n] ?? '').replace(/[\r\n]+$/, '');
      n++;
      if (raw.endsWith('\\') && n < all.length) {
        text += raw.slice(0, -1);
        continue;
      }
      text += raw.endsWith('\\') ? raw.slice(0, -1) : raw;
      break;
    }
    out.push({ line: start, text });
  }
  // A file's last line ends with '\n': the empty piece after it is not a line.
  if (out.length > 0 && out[out.length - 1]!.text === '' && physical.length > 0) out.pop();
  return out;
}

const isBlank = (c: string): boolean => c === ' ' || c === '\t' || c === '\r';

interface RawToken {
  readonly text: string;
  readonly initialQuote: boolean;
  readonly terminatingComma: boolean;
}

/** next_token(): the next token from `pos`, or null at the end of the line or a comment. */
function nextToken(s: string, pos: { i: number }): RawToken | null {
  let c = s[pos.i] ?? '';
  while (c !== '' && (isBlank(c) || c === ',')) c = s[++pos.i] ?? '';
  let buf = '';
  let inQuote = false;
  let wasQuote = false;
  let sawQuote = false;
  let initialQuote = false;
  let terminatingComma = false;
  while (c !== '' && (!isBlank(c) || inQuote)) {
    if (c === '#' && !inQuote) {
      pos.i = s.length;
      c = '';
      break;
    }
    if (c === ',' && !inQuote) {
      terminatingComma = true;
      pos.i++;
      break;
    }
    if (c !== '"' || wasQuote) buf += c;
    wasQuote = inQuote && c === '"' ? !wasQuote : false;
    if (c === '"') {
      inQuote = !inQuote;
      sawQuote = true;
      if (buf === '') initialQuote = true;
    }
    c = s[++pos.i] ?? '';
  }
  return sawQuote || buf !== '' ? { text: buf, initialQuote, terminatingComma } : null;
}

/** canonicalize_path() for the `@file` message: "." and ".." resolved, repeated slashes folded. */
function canonical(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return '/' + parts.join('/');
}

interface Tokenized {
  readonly fields: HbaToken[][];
  readonly error?: string;
}

/**
 * next_field_expand() over a line. An `@file` token (unquoted, not "@" alone) reads a secondary file; the lab's server
 * has no other files, so it fails with the errno text (logged without a line context, as PG15 does).
 */
function tokenize(text: string, file: string, log: HbaLogEntry[]): Tokenized {
  const fields: HbaToken[][] = [];
  const pos = { i: 0 };
  while (pos.i < text.length) {
    const field: HbaToken[] = [];
    for (;;) {
      const t = nextToken(text, pos);
      if (!t) break;
      if (!t.initialQuote && t.text.startsWith('@') && t.text.length > 1) {
        const name = t.text.slice(1);
        const full = canonical(
          name.startsWith('/') ? name : `${file.slice(0, file.lastIndexOf('/'))}/${name}`,
        );
        const message = `could not open secondary authentication file "@${name}" as "${full}": No such file or directory`;
        log.push({ message });
        if (field.length > 0) fields.push(field);
        return { fields, error: message };
      }
      field.push({ text: t.text, quoted: t.initialQuote });
      if (!t.terminatingComma) break;
    }
    if (field.length > 0) fields.push(field);
  }
  return { fields };
}

/** glibc inet_aton() (getaddrinfo with AI_NUMERICHOST takes IPv4 this way): "127.1", "0x7f.0.0.1", "2130706433". */
function inetAton(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length > 4) return null;
  const values: number[] = [];
  for (const p of parts) {
    const m = /^(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)$/.exec(p);
    if (!m) return null;
    const v = /^0[xX]/.test(p)
      ? parseInt(p.slice(2) || '0', 16)
      : p.startsWith('0')
        ? parseInt(p, 8)
        : Number(p);
    if (!Number.isFinite(v)) return null;
    values.push(v);
  }
  const last = values.pop()!;
  if (values.some((v) => v > 255) || last >= 2 ** (8 * (4 - values.length))) return null;
  const bytes = new Uint8Array(4);
  values.forEach((v, i) => (bytes[i] = v));
  for (let i = 3, rest = last; i >= values.length; i--, rest = Math.floor(rest / 256)) bytes[i] = rest % 256;
  return bytes;
}

/** inet_pton(AF_INET) as glibc checks the tail of an IPv6 literal: four decimal parts, no leading zeros. */
function strictV4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255))
    return null;
  return parts.map(Number);
}

/** Parses an IPv4 (dotted quad) or IPv6 literal to bytes; null when it is not one. */
export function ipBytes(text: string): Uint8Array | null {
  const v4 = strictV4(text);
  if (v4) return new Uint8Array(v4);
  if (!text.includes(':')) return null;
  const [head, tail, extra] = text.split('::');
  if (extra !== undefined) return null;
  const parse = (part: string | undefined, last: boolean): number[] | null => {
    if (!part) return [];
    const groups: number[] = [];
    const pieces = part.split(':');
    for (const [i, g] of pieces.entries()) {
      if (last && i === pieces.length - 1 && g.includes('.')) {
        const q = strictV4(g);
        if (!q) return null;
        groups.push((q[0]! << 8) | q[1]!, (q[2]! << 8) | q[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) groups.push(parseInt(g, 16));
      else return null;
    }
    return groups;
  };
  const h = parse(head, tail === undefined);
  const t = tail === undefined ? [] : parse(tail, true);
  if (!h || !t) return null;
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...h, ...new Array<number>(tail === undefined ? 0 : missing).fill(0), ...t];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/**
 * getaddrinfo(AI_NUMERICHOST): an IPv4 literal the way inet_aton reads it ("127.1", "2130706433",
 * "127.000.000.001"), else an IPv6 literal. Also libpq's own test for an IP host (fe-secure-common.c
 * is_ip_address(), pq_verify_peer_name_matches_certificate_ip(): inet_aton, then inet_pton(AF_INET6)).
 */
export const numericHost = (text: string): Uint8Array | null =>
  text.includes(':') ? ipBytes(text) : inetAton(text);

/** pg_sockaddr_cidr_mask(): strtol(base 10) of the whole suffix, 0..32 or 0..128. */
function cidrMask(bits: string, length: number): Uint8Array | null {
  if (!/^[ \t\n\v\f\r]*[+-]?[0-9]+$/.test(bits)) return null;
  const n = Number(bits.trim());
  if (n < 0 || n > length * 8) return null;
  const mask = new Uint8Array(length);
  for (let i = 0; i < n; i++) mask[i >> 3]! |= 0x80 >> (i % 8);
  return mask;
}

const keyword = (t: HbaToken, word: string): boolean => !t.quoted && t.text === word;

/** Methods of a build with SSL, GSSAPI, PAM and LDAP (Debian's); sspi and bsd are not built in. */
const METHODS = [
  'trust',
  'ident',
  'peer',
  'password',
  'gss',
  'reject',
  'md5',
  'scram-sha-256',
  'pam',
  'ldap',
  'cert',
  'radius',
];
const UNSUPPORTED_METHODS = ['sspi', 'bsd'];

/** parse_hba_auth_opt(): options valid only for some methods (REQUIRE_AUTH_OPTION / INVALID_AUTH_OPTION). */
const OPTION_METHODS: Readonly<Record<string, { methods: readonly string[]; label: string }>> = {
  map: { methods: ['ident', 'peer', 'gss', 'sspi', 'cert'], label: 'ident, peer, gssapi, sspi, and cert' },
  pamservice: { methods: ['pam'], label: 'pam' },
  pam_use_hostname: { methods: ['pam'], label: 'pam' },
  ldapurl: { methods: ['ldap'], label: 'ldap' },
  ldaptls: { methods: ['ldap'], label: 'ldap' },
  ldapscheme: { methods: ['ldap'], label: 'ldap' },
  ldapserver: { methods: ['ldap'], label: 'ldap' },
  ldapport: { methods: ['ldap'], label: 'ldap' },
  ldapbinddn: { methods: ['ldap'], label: 'ldap' },
  ldapbindpasswd: { methods: ['ldap'], label: 'ldap' },
  ldapsearchattribute: { methods: ['ldap'], label: 'ldap' },
  ldapsearchfilter: { methods: ['ldap'], label: 'ldap' },
  ldapbasedn: { methods: ['ldap'], label: 'ldap' },
  ldapprefix: { methods: ['ldap'], label: 'ldap' },
  ldapsuffix: { methods: ['ldap'], label: 'ldap' },
  krb_realm: { methods: ['gss', 'sspi'], label: 'gssapi and sspi' },
  include_realm: { methods: ['gss', 'sspi'], label: 'gssapi and sspi' },
  compat_realm: { methods: ['sspi'], label: 'sspi' },
  upn_username: { methods: ['sspi'], label: 'sspi' },
  radiusservers: { methods: ['radius'], label: 'radius' },
  radiusports: { methods: ['radius'], label: 'radius' },
  radiussecrets: { methods: ['radius'], label: 'radius' },
  radiusidentifiers: { methods: ['radius'], label: 'radius' },
};

class LineCheck {
  /** pg_hba_file_rules.error: the last err_msg set. */
  viewError: string | null = null;
  constructor(
    readonly line: number,
    readonly log: HbaLogEntry[],
  ) {}
  /** ereport(LOG) with the line context; `view` false: PG15 sets no err_msg for this one. */
  report(message: string, opts: { hint?: string; view?: string | false } = {}): void {
    this.log.push({ message, line: this.line, ...(opts.hint ? { hint: opts.hint } : {}) });
    if (opts.view !== false) this.viewError = opts.view ?? message;
  }
}

type LineResult = { ok: true; line: HbaLine } | { ok: false };

/** parse_hba_line() for PG15, with elevel LOG. */
function parseLine(
  fields: readonly HbaToken[][],
  at: LogicalLine,
  ssl: boolean,
  check: LineCheck,
): LineResult {
  const fail = (message: string, hint?: string): LineResult => {
    check.report(message, hint ? { hint } : {});
    return { ok: false };
  };
  let f = 0;
  const typeField = fields[f]!;
  if (typeField.length > 1)
    return fail(
      'multiple values specified for connection type',
      'Specify exactly one connection type per line.',
    );
  const type = typeField[0]!.text;
  if (!['local', 'host', 'hostssl', 'hostnossl', 'hostgssenc', 'hostnogssenc'].includes(type))
    return fail(`invalid connection type "${type}"`);
  if (type === 'hostssl' && !ssl)
    check.report('hostssl record cannot match because SSL is disabled', {
      hint: 'Set ssl = on in postgresql.conf.',
    });
  const databases = fields[++f];
  if (!databases) return fail('end-of-line before database specification');
  const users = fields[++f];
  if (!users) return fail('end-of-line before role specification');
  let address: string | undefined;
  let ip: HbaAddress | undefined;
  if (type !== 'local') {
    const parsed = parseAddress(fields, f);
    if ('message' in parsed) return fail(parsed.message, parsed.hint);
    ({ f, address, ip } = parsed);
  }
  const methodField = fields[++f];
  if (!methodField) return fail('end-of-line before authentication method');
  if (methodField.length > 1)
    return fail(
      'multiple values specified for authentication type',
      'Specify exactly one authentication type per line.',
    );
  let method = methodField[0]!.text;
  if (UNSUPPORTED_METHODS.includes(method))
    return fail(`invalid authentication method "${method}": not supported by this build`);
  if (!METHODS.includes(method)) return fail(`invalid authentication method "${method}"`);
  if (type === 'local' && method === 'ident') method = 'peer';
  if (type === 'local' && method === 'gss')
    return fail('gssapi authentication is not supported on local sockets');
  if (type !== 'local' && method === 'peer')
    return fail('peer authentication is only supported on local sockets');
  if (type !== 'hostssl' && method === 'cert')
    return fail('cert authentication is only supported on hostssl connections');

  const options: Record<string, string> = {};
  for (const field of fields.slice(f + 1)) {
    for (const token of field) {
      const eq = token.text.indexOf('=');
      if (eq === -1) return fail(`authentication option not in name=value format: ${token.text}`);
      const name = token.text.slice(0, eq);
      const value = token.text.slice(eq + 1);
      if (!authOption(name, value, type, method, check)) return { ok: false };
      options[name] = value;
    }
  }
  const missing = requiredOptionProblem(method, options);
  if (missing !== null) return fail(missing);
  return {
    ok: true,
    line: {
      line: at.line,
      text: at.text,
      type: type as HbaType,
      databases,
      users,
      ...(address !== undefined ? { address } : {}),
      ...(ip ? { ip } : {}),
      method,
      options,
    },
  };
}

/** The address field (and a separate netmask field) from field `f` on: the last field read, or the refusal. */
function parseAddress(
  fields: readonly HbaToken[][],
  f: number,
): { f: number; address: string; ip: HbaAddress } | { message: string; hint?: string } {
  const addrField = fields[++f];
  if (!addrField) return { message: 'end-of-line before IP address specification' };
  if (addrField.length > 1)
    return {
      message: 'multiple values specified for host address',
      hint: 'Specify one address range per line.',
    };
  const token = addrField[0]!;
  if (keyword(token, 'all') || keyword(token, 'samehost') || keyword(token, 'samenet'))
    return { f, address: token.text, ip: { kind: token.text as 'all' | 'samehost' | 'samenet' } };
  const slash = token.text.indexOf('/');
  const host = slash === -1 ? token.text : token.text.slice(0, slash);
  const net = numericHost(host);
  if (slash !== -1) {
    if (!net) return { message: `specifying both host name and CIDR mask is invalid: "${token.text}"` };
    const mask = cidrMask(token.text.slice(slash + 1), net.length);
    if (!mask) return { message: `invalid CIDR mask in address "${token.text}"` };
    return { f, address: token.text, ip: { kind: 'ip', net, mask } };
  }
  if (!net) return { f, address: token.text, ip: { kind: 'hostname', name: host } };
  const maskField = fields[++f];
  if (!maskField)
    return {
      message: 'end-of-line before netmask specification',
      hint: 'Specify an address range in CIDR notation, or provide a separate netmask.',
    };
  if (maskField.length > 1) return { message: 'multiple values specified for netmask' };
  const maskText = maskField[0]!.text;
  const mask = numericHost(maskText);
  if (!mask) return { message: `invalid IP mask "${maskText}": Name or service not known` };
  if (mask.length !== net.length) return { message: 'IP address and mask do not match' };
  return { f, address: `${token.text} ${maskText}`, ip: { kind: 'ip', net, mask } };
}

/** The options ldap and radius cannot do without (parse_hba_line()'s checks after the options); null: complete. */
function requiredOptionProblem(method: string, options: Readonly<Record<string, string>>): string | null {
  if (method === 'ldap') {
    const has = (o: string) => options[o] !== undefined;
    if (has('ldapprefix') || has('ldapsuffix')) {
      if (['ldapbasedn', 'ldapbinddn', 'ldapbindpasswd', 'ldapsearchattribute', 'ldapsearchfilter'].some(has))
        return 'cannot use ldapbasedn, ldapbinddn, ldapbindpasswd, ldapsearchattribute, ldapsearchfilter, or ldapurl together with ldapprefix';
    } else if (!has('ldapbasedn'))
      return 'authentication method "ldap" requires argument "ldapbasedn", "ldapprefix", or "ldapsuffix" to be set';
    if (has('ldapsearchattribute') && has('ldapsearchfilter'))
      return 'cannot use ldapsearchattribute together with ldapsearchfilter';
  }
  if (method === 'radius') {
    for (const o of ['radiusservers', 'radiussecrets'])
      if (options[o] === undefined)
        return `authentication method "radius" requires argument "${o}" to be set`;
  }
  return null;
}

/** parse_hba_auth_opt() (PG15) for one name=value; false when the line is refused. */
function authOption(name: string, value: string, type: string, method: string, check: LineCheck): boolean {
  if (name === 'clientcert') {
    if (type !== 'hostssl') {
      check.report('clientcert can only be configured for "hostssl" rows');
      return false;
    }
    if (value === 'verify-ca') {
      if (method === 'cert') {
        // PG15 logs one text and stores another for pg_hba_file_rules (checked against 15.18).
        check.report('clientcert only accepts "verify-full" when using "cert" authentication', {
          view: 'clientcert can only be set to "verify-full" when using "cert" authentication',
        });
        return false;
      }
      return true;
    }
    if (value === 'verify-full') return true;
    check.report(`invalid value for clientcert: "${value}"`, { view: false });
    return false;
  }
  if (name === 'clientname') {
    if (type !== 'hostssl') {
      check.report('clientname can only be configured for "hostssl" rows');
      return false;
    }
    if (value === 'CN' || value === 'DN') return true;
    check.report(`invalid value for clientname: "${value}"`, { view: false });
    return false;
  }
  const allowed = OPTION_METHODS[name];
  if (!allowed) {
    check.report(`unrecognized authentication option name: "${name}"`);
    return false;
  }
  if (!allowed.methods.includes(method)) {
    check.report(`authentication option "${name}" is only valid for authentication methods ${allowed.label}`);
    return false;
  }
  if (name === 'ldapport' && !(parseInt(value, 10) > 0 || parseInt(value, 10) < 0)) {
    check.report(`invalid LDAP port number: "${value}"`);
    return false;
  }
  return true;
}

/** One LOG entry as the server prints it (log_line_prefix aside). */
function formatLog(e: HbaLogEntry, file: string): string[] {
  const out = [`LOG:  ${e.message}`];
  if (e.hint) out.push(`HINT:  ${e.hint}`);
  if (e.line !== undefined) out.push(`CONTEXT:  line ${e.line} of configuration file "${file}"`);
  return out;
}

/** load_hba() at postmaster start: every line checked, every problem logged, the file refused on any of them. */
export function parseHba(physicalLines: readonly string[], opts: HbaParseOptions = {}): HbaParse {
  const file = opts.file ?? HBA_FILE;
  const ssl = opts.ssl ?? true;
  const lines: HbaLine[] = [];
  const problems: HbaProblem[] = [];
  const warnings: HbaProblem[] = [];
  // tokenize_auth_file() reads the whole file before parse_hba_line() looks at any line: its messages come first.
  const tokenLog: HbaLogEntry[] = [];
  const log: HbaLogEntry[] = [];
  const tokenized = logicalLines(physicalLines).map((at) => ({
    at,
    tokens: tokenize(at.text, file, tokenLog),
  }));
  for (const { at, tokens } of tokenized) {
    const check = new LineCheck(at.line, log);
    if (tokens.error !== undefined) {
      problems.push({ line: at.line, message: tokens.error, viewError: tokens.error });
      continue;
    }
    if (tokens.fields.length === 0) continue;
    const r = parseLine(tokens.fields, at, ssl, check);
    if (r.ok) {
      lines.push(r.line);
      if (check.viewError !== null)
        warnings.push({ line: at.line, message: check.viewError, viewError: check.viewError });
    } else {
      problems.push({
        line: at.line,
        message: log[log.length - 1]?.message ?? '',
        viewError: check.viewError,
      });
    }
  }
  const text = [...tokenLog, ...log].flatMap((e) => formatLog(e, file));
  let ok = problems.length === 0;
  if (ok && lines.length === 0) {
    text.push(`LOG:  configuration file "${file}" contains no entries`);
    ok = false;
  }
  if (!ok) text.push('FATAL:  could not load pg_hba.conf', 'LOG:  database system is shut down');
  const first = problems[0];
  return {
    ok,
    lines,
    problems,
    warnings,
    log: text,
    ...(ok
      ? {}
      : {
          line: first?.line ?? 0,
          error: first?.message ?? `configuration file "${file}" contains no entries`,
        }),
  };
}

function addressMatches(
  ip: HbaAddress | undefined,
  clientAddress: string,
  serverAddresses: readonly string[],
): boolean {
  if (!ip) return false;
  if (ip.kind === 'all') return true;
  if (ip.kind === 'samehost') return serverAddresses.includes(clientAddress);
  // samenet needs the server's interfaces and host names reverse DNS: neither is modelled, so they never match.
  if (ip.kind !== 'ip') return false;
  const addr = ipBytes(clientAddress);
  if (!addr || addr.length !== ip.net.length) return false;
  // pg_range_sockaddr(): ((addr ^ net) & mask) == 0 byte by byte.
  return addr.every((b, i) => ((b ^ ip.net[i]!) & ip.mask[i]!) === 0);
}

export interface HbaRequest {
  readonly ssl: boolean;
  readonly serverSsl: boolean;
  readonly user: string;
  readonly database: string;
  readonly clientAddress: string;
  readonly serverAddresses: readonly string[];
}

/** hba.c `check_hba()`: the first matching line, or null (the implicit reject, `uaImplicitReject`). */
export function matchHba(lines: readonly HbaLine[], req: HbaRequest): HbaLine | null {
  for (const line of lines) {
    if (line.type === 'local') continue;
    if (line.type === 'hostssl' && (!req.ssl || !req.serverSsl)) continue;
    if (line.type === 'hostnossl' && req.ssl) continue;
    if (line.type === 'hostgssenc') continue; // GSS encryption is not modelled: never in use
    if (!addressMatches(line.ip, req.clientAddress, req.serverAddresses)) continue;
    // check_db(): replication matches only walsenders (not modelled); samerole needs role membership (taken as the
    // role's own name, as with sameuser).
    const dbOk = line.databases.some(
      (d) =>
        keyword(d, 'all') ||
        ((keyword(d, 'sameuser') || keyword(d, 'samerole') || keyword(d, 'samegroup')) &&
          req.database === req.user) ||
        (!keyword(d, 'replication') &&
          !keyword(d, 'sameuser') &&
          !keyword(d, 'samerole') &&
          !keyword(d, 'samegroup') &&
          d.text === req.database),
    );
    if (!dbOk) continue;
    // check_role(): "+group" is membership (only the role itself is modelled), "all" any role.
    const userOk = line.users.some((u) =>
      !u.quoted && u.text.startsWith('+')
        ? u.text.slice(1) === req.user
        : keyword(u, 'all') || u.text === req.user,
    );
    if (!userOk) continue;
    return line;
  }
  return null;
}

/**
 * auth.c `ClientAuthentication()`: the last `%s` of the pg_hba messages. PostgreSQL 14 and later say "SSL encryption"
 * / "no encryption"; 13 and earlier said "SSL on" / "SSL off" (S: auth.c at REL_11_4 and REL_13; docs/sslmode-rules.md).
 */
export const encryptionLabel = (ssl: boolean, serverMajor: number): string =>
  serverMajor <= 13 ? (ssl ? 'SSL on' : 'SSL off') : ssl ? 'SSL encryption' : 'no encryption';
