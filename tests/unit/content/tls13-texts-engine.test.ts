/**
 * The TLS 1.3 texts that say what the engine does, held to what it does. A review found the Finished texts saying a
 * man in the middle "who changed any byte is caught here (decrypt_error)", and the record version text saying
 * "always 03 03": the engine's own runs show bad_record_mac for the first and 03 01 on its first ClientHello record.
 */
import { describe, expect, it } from 'vitest';
import { explainField } from '../../../src/content/tls12/fields.ts';
import { tls13MessageExplanations } from '../../../src/content/tls13/messages.ts';
import { runHandshake13 } from '../../../src/lib/tls13/index.ts';
import { testScenario13 } from '../../kit/pure/scenario13.ts';

const scenario = (extra: Parameters<typeof testScenario13>[0] = {}) =>
  testScenario13({ seed: 'tls13 texts', ...extra });

describe('TLS 1.3 texts against the engine', () => {
  it('a byte of the ClientHello changed on the path: the first encrypted record does not open (bad_record_mac), as the Finished texts say', async () => {
    let first = true;
    const run = await runHandshake13(
      await scenario({
        onPath: (bytes) => {
          if (!first) return bytes;
          first = false;
          const out = bytes.slice();
          out[5 + 4 + 2 + 7]! ^= 0x01; // record header, handshake header, legacy_version, then a byte of the random
          return out;
        },
      }),
    );
    expect(run.ok).toBe(false);
    expect(run.alert?.name).toBe('bad_record_mac');
    expect(run.eventLog.some((e) => e.kind === 'alert' && e.name === 'decrypt_error')).toBe(false);
    const finished = tls13MessageExplanations['finished']!.why;
    expect(finished).toContain('(bad_record_mac)');
    expect(finished).not.toMatch(/changed any byte is caught here/);
    expect(explainField('finished.verify_data', '1.3')).toContain('(bad_record_mac)');
  });

  it("the first ClientHello's record says 03 01, the one after a HelloRetryRequest 03 03, as the record version text says", async () => {
    const base = await scenario();
    const run = await runHandshake13({
      ...base,
      client: { ...base.client, groups: [29, 23] },
      server: { ...base.server, groups: [23] },
    });
    expect(run.ok, run.alert?.reason).toBe(true);
    const hellos = run.eventLog.filter(
      (e) => e.kind === 'record' && e.from === 'client' && e.bytes[0] === 22 && e.bytes[5] === 1,
    );
    expect(hellos.map((e) => (e.kind === 'record' ? [e.bytes[1], e.bytes[2]] : []))).toEqual([
      [3, 1],
      [3, 3],
    ]);
    expect(explainField('record.header.version', '1.3')).toMatch(
      /03 03 in every TLS 1\.3 record but the first ClientHello's, which should say 03 01/,
    );
  });
});
