import { describe, expect, it } from 'vitest';
import { parseStored, SCORE_KEY, ScoreStore, tally } from '../../../src/app/state/lessons-score.svelte';

class FakeStorage {
  readonly data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value);
  }
}

describe('ScoreStore', () => {
  it('records answers (the first one counts) and completion under a versioned key', () => {
    const storage = new FakeStorage();
    const store = new ScoreStore(storage);
    expect(store.get('l1')).toEqual({ answers: {}, completed: false });
    store.answer('l1', 's1', 'a', true);
    store.answer('l1', 's1', 'b', false);
    store.answer('l1', 's2', 'c', false);
    store.complete('l1');
    const score = new ScoreStore(storage).get('l1');
    expect(score).toEqual({
      answers: { s1: { choice: 'a', correct: true }, s2: { choice: 'c', correct: false } },
      completed: true,
    });
    expect(tally(score)).toEqual({ correct: 1, answered: 2 });
    expect(JSON.parse(storage.getItem(SCORE_KEY) ?? '')).toMatchObject({ version: 1 });
    expect(SCORE_KEY).toMatch(/\.v1$/);
  });

  it('ignores corrupted, foreign and older entries without throwing', () => {
    const bad = [
      '{not json',
      'null',
      '42',
      '[]',
      '{"version":0,"lessons":{"l1":{"answers":{},"completed":true}}}',
      '{"version":2,"lessons":{}}',
      '{"version":1,"lessons":[]}',
      '{"version":1}',
    ];
    for (const raw of bad) {
      const storage = new FakeStorage();
      storage.setItem(SCORE_KEY, raw);
      const store = new ScoreStore(storage);
      expect(store.get('l1'), raw).toEqual({ answers: {}, completed: false });
      // And it can write over the bad entry.
      store.answer('l1', 's1', 'a', true);
      expect(new ScoreStore(storage).get('l1').answers.s1).toEqual({ choice: 'a', correct: true });
    }
  });

  it('drops only the invalid lessons of an otherwise valid record', () => {
    const parsed = parseStored(
      JSON.stringify({
        version: 1,
        lessons: {
          good: { answers: { s: { choice: 'x', correct: false } }, completed: false },
          badAnswer: { answers: { s: { choice: 1, correct: 'yes' } }, completed: false },
          badCompleted: { answers: {}, completed: 'yes' },
          notObject: 'x',
        },
      }),
    );
    expect(Object.keys(parsed.lessons)).toEqual(['good']);
  });

  it('survives a storage that throws or is missing', () => {
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const store = new ScoreStore(throwing);
    expect(store.get('l1').completed).toBe(false);
    expect(store.answer('l1', 's1', 'a', true).answers.s1?.correct).toBe(true);
    expect(() => store.complete('l1')).not.toThrow();
    const none = new ScoreStore(null);
    expect(none.all()).toEqual({});
    expect(() => none.reset('l1')).not.toThrow();
  });
});
