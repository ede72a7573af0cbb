/** The one signature-scheme table agrees with the wire's code points, and the provider's list is a view of it. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SIGNATURE_SCHEMES,
  KNOWN_SIGNATURE_SCHEMES,
  SIGNATURE_SCHEMES,
  knownSignatureScheme,
} from '../../../../src/lib/tls12/crypto/signature-schemes.ts';
import { SignatureScheme } from '../../../../src/lib/tls12/wire/code-points.ts';

describe('signature schemes', () => {
  it('each row has the code point the wire gives its name (RFC 8446 §4.2.3)', () => {
    const wire = SignatureScheme.values as Record<string, number>;
    for (const s of KNOWN_SIGNATURE_SCHEMES) expect([s.name, s.code]).toEqual([s.name, wire[s.name]]);
  });

  it("the provider's schemes are the rows marked inProvider, and the defaults are among them", () => {
    expect(SIGNATURE_SCHEMES.map((s) => s.name)).toEqual(
      KNOWN_SIGNATURE_SCHEMES.filter((s) => s.inProvider).map((s) => s.name),
    );
    for (const code of DEFAULT_SIGNATURE_SCHEMES) expect(knownSignatureScheme(code)?.inProvider).toBe(true);
    expect(knownSignatureScheme(SignatureScheme.values.ecdsa_sha1)?.inProvider).toBe(false);
  });
});
