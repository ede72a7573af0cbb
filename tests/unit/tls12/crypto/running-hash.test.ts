/**
 * RunningHash (the 1.3 transcript hash) hashes only the parts added since its last digest: under any mix of
 * appends, a HelloRetryRequest-style restart (the list emptied and refilled), a part replaced in place and a change
 * of hash, each digest must equal hashing the whole list at once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../../src/lib/bytes/index.ts';
import { hashSync, RunningHash, type HashName } from '../../../../src/lib/tls12/crypto/hash.ts';

const op = fc.oneof(
  fc.record({ append: fc.uint8Array({ maxLength: 200 }) }),
  fc.record({ restart: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
  fc.record({ replace: fc.nat(), with: fc.uint8Array({ maxLength: 50 }) }),
  fc.record({ digest: fc.constantFrom<HashName>('sha256', 'sha384') }),
);

describe('RunningHash', () => {
  it('equals hashing the whole list at every digest', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const running = new RunningHash();
        const parts: Uint8Array[] = [];
        for (const o of ops) {
          if ('append' in o) parts.push(o.append);
          else if ('restart' in o) parts.splice(0, parts.length, o.restart);
          else if ('replace' in o) {
            if (parts.length > 0) parts[o.replace % parts.length] = o.with;
          } else expect(running.digest(o.digest, parts)).toEqual(hashSync(o.digest, concatBytes(...parts)));
        }
        expect(running.digest('sha256', parts)).toEqual(hashSync('sha256', concatBytes(...parts)));
      }),
      { numRuns: 300 },
    );
  });
});
