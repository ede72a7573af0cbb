/** The validation time the CLI's --at and the Chain Lab's `at` both read (src/lib/pki/validation-time.ts). */
import { describe, expect, it } from 'vitest';
import { parseIsoInstant, validationTime } from '../../../src/lib/pki/validation-time.ts';
import { param, readParams } from '../../../src/app/url/hash.ts';

describe('validation time', () => {
  it('a date alone is noon UTC that day; a date and time is that instant, UTC unless an offset is given', () => {
    expect(validationTime('2024-01-15')?.toISOString()).toBe('2024-01-15T12:00:00.000Z');
    expect(validationTime('2024-12-31T23:00:00Z')?.toISOString()).toBe('2024-12-31T23:00:00.000Z');
    expect(validationTime('2026-06-01T00:00:00+02:00')?.toISOString()).toBe('2026-05-31T22:00:00.000Z');
    expect(validationTime('2026-06-01T10:30')?.toISOString()).toBe('2026-06-01T10:30:00.000Z');
    expect(parseIsoInstant('2024-01-15')?.toISOString()).toBe('2024-01-15T00:00:00.000Z');
    // Read from its parts, so every engine reads the other ISO 8601 forms alike (a review: Date's own parser need not).
    expect(validationTime('2026-06-01 10:30')?.toISOString()).toBe('2026-06-01T10:30:00.000Z');
    expect(validationTime('2026-06-01t10:30z')?.toISOString()).toBe('2026-06-01T10:30:00.000Z');
    expect(validationTime('2026-06-01T10:30:00.250+0200')?.toISOString()).toBe('2026-06-01T08:30:00.250Z');
  });

  it('refuses what Date.parse would guess or roll over', () => {
    for (const text of [
      'June 1, 2026',
      '2026-6-1',
      '2026-02-30',
      '2026-01-01T24:00:00Z',
      '2026-01-01T10:00+25:00',
      'yesterday',
      '',
    ])
      expect(validationTime(text), text).toBeUndefined();
  });

  it("the Chain Lab's URL takes exactly these (before: any text Date.parse took, then 'Invalid time value')", () => {
    const schema = { at: param.date('') };
    const at = (raw: string) => readParams(schema, new URLSearchParams({ at: raw })).at;
    expect(at('2024-12-31T23:00:00Z')).toBe('2024-12-31T23:00:00Z');
    expect(at('2024-12-31')).toBe('2024-12-31');
    expect(at('June 1, 2026')).toBe('');
    expect(at('2026-02-30')).toBe('');
  });
});
