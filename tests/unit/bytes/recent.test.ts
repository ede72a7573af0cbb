/** Recent: the last `size` results by key, least recently used out first; a rejected promise is not kept. */
import { describe, expect, it } from 'vitest';
import { Recent } from '../../../src/lib/bytes/index.ts';

describe('Recent', () => {
  it('makes a value once per key and keeps the most recently used', () => {
    const recent = new Recent<number>(2);
    let made = 0;
    const get = (key: string) => recent.get(key, () => ++made);
    expect([get('a'), get('b'), get('a')]).toEqual([1, 2, 1]);
    expect(get('c')).toBe(3); // 'b' was the least recently used: it leaves
    expect(get('a')).toBe(1);
    expect(get('b')).toBe(4);
    expect(made).toBe(4);
  });

  it('keeps nothing for a maker that throws, and drops a rejected promise', async () => {
    const recent = new Recent<Promise<string>>(4);
    const numbers = new Recent<number>(1);
    expect(() =>
      numbers.get('x', () => {
        throw new Error('bad');
      }),
    ).toThrow('bad');
    expect(numbers.get('x', () => 7)).toBe(7);
    const failed = recent.get('k', () => Promise.reject(new Error('no')));
    await expect(failed).rejects.toThrow('no');
    expect(await recent.get('k', () => Promise.resolve('again'))).toBe('again');
  });
});
