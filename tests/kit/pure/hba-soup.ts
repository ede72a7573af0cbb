/**
 * pg_hba.conf token soup: files of 0-6 lines, each either a plausible line (type, database, user, address, method,
 * options) with a mistake or two, or a shuffle of pg_hba words, quotes, commas, comments and backslash continuations.
 * Used by the unit property (tests/unit/sslmode/hostile-hba.test.ts) and the PostgreSQL 15 oracle
 * (tests/oracle/sslmode-hba-parse.test.ts), so both see the same kinds of files. `@` names files that never exist.
 */
import fc from 'fast-check';

export const HBA_TYPES = [
  'local',
  'host',
  'hostssl',
  'hostnossl',
  'hostgssenc',
  'hostnogssenc',
  'HOST',
  'hots',
  'include',
  'include_dir',
  'include_if_exists',
];
export const HBA_NAMES = [
  'all',
  'sameuser',
  'samerole',
  'replication',
  'app',
  '+admins',
  '@no-such-list',
  'db-1',
];
export const HBA_ADDRESSES = [
  '127.0.0.1/32',
  '10.0.0.0/8',
  '0.0.0.0/0',
  '::1/128',
  '::/0',
  'fe80::1/64',
  '127.0.0.1/33',
  '::1/129',
  '10.0.0.0/x',
  '10.0.0.0/',
  '127.1/16',
  '10.1.2.3',
  '::1',
  'db.example.test',
  '.example.test',
  'db.example.test/24',
  'all',
  'samehost',
  'samenet',
  '300.1.1.1',
];
export const HBA_MASKS = ['255.255.255.255', '255.0.0.0', '255.1.0.0', 'ffff::', 'trust'];
export const HBA_METHODS = [
  'trust',
  'reject',
  'md5',
  'password',
  'scram-sha-256',
  'cert',
  'peer',
  'ident',
  'gss',
  'sspi',
  'pam',
  'ldap',
  'radius',
  'bsd',
  'Trust',
  'scram',
];
export const HBA_OPTIONS = [
  'clientcert=verify-ca',
  'clientcert=verify-full',
  'clientcert=1',
  'clientname=CN',
  'clientname=DN',
  'clientname=cn',
  'map=m',
  'include_realm=0',
  'krb_realm=EXAMPLE',
  'ldapbasedn=dc=example',
  'ldapprefix=cn=',
  'ldapport=389',
  'ldapport=x',
  'pamservice=pg',
  'foo=bar',
  'novalue',
  '=x',
];

const word = fc.constantFrom(
  ...HBA_TYPES,
  ...HBA_NAMES,
  ...HBA_ADDRESSES,
  ...HBA_MASKS,
  ...HBA_METHODS,
  ...HBA_OPTIONS,
);

/** A token as written: bare, quoted, quoted with a doubled quote inside, or with an unterminated quote. */
const written = (w: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .tuple(w, fc.nat(29))
    .map(([t, k]) => (k === 0 ? `"${t}"` : k === 1 ? `"${t}` : k === 2 ? `"a""${t}"` : t));

const list = (w: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.array(written(w), { minLength: 1, maxLength: 2 }).map((ts) => ts.join(','));

const gap = fc.constantFrom(' ', ' ', ' ', '\t', '  ', ' , ');

function joinWith(parts: readonly string[], gaps: readonly string[]): string {
  return parts.map((p, i) => (i === 0 ? p : `${gaps[i % gaps.length] ?? ' '}${p}`)).join('');
}

/** A line shaped like a real one, then maybe cut short, given an extra field, a comment or a continuation. */
const shaped = fc
  .record({
    type: written(fc.constantFrom(...HBA_TYPES)),
    db: list(fc.constantFrom(...HBA_NAMES)),
    user: list(fc.constantFrom(...HBA_NAMES)),
    address: written(fc.constantFrom(...HBA_ADDRESSES)),
    mask: fc.option(fc.constantFrom(...HBA_MASKS), { freq: 4 }),
    method: written(fc.constantFrom(...HBA_METHODS)),
    options: fc.array(written(fc.constantFrom(...HBA_OPTIONS)), { maxLength: 3 }),
    cut: fc.option(fc.nat(6), { freq: 3 }),
    gaps: fc.array(gap, { minLength: 1, maxLength: 4 }),
  })
  .map((r) => {
    const parts = [r.type, r.db, r.user];
    if (r.type !== 'local') parts.push(r.address);
    if (r.mask !== null) parts.push(r.mask);
    parts.push(r.method, ...r.options);
    return joinWith(r.cut === null ? parts : parts.slice(0, r.cut), r.gaps);
  });

const soupLine = fc
  .tuple(fc.array(written(word), { maxLength: 8 }), fc.array(gap, { minLength: 1, maxLength: 4 }))
  .map(([ws, gaps]) => joinWith(ws, gaps));

/** A line PostgreSQL loads (with ssl = on): the common shapes, spaced and commented as people write them. */
const good = fc
  .record({
    type: fc.constantFrom('host', 'hostssl', 'hostnossl', 'hostnogssenc', 'local'),
    db: fc.constantFrom('all', 'app', 'sameuser', 'app,db-1', '"all"', 'replication'),
    user: fc.constantFrom('all', 'app', '+admins', 'app,"x y"'),
    address: fc.constantFrom(
      '127.0.0.1/32',
      '10.0.0.0/8',
      '::1/128',
      'all',
      'samehost',
      '10.1.2.3 255.255.0.0',
      'db.example.test',
      '0.0.0.0/0',
    ),
    method: fc.constantFrom(
      ...HBA_METHODS.slice(0, 6),
      'cert clientname=DN',
      'trust clientcert=verify-full',
      'trust clientcert=verify-ca',
      'ident map=m',
      'pam',
    ),
    gaps: fc.array(gap, { minLength: 1, maxLength: 4 }),
  })
  .map((r) => {
    const method = r.type !== 'hostssl' && /cert/.test(r.method) ? 'scram-sha-256' : r.method;
    const local = r.type === 'local';
    const parts = [
      r.type,
      r.db,
      r.user,
      ...(local ? [] : [r.address]),
      local && method === 'pam' ? 'peer' : method,
    ];
    return joinWith(parts, r.gaps);
  });

const line = fc
  .tuple(
    fc.oneof(
      { weight: 4, arbitrary: good },
      { weight: 3, arbitrary: shaped },
      { weight: 1, arbitrary: soupLine },
    ),
    fc.constantFrom('', '', '', '', ' # comment', '#', ' \\', '\\', '\t'),
    fc.constantFrom('', '', '', '', '', '  ', '# '),
  )
  .map(([body, tail, head]) => `${head}${body}${tail}`);

/** A pg_hba.conf as its lines (the engine's `server.hba`). */
export const hbaSoup: fc.Arbitrary<string[]> = fc.array(line, { maxLength: 6 });
