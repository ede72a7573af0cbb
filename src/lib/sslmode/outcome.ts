/**
 * The one outcome builder every client model ends with (libpq.ts, node-postgres.ts, drivers/explain.ts): a failed
 * connection, a connected one, and the `Failure` a phase returns to end the run early.
 */

import type { StepLog } from './steps.ts';
import { protectionFor } from './steps.ts';
import type { ClientCertificateInfo, ConnectionOutcome, Driver, Step } from './types.ts';

/** Whether the last attempt's last decided step of `kind` passed (`ConnectionOutcome.chainVerified`). */
function verifiedInSteps(steps: readonly Step[], kind: 'chain' | 'hostname'): boolean {
  const attempt = Math.max(0, ...steps.map((s) => s.attempt));
  const decided = steps.filter(
    (s) => s.attempt === attempt && s.kind === kind && s.status !== 'info' && s.status !== 'skip',
  );
  return decided.at(-1)?.status === 'ok';
}

/** What every outcome of one client run carries, whatever the ending. */
export interface OutcomeBase {
  readonly driver: Driver;
  readonly version: string;
  readonly usedBy: readonly string[];
  readonly warnings: readonly string[];
  readonly opensslBuild?: string;
}

/** A phase's early end: the client's error text and what to change. */
export interface Failure {
  readonly kind: 'failure';
  readonly error: string;
  readonly fix: string;
}

export const failure = (error: string, fix: string): Failure => ({ kind: 'failure', error, fix });

export const isFailure = (x: unknown): x is Failure =>
  typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'failure';

/** A run that did not connect: nothing is encrypted or protected, whatever an earlier attempt verified. */
export function failedOutcome(
  base: OutcomeBase,
  log: StepLog,
  sslmode: string,
  end: {
    readonly error: string;
    readonly fix: string;
    readonly clientCertificate?: ClientCertificateInfo | undefined;
  },
): ConnectionOutcome {
  return {
    ...base,
    connected: false,
    encrypted: false,
    error: end.error,
    sslmode,
    chainVerified: verifiedInSteps(log.steps, 'chain'),
    hostnameVerified: verifiedInSteps(log.steps, 'hostname'),
    steps: log.steps,
    protection: protectionFor(false, false, false, false),
    fix: end.fix,
    ...(end.clientCertificate ? { clientCertificate: end.clientCertificate } : {}),
  };
}

/** A run that connected, with what it verified; `protocol` is kept only for an encrypted connection. */
export function connectedOutcome(
  base: OutcomeBase,
  log: StepLog,
  sslmode: string,
  end: {
    readonly encrypted: boolean;
    readonly protocol: string | undefined;
    readonly chainVerified: boolean;
    readonly hostnameVerified: boolean;
    /** The client would also have accepted plaintext (see protectionFor). */
    readonly downgradable: boolean;
    /** The server verified a client certificate. */
    readonly clientCertVerified?: boolean;
    readonly fix?: string | undefined;
    readonly clientCertificate?: ClientCertificateInfo | undefined;
  },
): ConnectionOutcome {
  return {
    ...base,
    connected: true,
    encrypted: end.encrypted,
    ...(end.encrypted && end.protocol ? { protocol: end.protocol } : {}),
    sslmode,
    chainVerified: end.chainVerified,
    hostnameVerified: end.hostnameVerified,
    steps: log.steps,
    protection: protectionFor(
      end.encrypted,
      end.chainVerified,
      end.hostnameVerified,
      end.downgradable,
      end.clientCertVerified ?? false,
    ),
    ...(end.fix !== undefined ? { fix: end.fix } : {}),
    ...(end.clientCertificate ? { clientCertificate: end.clientCertificate } : {}),
  };
}
