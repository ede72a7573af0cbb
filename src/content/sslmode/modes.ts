/**
 * Prose for the sslmode lab, keyed by mode: libpq's own documentation wording (D: libpq.sgml
 * `libpq-connect-sslmode`, identical in PG15, PG16 and PG18) and what each mode protects against
 * (D: libpq-ssl.html "Protection Provided in Different Modes"), plus the one-line differences of other drivers.
 */

import type { Driver, SslMode } from '../../lib/sslmode/index';

/** The engine's sslmode names (names.ts SSLMODES). */
export type LibpqSslMode = SslMode;

export interface ModeText {
  /** The libpq documentation's description. */
  readonly libpqDoc: string;
  /** Eavesdropping / MITM protection in libpq's terms. */
  readonly protects: string;
  /** What surprises people, with the rule id that explains it (src/lib/sslmode/rules.ts). */
  readonly surprise?: { readonly text: string; readonly rule: string };
}

export const SSLMODE_TEXT: Readonly<Record<LibpqSslMode, ModeText>> = {
  disable: { libpqDoc: 'only try a non-SSL connection', protects: 'Nothing: plaintext.' },
  allow: {
    libpqDoc: 'first try a non-SSL connection; if that fails, try an SSL connection',
    protects: 'Nothing against an attacker: plaintext is tried first.',
    surprise: {
      text: 'The SSL attempt happens only after the server rejects the plaintext one.',
      rule: 'libpq.allow.retry',
    },
  },
  prefer: {
    libpqDoc: 'first try an SSL connection; if that fails, try a non-SSL connection',
    protects:
      'Passive eavesdropping only while the server cooperates; an active attacker can force plaintext.',
    surprise: {
      text: 'A ~/.postgresql/root.crt turns on chain verification even here, and a failure silently drops to plaintext.',
      rule: 'libpq.rootcert',
    },
  },
  require: {
    libpqDoc:
      'only try an SSL connection. If a root CA file is present, verify the certificate in the same way as if verify-ca was specified',
    protects: 'Eavesdropping; not MITM unless a root CA file is present.',
    surprise: {
      text: 'Behaves as verify-ca when ~/.postgresql/root.crt or sslrootcert exists.',
      rule: 'libpq.rootcert',
    },
  },
  'verify-ca': {
    libpqDoc:
      'only try an SSL connection, and verify that the server certificate is issued by a trusted certificate authority (CA)',
    protects: 'Eavesdropping, and MITM by anyone without a certificate from your CA (any name is accepted).',
  },
  'verify-full': {
    libpqDoc:
      'only try an SSL connection, verify that the server certificate is issued by a trusted CA and that the requested server host name matches that in the certificate',
    protects: 'Eavesdropping and MITM.',
  },
};

/** How other drivers differ from libpq, one line each (sources in src/lib/sslmode/drivers/rules.ts and node-postgres.ts). */
export const DRIVER_DIFFERENCES: Readonly<Record<Exclude<Driver, 'libpq'>, string>> = {
  'node-postgres':
    'No TLS unless the URL asks; any sslmode except disable/no-verify means full verification and never falls back (uselibpqcompat=true for libpq meanings).',
  pgjdbc:
    'ssl=true means verify-full; require never validates, even with root.crt; prefer retries plaintext only on SQLSTATE 28000.',
  npgsql:
    'Require never validates (v8+); VerifyCA/VerifyFull fall back to the OS store without a root certificate.',
  pgx: 'prefer never validates; require validates the chain when ~/.postgresql/root.crt exists; sslrootcert=system forces verify-full.',
  asyncpg:
    'prefer never validates, even with root.crt; verify-ca/verify-full need a root file (no system store) and fail before connecting; a wrong password is retried without SSL.',
};
