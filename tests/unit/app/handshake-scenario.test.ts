import { describe, expect, it } from 'vitest';
import { readParams } from '../../../src/app/url/hash.ts';
import { buildScenario, handshakeSchema, SUITE_CHOICES } from '../../../src/app/model/handshake/scenario.ts';

describe('the Handshake Lab suite choices', () => {
  it('read each suite’s certificate key from the engine’s suite table (the labels say the same)', () => {
    // The labels are OpenSSL's names (openssl ciphers -V): ECDSA in the name means an EC certificate.
    for (const s of SUITE_CHOICES)
      expect([s.name, s.certificateKey]).toEqual([s.name, s.name.includes('ECDSA') ? 'ec' : 'rsa']);
  });

  it('no-shared-suite offers only the EC-certificate suites to a server holding an RSA certificate', () => {
    const controls = {
      ...readParams(handshakeSchema, new URLSearchParams()),
      fault: 'no-shared-suite' as const,
    };
    const scenario = buildScenario(controls);
    expect(scenario.offer).toEqual([0xc02b, 0xc02c, 0xcca9]);
  });
});
