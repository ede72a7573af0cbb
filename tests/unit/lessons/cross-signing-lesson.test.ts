/**
 * The cross-signing lesson's Azure steps, run as the Chain Lab runs their states (the worker session on the step's
 * sample): the body's "exactly two valid paths" with both roots, and the checkpoint's answer, one valid path, when
 * the client trusts only DigiCert Global Root G2.
 */
import { describe, expect, it } from 'vitest';
import { crossSigningLesson } from '../../../src/content/lessons/cross-signing.ts';
import { findSample } from '../../../src/content/chain/samples.ts';
import { runChainSession } from '../../../src/app/workers/chain-session.ts';

async function validPaths(stepId: string): Promise<number> {
  const step = crossSigningLesson.steps.find((s) => s.id === stepId)!;
  const sample = findSample(String(step.state.sample))!;
  const result = await runChainSession({
    inputs: [],
    sampleServed: sample.served,
    sampleAnchors: sample.anchors,
    trust: 'sample',
    ticked: [],
    time: new Date(`${sample.at}T12:00:00Z`),
    hostname: sample.host!,
    purpose: sample.purpose,
    profile: sample.profile,
  });
  return result.analysis!.paths.filter((p) => p.valid).length;
}

describe('the cross-signing lesson, Azure', () => {
  it('two valid paths with both roots; the answer "One" with DigiCert Global Root G2 alone', async () => {
    expect(await validPaths('azure-two-roots')).toBe(2);
    const step = crossSigningLesson.steps.find((s) => s.id === 'azure-one-root')!;
    expect(step.checkpoint?.answer).toBe('one');
    expect(await validPaths('azure-one-root')).toBe(1);
  });
});
