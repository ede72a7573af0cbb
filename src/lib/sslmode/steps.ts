/** Step recording and the protection summary shared by every client model. */

import { RULES, type RuleId } from './rules.ts';
import type { Protection, Step, StepKind, StepStatus } from './types.ts';

/** What a step states besides its sentence, for code that must not read the sentence (summaries, links). */
export type StepFacts = Pick<Step, 'protocol' | 'verifyError' | 'authExchange'>;

export class StepLog {
  readonly steps: Step[] = [];

  push(
    attempt: number,
    kind: StepKind,
    status: StepStatus,
    detail: string,
    rule: RuleId,
    facts: StepFacts = {},
  ): void {
    this.steps.push({ attempt, kind, status, detail, rule, source: RULES[rule].source, ...facts });
  }
}

/**
 * What the outcome protects against. `downgradable`: the client would also have accepted plaintext (allow,
 * prefer, disable), so an active attacker can strip TLS by answering N or breaking the handshake.
 */
export function protectionFor(
  encrypted: boolean,
  chain: boolean,
  host: boolean,
  downgradable: boolean,
  /** The server verified a client certificate (mutual TLS). */
  clientCertVerified = false,
): Protection {
  const p = protectionWithoutClientCert(encrypted, chain, host, downgradable);
  return encrypted && clientCertVerified
    ? {
        ...p,
        explanation: `${p.explanation} The client proved its identity too: the server verified its certificate against ssl_ca_file (mutual TLS), so a stolen password alone would not do.`,
      }
    : p;
}

function protectionWithoutClientCert(
  encrypted: boolean,
  chain: boolean,
  host: boolean,
  downgradable: boolean,
): Protection {
  if (!encrypted) {
    return {
      eavesdropping: false,
      mitm: 'none',
      downgradePossible: downgradable,
      explanation:
        'No encryption: anyone on the path can read and change the traffic, including the password exchange for md5/password.',
    };
  }
  const mitm = chain && host ? 'full' : chain ? 'chain-only' : 'none';
  const explanation =
    mitm === 'full'
      ? 'Encrypted, and the server proved it holds a certificate for this host name from a trusted CA.'
      : mitm === 'chain-only'
        ? 'Encrypted, and the certificate chains to the trusted CA, but any certificate that CA issued (for any name) would be accepted.'
        : 'Encrypted against passive eavesdropping only: the certificate was not checked, so an active attacker can present their own.';
  return {
    eavesdropping: true,
    mitm,
    downgradePossible: downgradable,
    explanation: downgradable
      ? `${explanation} The client would also have accepted plaintext, so an attacker could force a downgrade.`
      : explanation,
  };
}
