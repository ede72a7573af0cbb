/**
 * The summary of an outcome, computed from its steps only, so that what a reader sees at the top never
 * contradicts the step list below it: whether the decisive attempt encrypted, what it verified, and what went
 * over the wire unencrypted in any attempt. And the verdict on an attacker who answered in the server's place,
 * computed from the same facts: a client that refused the attacker is the safe outcome.
 */

import type { ConnectionOutcome, Step } from './types.ts';

export type CheckFact = 'verified' | 'failed' | 'not-checked';

/** What the clear-text part of the exchange carried, over every attempt. */
export type Exposure =
  /** Nothing but (at most) the 8-byte SSLRequest went unencrypted. */
  | 'nothing'
  /** The startup message (user and database names) and the server's answer went unencrypted in an attempt that failed. */
  | 'startup'
  /** A whole session ran unencrypted: user, authentication exchange, every query and result. */
  | 'session';

export interface OutcomeFacts {
  readonly connected: boolean;
  /** The attempt these facts describe: the last one (the one that connected, or the one whose error ends it). */
  readonly attempt: number;
  /** The decisive attempt completed a TLS handshake. */
  readonly encrypted: boolean;
  readonly protocol?: string;
  readonly chain: CheckFact;
  readonly hostname: CheckFact;
  readonly exposure: Exposure;
  /** Attempts that sent the startup message without TLS (1-based). */
  readonly plaintextAttempts: readonly number[];
  /**
   * The authentication exchange each of those attempts carried, where the client answered a password request
   * (its `auth` step's `authExchange`): 'password', the password itself (pg_hba method password); 'scram', a SCRAM
   * exchange (no password, but what passwords can be tried against offline).
   */
  readonly clearAuth: readonly { readonly attempt: number; readonly exchange: 'password' | 'scram' }[];
}

function stepStatus(steps: readonly Step[], kind: Step['kind']): CheckFact {
  const step = steps.find((s) => s.kind === kind && (s.status === 'ok' || s.status === 'fail'));
  return !step ? 'not-checked' : step.status === 'ok' ? 'verified' : 'failed';
}

/** The facts of an outcome, read from its steps. */
export function outcomeFacts(outcome: ConnectionOutcome): OutcomeFacts {
  const attempts = [...new Set(outcome.steps.map((s) => s.attempt).filter((a) => a > 0))];
  const attempt = attempts.length ? Math.max(...attempts) : 0;
  const of = (a: number) => outcome.steps.filter((s) => s.attempt === a);
  const tlsOk = (a: number) => of(a).some((s) => s.kind === 'tls' && s.status === 'ok');
  const sentStartup = (a: number) =>
    of(a).some((s) => s.kind === 'startup' || s.kind === 'pg_hba' || s.kind === 'auth');
  const plaintextAttempts = attempts.filter((a) => sentStartup(a) && !tlsOk(a));
  const clearAuth = plaintextAttempts.flatMap((a) => {
    const exchange = of(a).find((s) => s.authExchange !== undefined)?.authExchange;
    return exchange ? [{ attempt: a, exchange }] : [];
  });
  const decisive = of(attempt);
  const encrypted = tlsOk(attempt);
  // A failed connection has no outcome.protocol; its TLS step holds the version it completed.
  const tlsStep = decisive.find((s) => s.kind === 'tls' && s.status === 'ok');
  const protocol = outcome.protocol ?? tlsStep?.protocol;
  return {
    connected: outcome.connected,
    attempt,
    encrypted,
    ...(encrypted && protocol ? { protocol } : {}),
    chain: stepStatus(decisive, 'chain'),
    hostname: stepStatus(decisive, 'hostname'),
    exposure: outcome.connected && !encrypted ? 'session' : plaintextAttempts.length ? 'startup' : 'nothing',
    plaintextAttempts,
    clearAuth,
  };
}

/** The attempts (in words) whose unencrypted exchange carried `exchange`; '' when none did. */
function clearAuthIn(facts: OutcomeFacts, exchange: 'password' | 'scram', except?: number): string {
  const n = facts.clearAuth
    .filter((c) => c.exchange === exchange && c.attempt !== except)
    .map((c) => c.attempt);
  return n.length ? `attempt ${n.join(' and ')}` : '';
}

/** What the unencrypted authentication carried, as a clause: ", and the password itself in attempt 1 (...)". */
function clearAuthClause(facts: OutcomeFacts, withAttempt: boolean): string {
  const password = clearAuthIn(facts, 'password');
  const scram = clearAuthIn(facts, 'scram');
  const at = (where: string) => (withAttempt ? ` in ${where}` : '');
  return [
    password
      ? `, and the password itself${at(password)} (the server asked for it in clear text: pg_hba method password)`
      : '',
    scram
      ? `, and a SCRAM exchange${at(scram)} (no password, but its salt and proof let an eavesdropper try passwords offline)`
      : '',
  ].join('');
}

const CHECK_TEXT: Record<CheckFact, string> = {
  verified: 'verified',
  failed: 'failed',
  'not-checked': 'not checked',
};

export interface SummaryLine {
  readonly label: string;
  readonly value: string;
}

/** The summary lines a reader sees, each a fact of `outcomeFacts`. */
export function summaryLines(facts: OutcomeFacts): SummaryLine[] {
  const where = facts.attempt > 1 ? ` (attempt ${facts.attempt})` : '';
  const lines: SummaryLine[] = [
    {
      label: `Encryption${where}`,
      value: facts.encrypted
        ? `TLS handshake completed (${facts.protocol ?? 'TLS'})`
        : facts.connected
          ? 'none: the session is plaintext'
          : 'no TLS session was established',
    },
    { label: 'Server certificate chain', value: CHECK_TEXT[facts.chain] },
    { label: 'Host name in the certificate', value: CHECK_TEXT[facts.hostname] },
    { label: 'Sent unencrypted', value: exposureText(facts) },
  ];
  return lines;
}

function exposureText(facts: OutcomeFacts): string {
  switch (facts.exposure) {
    case 'session': {
      const exchange = facts.clearAuth.find((c) => c.attempt === facts.attempt)?.exchange;
      const auth =
        exchange === 'password'
          ? 'the password itself (the server asked for it in clear text: pg_hba method password)'
          : exchange === 'scram'
            ? 'the SCRAM exchange (no password, but its salt and proof let an eavesdropper try passwords offline)'
            : 'the authentication exchange';
      const earlier = clearAuthIn(facts, 'password', facts.attempt);
      return `everything: the user name, ${auth}, every query and result${earlier ? `; the password itself also in ${earlier}` : ''}`;
    }
    case 'startup': {
      const n = facts.plaintextAttempts;
      const failed = n.length > 1 ? 'those attempts failed' : 'that attempt failed';
      return `the startup message (user and database names) in attempt ${n.join(' and ')}${clearAuthClause(
        facts,
        n.length > 1,
      )}, before ${facts.connected ? `${failed}; attempt ${facts.attempt} then connected` : 'the connection failed'}`;
    }
    case 'nothing':
      return facts.connected
        ? 'nothing after the SSLRequest'
        : 'nothing: the connection failed before any user name, password or query was sent';
  }
}

/** One-sentence protection statement consistent with the facts (replaces the engine's on a failed connection). */
export function protectionText(outcome: ConnectionOutcome, facts: OutcomeFacts): string {
  if (outcome.connected) {
    const earlier = facts.exposure === 'startup' ? clearAuthIn(facts, 'password') : '';
    return earlier
      ? `${outcome.protection.explanation} But before that, ${earlier}, without TLS, sent the password itself in the clear (pg_hba method password).`
      : outcome.protection.explanation;
  }
  return facts.exposure === 'startup'
    ? `No connection. Before it failed, an attempt without TLS carried the user and database names in the clear${clearAuthClause(facts, false)}; no query was sent.`
    : 'No connection, and nothing was exposed: the client gave up before sending a user name, a password or a query.';
}

export type AttackKind = 'strip' | 'impersonate' | 'other-name';

export interface AttackVerdict {
  /** The client refused the attacker (nothing of value reached it). */
  readonly safe: boolean;
  readonly title: string;
  readonly explanation: string;
  /** What would have stopped this attack (absent when the client already refused it). */
  readonly fix?: string;
}

/**
 * The verdict on one attack, from the outcome of the client talking to the attacker. Connecting at all means
 * the attacker holds the session: in plaintext it reads it; over TLS it holds the other end of the tunnel.
 */
export function attackVerdict(kind: AttackKind, outcome: ConnectionOutcome): AttackVerdict {
  const facts = outcomeFacts(outcome);
  if (!facts.connected) {
    const password = clearAuthIn(facts, 'password') !== '';
    return facts.exposure === 'startup'
      ? {
          safe: false,
          title: password
            ? 'Refused, after sending the password in clear text'
            : 'Refused, after leaking the user and database names',
          explanation: `The client did not finish connecting to the attacker, but an attempt without TLS sent its startup message in the clear first${clearAuthClause(facts, false)}.`,
          fix: 'Use sslmode=verify-full so no attempt goes out without TLS.',
        }
      : {
          safe: true,
          title: 'Refused: safe',
          explanation: `The client refused to talk to the attacker${refusalReason(outcome, facts)}, before sending a user name, a password or a query. This is the outcome you want.`,
        };
  }
  if (!facts.encrypted) {
    return {
      safe: false,
      title: 'The attacker reads everything',
      explanation:
        'The client accepted a plaintext connection from the attacker: the user name, the authentication exchange (the attacker can ask for the password in clear text) and every query and result.',
      fix: 'Use sslmode=require or stronger (verify-full is the one that also stops impersonation): the client then refuses a server that will not do TLS.',
    };
  }
  const accepted =
    facts.chain === 'verified'
      ? "its certificate chains to the CA in the client's root file"
      : "the client did not check the attacker's certificate";
  return {
    safe: false,
    title: 'Encrypted, to the attacker',
    explanation: `The TLS tunnel ends at the attacker: ${accepted}${facts.chain === 'verified' && facts.hostname !== 'verified' ? ', and the name on it was never compared with the host' : ''}. The attacker decrypts, reads and relays everything.`,
    fix:
      kind === 'other-name'
        ? 'Use sslmode=verify-full: verify-ca accepts any certificate the CA issued, whatever its name.'
        : "Use sslmode=verify-full with the server's CA in the root file (sslrootcert), so the certificate and its name are checked.",
  };
}

/** Why the client stopped, from the decisive attempt's failing step (its kind, not its sentence). */
function refusalReason(outcome: ConnectionOutcome, facts: OutcomeFacts): string {
  if (facts.hostname === 'failed') return ': the name on its certificate is not the host asked for';
  if (facts.chain === 'failed') return ': its certificate does not chain to a trusted CA';
  const failed = outcome.steps.find((s) => s.attempt === facts.attempt && s.status === 'fail');
  if (failed?.kind === 'ssl-response') return ': it would not do TLS and the client requires it';
  if (failed?.kind === 'root-file')
    return ': the client has no usable root certificate file, so it stopped before looking at any server certificate';
  if (failed && failed.kind !== 'result')
    return ` (it stopped on its own ${STEP_WORDS[failed.kind] ?? failed.kind} step, before it trusted the attacker)`;
  return '';
}

const STEP_WORDS: Partial<Record<Step['kind'], string>> = {
  parse: 'settings',
  tls: 'TLS',
  'client-cert': 'client certificate',
  tcp: 'connection',
};
