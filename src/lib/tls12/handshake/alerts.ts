/** A fatal alert our engine decides to send (RFC 5246 §7.2.2), with the reason a reader can act on. */
import { AlertDescription } from '../wire/code-points.ts';

export type AlertName = keyof typeof AlertDescription.values;

export class TlsAlert extends Error {
  readonly description: number;
  constructor(
    readonly alert: AlertName,
    readonly reason: string,
  ) {
    super(`${alert}: ${reason}`);
    this.name = 'TlsAlert';
    this.description = AlertDescription.values[alert];
  }
}

/**
 * The peer's Finished verify_data is not what our transcript gives (RFC 5246 §7.4.9: decrypt_error). Both values
 * are kept as fields, as rustls keeps expected and got in its errors, so a reader (or a test) can compare them.
 */
export class FinishedMismatch extends TlsAlert {
  constructor(
    readonly peer: 'client' | 'server',
    readonly expected: Uint8Array,
    readonly got: Uint8Array,
  ) {
    super(
      'decrypt_error',
      `the ${peer} Finished verify_data does not match our transcript (RFC 5246 §7.4.9)`,
    );
  }
}

/** An alert the peer sent us, surfaced to the driver. */
export function alertName(description: number): string {
  return AlertDescription.format(description);
}
