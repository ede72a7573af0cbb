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

/** An alert the peer sent us, surfaced to the driver. */
export function alertName(description: number): string {
  return AlertDescription.format(description);
}
