import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { faultPresets } from '../../../src/content/handshake/faults';
import { AlertDescription } from '../../../src/lib/tls12/wire/code-points';

/** OpenSSL's reason string for "alert X received": reason code 1000 + the alert's code in the SSL library (20). */
function opensslAlertReason(alert: string): string {
  const code = (AlertDescription.values as Record<string, number>)[alert];
  expect(code, alert).toBeTypeOf('number');
  const packed = ((20 << 23) | (1000 + code!)).toString(16).toUpperCase().padStart(8, '0');
  const line = execFileSync('openssl', ['errstr', packed], { encoding: 'utf8' }).trim();
  return line.split('::').pop() as string;
}

describe('the Handshake Lab fault presets', () => {
  it('quote, for every alert a libpq user receives, the reason string of the real OpenSSL', () => {
    // "SSL error: <version> alert <name>": the server noticed and psql received its alert. The texts for what
    // psql's own OpenSSL notices ("certificate verify failed", "bad key share", ...) come from the real psql
    // (the sslmode oracle, tests/oracle/psql-tls13-faults.test.ts).
    const alertTexts = faultPresets.filter((f) => /^SSL error: \w+ alert /.test(f.libpq ?? ''));
    expect(alertTexts.length).toBeGreaterThanOrEqual(6);
    for (const f of alertTexts) {
      const firstLine = f.libpq!.split('\n')[0]!;
      expect(firstLine, f.id).toBe(`SSL error: ${opensslAlertReason(f.alert!)}`);
    }
  });

  it('name a real alert for every fault, and none for the two presets that complete', () => {
    // A HelloRetryRequest costs a round trip, not the connection (psql connects: the TLS 1.3 psql oracle).
    const complete = ['none', 'tls13-hello-retry'];
    for (const f of faultPresets) {
      if (complete.includes(f.id)) expect(f.alert, f.id).toBeUndefined();
      else expect(Object.keys(AlertDescription.values), f.id).toContain(f.alert);
    }
  });
});
