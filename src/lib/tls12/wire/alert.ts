/**
 * RFC 5246 §7.2 Alert (the content of an alert record, not a handshake message):
 *
 *   struct { AlertLevel level; AlertDescription description; } Alert;
 */
import { Reader, Writer } from '../../bytes/index.ts';
import { AlertDescription, AlertLevel } from './code-points.ts';
import type { Decoded } from './decoded.ts';

export interface Alert {
  level: number;
  description: number;
}

export function readAlert(r: Reader): Alert {
  return r.node('alert', () => {
    const level = r.u8('alert.level', { show: AlertLevel.format });
    const description = r.u8('alert.description', { show: AlertDescription.format });
    return { level, description };
  });
}

/** Decodes exactly one 2-byte alert. */
export function decodeAlert(bytes: Uint8Array): Decoded<Alert> {
  const r = new Reader(bytes);
  const message = readAlert(r);
  r.expectEnd('alert');
  return { message, spans: r.spans };
}

export function encodeAlert(m: Alert): Uint8Array {
  return new Writer(2).u8(m.level).u8(m.description).finish();
}

/** "fatal handshake_failure (40)" */
export function describeAlert(m: Alert): string {
  return `${AlertLevel.format(m.level)} ${AlertDescription.format(m.description)} (${m.description})`;
}
