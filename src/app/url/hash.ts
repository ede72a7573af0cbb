/**
 * Hash routes: `#/chain?host=db.example.com&profile=openssl-3`. Every view state is a URL, so a trainer can
 * prepare a list of links and a tutorial can deep-link one state. This file is pure (no DOM): it parses and
 * prints hashes; `router.svelte.ts` binds it to the window.
 */
import { parseIsoInstant } from '../../lib/pki/validation-time';

export interface HashLocation {
  /** Path segments without the leading slash: [] is home, ['chain'] is the Chain Lab. */
  readonly path: readonly string[];
  readonly params: URLSearchParams;
}

export function parseHash(hash: string): HashLocation {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const q = raw.indexOf('?');
  const pathPart = q === -1 ? raw : raw.slice(0, q);
  const query = q === -1 ? '' : raw.slice(q + 1);
  const path = pathPart
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => safeDecode(s));
  return { path, params: new URLSearchParams(query) };
}

export function formatHash(path: readonly string[], params?: URLSearchParams): string {
  const p = '#/' + path.map((s) => encodeURIComponent(s)).join('/');
  const query = params ? params.toString() : '';
  return query ? `${p}?${query}` : p;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A typed description of one URL parameter: how to read it, how to write it, its default. */
export interface ParamCodec<T> {
  readonly defaultValue: T;
  decode(raw: string): T | undefined;
  encode(value: T): string;
}

/**
 * A control's value read the way the URL is read: a value the parameter does not allow becomes its default. The
 * labs' selects go through it, so what a select hands the state is typed without a cast.
 */
export function readControl<T>(codec: ParamCodec<T>, raw: string): T {
  return codec.decode(raw) ?? codec.defaultValue;
}

export const param = {
  string(defaultValue = ''): ParamCodec<string> {
    return { defaultValue, decode: (raw) => raw, encode: (v) => v };
  },
  oneOf<const T extends string>(values: readonly T[], defaultValue: T): ParamCodec<T> {
    return {
      defaultValue,
      decode: (raw) => ((values as readonly string[]).includes(raw) ? (raw as T) : undefined),
      encode: (v) => v,
    };
  },
  int(defaultValue: number, range?: { min: number; max: number }): ParamCodec<number> {
    return {
      defaultValue,
      decode: (raw) => {
        if (!/^-?\d+$/.test(raw)) return undefined;
        const n = Number(raw);
        if (range && (n < range.min || n > range.max)) return undefined;
        return n;
      },
      encode: (v) => String(v),
    };
  },
  boolean(defaultValue = false): ParamCodec<boolean> {
    return {
      defaultValue,
      decode: (raw) =>
        raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : undefined,
      encode: (v) => (v ? '1' : '0'),
    };
  },
  list(defaultValue: readonly string[] = []): ParamCodec<readonly string[]> {
    return {
      defaultValue,
      decode: (raw) => (raw === '' ? [] : raw.split(',').map((s) => s.trim())),
      encode: (v) => v.join(','),
    };
  },
  /** An ISO 8601 date (YYYY-MM-DD, or a date and time), as `tls-lab --at` takes it; anything else is ignored. */
  date(defaultValue: string): ParamCodec<string> {
    return {
      defaultValue,
      decode: (raw) => (parseIsoInstant(raw) ? raw : undefined),
      encode: (v) => v,
    };
  },
};

export type ParamSchema = Record<string, ParamCodec<unknown>>;
export type ParamValues<S extends ParamSchema> = {
  [K in keyof S]: S[K] extends ParamCodec<infer T> ? T : never;
};

/** Read typed values; a missing or invalid parameter falls back to its default, never throws. */
export function readParams<S extends ParamSchema>(schema: S, params: URLSearchParams): ParamValues<S> {
  const out: Record<string, unknown> = {};
  for (const [key, codec] of Object.entries(schema)) {
    const raw = params.get(key);
    const decoded = raw === null ? undefined : codec.decode(raw);
    out[key] = decoded === undefined ? codec.defaultValue : decoded;
  }
  return out as ParamValues<S>;
}

/** Write typed values; parameters equal to their default are left out so URLs stay short. */
export function writeParams<S extends ParamSchema>(
  schema: S,
  values: Partial<ParamValues<S>>,
  into = new URLSearchParams(),
): URLSearchParams {
  for (const [key, codec] of Object.entries(schema)) {
    if (!(key in values)) continue;
    const value = (values as Record<string, unknown>)[key];
    const encoded = codec.encode(value);
    if (encoded === codec.encode(codec.defaultValue)) into.delete(key);
    else into.set(key, encoded);
  }
  return into;
}
