/** src/cli/io.ts: when colours are on (a terminal, NO_COLOR, TERM=dumb), ISO 8601 dates for --at and "time". */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputError, parseIsoDate, processIo } from '../../../src/cli/io.ts';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('processIo colours', () => {
  function withTty(isTTY: boolean) {
    const before = process.stdout.isTTY;
    Object.defineProperty(process.stdout, 'isTTY', { value: isTTY, configurable: true });
    return () => Object.defineProperty(process.stdout, 'isTTY', { value: before, configurable: true });
  }
  it('on a terminal, unless NO_COLOR is set (non-empty) or TERM is dumb; never into a pipe', () => {
    const restore = withTty(true);
    try {
      vi.stubEnv('NO_COLOR', '');
      vi.stubEnv('TERM', 'xterm-256color');
      expect(processIo().color).toBe(true);
      vi.stubEnv('NO_COLOR', '1');
      expect(processIo().color).toBe(false);
      vi.stubEnv('NO_COLOR', '');
      vi.stubEnv('TERM', 'dumb');
      expect(processIo().color).toBe(false);
    } finally {
      restore();
    }
    const restorePipe = withTty(false);
    try {
      vi.stubEnv('NO_COLOR', '');
      vi.stubEnv('TERM', 'xterm-256color');
      expect(processIo().color).toBe(false);
    } finally {
      restorePipe();
    }
  });
});

describe('parseIsoDate', () => {
  it('reads dates and date-times as UTC unless they carry an offset', () => {
    expect(parseIsoDate('2024-01-15', '--at').toISOString()).toBe('2024-01-15T00:00:00.000Z');
    expect(parseIsoDate('2024-01-15T10:30', '--at').toISOString()).toBe('2024-01-15T10:30:00.000Z');
    expect(parseIsoDate('2024-01-15T10:30:05.250Z', '--at').toISOString()).toBe('2024-01-15T10:30:05.250Z');
    expect(parseIsoDate('2024-01-15T12:00:00+02:00', '--at').toISOString()).toBe('2024-01-15T10:00:00.000Z');
    expect(parseIsoDate(' 2024-02-29 ', '--at').toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });
  it('refuses what is not a real ISO 8601 date, naming the flag and the value', () => {
    for (const bad of [
      '2024-02-30',
      '2023-02-29',
      '2024-13-01',
      '2024-01-15T24:00Z',
      '15/01/2024',
      '1',
      'now',
      '',
    ])
      expect(() => parseIsoDate(bad, '--at')).toThrow(
        new InputError(
          `--at "${bad}" is not an ISO 8601 date (for example 2024-01-15 or 2024-01-15T10:00:00Z)`,
        ),
      );
  });
});
