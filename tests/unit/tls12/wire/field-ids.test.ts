/**
 * FIELD_IDS is the contract with the content writers: decoders emit only listed ids, and every listed id is
 * emitted by some real input (so no prose is written for a field that never appears).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, normaliseFieldId, walkSpans, type Span } from '../../../../src/lib/bytes/index.ts';
import {
  annotateRecord,
  decodeAlert,
  decodeHandshake,
  encodeHandshake,
  FIELD_IDS,
} from '../../../../src/lib/tls12/wire/index.ts';
import { sampleArb } from './arbitraries.ts';
import { cap } from './fixtures.ts';

function ids(spans: Span[], into: Set<string>): void {
  walkSpans(spans, (s) => into.add(normaliseFieldId(s.id)));
}

describe('FIELD_IDS', () => {
  it('has no duplicates and uses dotted snake_case with [] for indices', () => {
    expect(new Set(FIELD_IDS).size).toBe(FIELD_IDS.length);
    for (const id of FIELD_IDS) expect(id).toMatch(/^[a-z0-9_]+(\[\])?(\.[a-z0-9_]+(\[\])?)*$/);
  });

  it('is exactly the set of ids emitted by the fixtures and a fixed sample of random messages', () => {
    const seen = new Set<string>();
    for (const name of [
      'clienthello',
      'serverhello',
      'servercert',
      'serverkeyexchange',
      'serverhellodone',
      'clientkeyexchange',
      'clientccs',
    ]) {
      ids(annotateRecord(cap(name), { keyExchange: 'ecdhe' }).spans, seen);
    }
    ids(decodeAlert(fromHex('0228')).spans, seen);
    for (const { message, options } of fc.sample(sampleArb, { numRuns: 3000, seed: 5246 })) {
      ids(decodeHandshake(encodeHandshake(message), options).spans, seen);
    }
    const listed = new Set(FIELD_IDS);
    expect([...seen].filter((id) => !listed.has(id))).toEqual([]);
    expect(FIELD_IDS.filter((id) => !seen.has(id))).toEqual([]);
  });
});
