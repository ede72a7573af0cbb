import { describe, expect, it } from 'vitest';
import { lessons } from '../../../src/content/lessons/index';
import type { LessonLab } from '../../../src/content/lessons/index';
import { readParams, type ParamSchema } from '../../../src/app/url/hash';
import { handshakeSchema, SUITE_CHOICES, GROUP_CHOICES } from '../../../src/app/model/handshake/scenario';
import { chainSchema } from '../../../src/app/state/chain-lab.svelte';
import { sslmodeSchema } from '../../../src/app/model/sslmode/scenario';
import { readSettings } from '../../../src/lib/sslmode/translate';

const schemas: Record<LessonLab, ParamSchema> = {
  handshake: handshakeSchema,
  chain: chainSchema,
  sslmode: sslmodeSchema,
};

const hex4 = (n: number) => n.toString(16).padStart(4, '0');
/** List parameters decode anything; their items must be known codes. */
const listItems: Partial<Record<string, readonly string[]>> = {
  'handshake.offer': SUITE_CHOICES.map((s) => hex4(s.code)),
  'handshake.accept': SUITE_CHOICES.map((s) => hex4(s.code)),
  'handshake.groups': GROUP_CHOICES.map((g) => hex4(g.code)),
};

/** Problems with one step's state: unknown params, values that would silently fall back to the default. */
function problems(lab: LessonLab, state: Readonly<Record<string, string>>): string[] {
  const schema = schemas[lab];
  const out: string[] = [];
  const params = new URLSearchParams(state);
  const values = readParams(schema, params) as Record<string, unknown>;
  for (const [key, raw] of Object.entries(state)) {
    const codec = schema[key];
    if (!codec) {
      out.push(`${key} is not a ${lab} parameter`);
      continue;
    }
    const decoded = codec.decode(raw);
    if (decoded === undefined) out.push(`${key}=${raw} does not decode (the lab would show its default)`);
    else if (codec.encode(values[key]) !== codec.encode(decoded))
      out.push(`${key}=${raw} is not what the lab reads`);
    const items = listItems[`${lab}.${key}`];
    if (items)
      for (const item of raw.split(',')) if (!items.includes(item)) out.push(`${key}: unknown item ${item}`);
  }
  return out;
}

describe('lessons', () => {
  it('there are at least six, with unique ids', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(6);
    const ids = lessons.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const lesson of lessons) {
    describe(lesson.id, () => {
      it('has steps with unique ids, a title, a body and notes', () => {
        expect(lesson.steps.length).toBeGreaterThan(0);
        const ids = lesson.steps.map((s) => s.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const step of lesson.steps) {
          expect(step.id).toMatch(/^[a-z0-9-]+$/);
          expect(step.title.trim()).not.toBe('');
          expect(step.body.trim()).not.toBe('');
          expect(step.notes.trim()).not.toBe('');
        }
      });

      it('every step resolves to a valid lab state', () => {
        for (const step of lesson.steps) {
          if (step.lab === null) {
            expect(step.state, step.id).toEqual({});
            continue;
          }
          expect(problems(step.lab, step.state), `${lesson.id}/${step.id}`).toEqual([]);
          if (step.lab === 'sslmode' && step.state.conninfo !== undefined) {
            // In the step's driver syntax (libpq key=value, a URL, jdbc:postgresql://, Npgsql Key=Value;).
            expect(readSettings(step.state.conninfo), `${step.id}: conninfo parses`).not.toBeNull();
          }
        }
      });

      it("every checkpoint's answer is one of its choices", () => {
        for (const step of lesson.steps) {
          const cp = step.checkpoint;
          if (!cp) continue;
          const choiceIds = cp.choices.map((c) => c.id);
          expect(new Set(choiceIds).size, step.id).toBe(choiceIds.length);
          expect(cp.choices.length, step.id).toBeGreaterThanOrEqual(2);
          expect(choiceIds, step.id).toContain(cp.answer);
          expect(cp.explanation.trim(), step.id).not.toBe('');
        }
      });
    });
  }

  it('the validator itself rejects unknown params, bad values and unknown list items', () => {
    expect(problems('handshake', { fault: 'no-such-fault' })).toHaveLength(1);
    expect(problems('handshake', { nope: '1' })).toHaveLength(1);
    expect(problems('handshake', { offer: 'c02f,beef' })).toHaveLength(1);
    expect(problems('chain', { at: 'yesterday' })).toHaveLength(1);
    expect(problems('sslmode', { attacker: 'maybe' })).toHaveLength(1);
    expect(problems('sslmode', { view: 'troubleshoot', attacker: '1' })).toEqual([]);
  });

  it('covers the brief: cross-signing samples, attacker, troubleshooter, static RSA vs ECDHE with eve', () => {
    const states = lessons.flatMap((l) => l.steps.map((s) => ({ lab: s.lab, ...s.state })));
    expect(states).toContainEqual(expect.objectContaining({ lab: 'chain', sample: 'azure-cross-sign' }));
    expect(states).toContainEqual(
      expect.objectContaining({
        lab: 'chain',
        sample: 'letsencrypt-2021',
        at: '2021-09-29',
        profile: 'openssl-1.0.2',
      }),
    );
    expect(states).toContainEqual(
      expect.objectContaining({
        lab: 'chain',
        sample: 'letsencrypt-2021',
        at: '2021-10-01',
        profile: 'openssl-1.0.2',
      }),
    );
    expect(states).toContainEqual(expect.objectContaining({ lab: 'sslmode', attacker: '1' }));
    expect(
      states.filter((s) => s.lab === 'sslmode' && 'view' in s && s.view === 'troubleshoot').length,
    ).toBeGreaterThanOrEqual(5);
    expect(states).toContainEqual(expect.objectContaining({ lab: 'handshake', offer: '009c', eve: '1' }));
  });
});
