import { describe, expect, it } from 'vitest';
import {
  formatHash,
  param,
  parseHash,
  readControl,
  readParams,
  writeParams,
} from '../../../src/app/url/hash';

const schema = {
  host: param.string(''),
  profile: param.oneOf(['openssl-3', 'openssl-1.0.2', 'go', 'webpki'] as const, 'openssl-3'),
  step: param.int(0, { min: 0, max: 40 }),
  ems: param.boolean(true),
  suites: param.list(['c02f']),
  at: param.date('2024-01-15'),
};

describe('hash routes', () => {
  it('parses path segments and query, ignoring empty segments', () => {
    const loc = parseHash('#/chain//paths?host=db.example.com&profile=go');
    expect(loc.path).toEqual(['chain', 'paths']);
    expect(loc.params.get('host')).toBe('db.example.com');
  });

  it('treats an empty hash as the home route', () => {
    expect(parseHash('').path).toEqual([]);
    expect(parseHash('#').path).toEqual([]);
    expect(parseHash('#/').path).toEqual([]);
  });

  it('keeps a malformed percent-escape as it is instead of throwing', () => {
    expect(parseHash('#/chain%E0%A4%A').path).toEqual(['chain%E0%A4%A']);
  });

  it('round-trips a location through formatHash', () => {
    const params = new URLSearchParams({ host: 'a b&c', profile: 'go' });
    const hash = formatHash(['sslmode', 'matrix'], params);
    const loc = parseHash(hash);
    expect(loc.path).toEqual(['sslmode', 'matrix']);
    expect(loc.params.get('host')).toBe('a b&c');
  });
});

describe('typed URL state', () => {
  it('reads typed values and falls back to defaults for missing or invalid ones', () => {
    const values = readParams(
      schema,
      new URLSearchParams('host=x&profile=nonsense&step=99&ems=0&suites=c02b,cca9&at=not-a-date'),
    );
    expect(values).toEqual({
      host: 'x',
      profile: 'openssl-3',
      step: 0,
      ems: false,
      suites: ['c02b', 'cca9'],
      at: '2024-01-15',
    });
  });

  it('writes only values that differ from their defaults', () => {
    const params = writeParams(schema, {
      host: 'db',
      profile: 'openssl-3',
      step: 3,
      ems: true,
      suites: ['c02f'],
    });
    expect(params.toString()).toBe('host=db&step=3');
  });

  it('removes a parameter that is set back to its default', () => {
    const params = writeParams(schema, { profile: 'openssl-3' }, new URLSearchParams('profile=go&host=x'));
    expect(params.toString()).toBe('host=x');
  });

  it('round-trips every value through the URL', () => {
    const values = {
      host: 'h',
      profile: 'webpki',
      step: 7,
      ems: false,
      suites: ['cca8', 'c030'],
      at: '2021-10-01',
    } as const;
    expect(readParams(schema, writeParams(schema, values))).toEqual(values);
  });
});

describe('readControl', () => {
  it("reads a select's value as the URL reads it: allowed values pass, anything else is the default", () => {
    const codec = param.oneOf(['a', 'b'] as const, 'a');
    expect(readControl(codec, 'b')).toBe('b');
    expect(readControl(codec, 'c')).toBe('a');
    expect(readControl(param.int(3, { min: 1, max: 5 }), '9')).toBe(3);
  });
});
