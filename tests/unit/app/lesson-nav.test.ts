/**
 * A lesson step's "Open this state in the full lab" link is the state on show: the lesson's query as it stands
 * (what the learner changed in the embedded lab included), without the lesson's presenter, notes and embed flags.
 */
import { describe, expect, it } from 'vitest';
import { labHash } from '../../../src/app/views/lessons/nav.ts';

describe('labHash', () => {
  it('keeps the current lab state and drops the mode flags', () => {
    const current = new URLSearchParams(
      'sample=azure-cross-sign&trust=custom&ticked=cb3ccbb7&present=1&notes=1&embed=1',
    );
    expect(labHash('chain', current)).toBe('#/chain?sample=azure-cross-sign&trust=custom&ticked=cb3ccbb7');
    expect(current.get('present')).toBe('1'); // the lesson's own query is left as it is
    expect(labHash('handshake', new URLSearchParams())).toBe('#/handshake');
  });
});
