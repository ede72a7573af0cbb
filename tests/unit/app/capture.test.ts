/**
 * Opening a file as a capture (src/app/model/handshake/capture.ts): the real captures in fixtures/captures/
 * (made by our CLI against `openssl s_server` and PostgreSQL 15; see its README) open and render; anything else,
 * and above all mutated copies of those captures, gets a structured error naming what is wrong and where. A
 * fast-check property over JSON-level mutations (deleted or replaced keys, wrong types, truncated hex, bad lengths
 * and offsets, duplicated entries) and text-level ones (truncation, byte flips, insertions): `parseCapture`
 * never throws, and returns either a run every part of the lab's view can be built from, or an error.
 */
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { walkSpans, type Span } from '../../../src/lib/bytes/index.ts';
import {
  eventLogFromJson,
  eventLogToJson,
  type HandshakeRun,
  type EventLog,
} from '../../../src/lib/tls12/handshake/index.ts';
import { faultPresets } from '../../../src/content/handshake/faults.ts';
import { readParams } from '../../../src/app/url/hash.ts';
import { buildScenario, handshakeSchema } from '../../../src/app/model/handshake/scenario.ts';
import { runLab } from '../../../src/app/workers/tls-lab.ts';
import { decodeAlert } from '../../../src/lib/tls12/wire/alert.ts';
import {
  captureSettings,
  describeCaptureError,
  parseCapture,
  type CaptureError,
} from '../../../src/app/model/handshake/capture.ts';
import { buildSteps, diagramSteps } from '../../../src/app/model/handshake/steps.ts';
import { checkBounded } from '../../kit/pure/property.ts';

const DIR = fileURLToPath(new URL('../../../fixtures/captures/', import.meta.url));
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json'));
const TEXT = Object.fromEntries(FILES.map((f) => [f, readFileSync(DIR + f, 'utf8')]));

/** Spans a view draws over `length` bytes: inside them, and each row's key (id:start) once (FieldTree's key). */
function checkSpans(spans: readonly Span[], length: number, what: string): void {
  const keys = new Set<string>();
  const bad: string[] = [];
  walkSpans(spans, (s) => {
    if (!(s.start >= 0 && s.start <= s.end && s.end <= length))
      bad.push(`${s.id} ${s.start}..${s.end} of ${length}`);
    if (keys.has(`${s.id}:${s.start}`)) bad.push(`${s.id}:${s.start} twice`);
    keys.add(`${s.id}:${s.start}`);
  });
  // One assertion per field tree: thousands of fields are checked per run.
  if (bad.length > 0) expect(bad, what).toEqual([]);
}

/**
 * Builds everything the Handshake Lab's view builds from a run (steps, diagram, setup panel, secrets panel keys,
 * each step's byte views and field trees, the outcome line) and checks what would break it.
 */
function render(run: HandshakeRun): number {
  const built = buildSteps(run.eventLog);
  const diagram = diagramSteps(built.steps);
  expect(diagram).toHaveLength(built.steps.length);
  for (const s of captureSettings(run.eventLog)) expect(typeof s.value).toBe('string');
  // SecretsPanel keys its list by side and name.
  const secrets = run.eventLog.flatMap((e) => (e.kind === 'secret' ? [`${e.from}${e.name}`] : []));
  expect(new Set(secrets).size).toBe(secrets.length);
  for (const step of built.steps) {
    if (step.record) checkSpans(step.record.spans, step.record.bytes.length, 'record');
    if (step.preamble) checkSpans(step.preamble.spans, step.preamble.bytes.length, 'preamble');
    for (const m of step.messages) checkSpans(m.spans, m.bytes.length, m.name);
    for (const p of step.tunnelled) checkSpans(p.spans, p.bytes.length, p.label);
    if (step.alert && step.record) {
      const content = step.record.plaintext ?? step.record.bytes.subarray(5);
      try {
        checkSpans(decodeAlert(content).spans, content.length, 'alert');
      } catch {
        // StepDetail shows the record's bytes instead.
      }
    }
  }
  if (run.ok && run.summary) expect(typeof run.summary.cipherSuiteName).toBe('string');
  if (run.alert) expect(typeof run.alert.name).toBe('string');
  return built.steps.length;
}

function opened(text: string): HandshakeRun {
  const r = parseCapture(text);
  if (!r.ok) throw new Error(describeCaptureError(r.error));
  return r.run;
}

function refused(text: string): CaptureError {
  const r = parseCapture(text);
  expect(r.ok).toBe(false);
  return (r as { ok: false; error: CaptureError }).error;
}

describe('the real captures open and render', () => {
  it('four captures are committed', () => {
    expect(FILES.sort()).toEqual([
      'openssl-s-server-ecdsa.json',
      'openssl-s-server-rsa.json',
      'openssl-s-server-unknown-ca.json',
      'postgres15-starttls.json',
    ]);
  });
  it.each(FILES)('%s: every entry as the CLI wrote it, messages decoded again from their bytes', (file) => {
    const run = opened(TEXT[file]!);
    const written = eventLogFromJson(TEXT[file]!);
    expect(run.eventLog).toHaveLength(written.length);
    for (const [i, e] of run.eventLog.entries()) {
      const w = written[i]!;
      expect(e.kind).toBe(w.kind);
      // What the engine decoded when it sent or received the message, decoded again from the bytes alone.
      if (e.kind === 'message' && w.kind === 'message') {
        expect(e.bytes).toEqual(w.bytes);
        expect(e.spans).toEqual(w.spans);
        expect(e.message.type).toBe(w.message.type);
      }
      if (e.kind === 'record' && w.kind === 'record') {
        expect([e.contentType, e.version]).toEqual([w.contentType, w.version]);
        expect(e.spans).toEqual(w.spans);
      }
    }
    expect(render(run)).toBeGreaterThan(0);
  });
  it('the outcomes: three complete handshakes, one refused by our client (unknown_ca)', () => {
    expect(opened(TEXT['openssl-s-server-rsa.json']!).ok).toBe(true);
    expect(opened(TEXT['openssl-s-server-ecdsa.json']!).summary?.signatureSchemeName).toMatch(/ecdsa/);
    const failed = opened(TEXT['openssl-s-server-unknown-ca.json']!);
    expect([failed.ok, failed.alert?.from, failed.alert?.name]).toEqual([false, 'client', 'unknown_ca']);
    const pg = opened(TEXT['postgres15-starttls.json']!);
    expect(captureSettings(pg.eventLog)[0]).toEqual({ name: 'PostgreSQL', value: 'SSLRequest, then TLS' });
  });
});

describe("the lab's own exports open again (what `Export JSON` writes, for every fault preset)", () => {
  const cases = [
    ...faultPresets.map((f) => ({ fault: f.id, tls: f.tls, pg: 'none' as const })),
    ...(['1.2', '1.3'] as const).flatMap((tls) => [
      { fault: 'none' as const, tls, pg: 'sslrequest' as const },
      { fault: 'none' as const, tls, pg: 'direct' as const },
    ]),
  ];
  it.each(cases)('fault $fault, TLS $tls, PostgreSQL $pg', async ({ fault, tls, pg }) => {
    const controls = { ...readParams(handshakeSchema, new URLSearchParams()), fault, tls, pg };
    const run = await runLab(buildScenario(controls));
    const back = opened(eventLogToJson(run.eventLog, 2));
    expect(back.ok).toBe(run.ok);
    expect(back.alert?.name).toBe(run.alert?.name);
    expect(render(back)).toBe(buildSteps(run.eventLog).steps.length);
    // Every message decoded again from its bytes has the field tree the engine recorded.
    const spans = (t: EventLog) =>
      t.flatMap((e) => (e.kind === 'message' || e.kind === 'record' ? [e.spans] : []));
    expect(spans(back.eventLog)).toEqual(spans(run.eventLog));
  });
});

describe('what is not a capture, and where', () => {
  it('JSON that is no event log (issue 19: it said `"undefined" is not valid JSON`)', () => {
    const e = refused('{"hello":1}');
    expect(describeCaptureError(e, 'hello.json')).toBe(
      'hello.json is not a tls-lab capture because it holds no event log: expected the JSON array printed by `tls-lab handshake --connect HOST:PORT --json` (at $)',
    );
  });
  it('an empty event log: no capture, unless it carries the report that says why (what --pcap --json writes for a capture of no whole record)', () => {
    expect(refused('[]').reason).toMatch(/^its event log is empty/);
    expect(refused('{"eventLog":[]}').reason).toMatch(/^its event log is empty/);
    const r = parseCapture(
      JSON.stringify({
        eventLog: [],
        observation: {
          decryption: { status: 'nothing-encrypted', hole: true },
          decryptionSummary: 'Nothing read from this capture is encrypted.',
          notes: [],
        },
      }),
    );

    expect(r.ok && r.run.eventLog).toEqual([]);
    expect(r.ok && r.observation?.decryption.status).toBe('nothing-encrypted');
  });
  it('text that is not JSON: the byte offset where it stops being JSON', () => {
    const text = TEXT['openssl-s-server-rsa.json']!;
    expect(refused(text.slice(0, 1000))).toMatchObject({ offset: 1000 });
    expect(refused('')).toMatchObject({ offset: 0 });
    expect(refused('[{"kind": "record",, }]').reason).toMatch(/^it is not JSON \(/);
    // A flipped first byte: V8 names the token but not its position; the offset is found all the same.
    expect(refused('Z' + text.slice(1))).toMatchObject({ offset: 0 });
    expect(refused(text.slice(0, 500) + 'Z' + text.slice(501))).toMatchObject({ offset: 500 });
  });
  it('truncated hex: the JSON path and the byte where the hex is cut', () => {
    const list = JSON.parse(TEXT['openssl-s-server-rsa.json']!) as { bytes?: { $hex: string } }[];
    const at = list.findIndex((e) => e.bytes);
    list[at]!.bytes!.$hex = list[at]!.bytes!.$hex.slice(0, 21);
    expect(refused(JSON.stringify(list))).toEqual({
      reason: 'its hex has an odd number of digits (21): the last byte is cut short',
      path: `$[${at}].bytes.$hex`,
      offset: 10,
    });
  });
  it('a record whose length field disagrees with its bytes: the decoder names the field and the offset', () => {
    const list = JSON.parse(TEXT['openssl-s-server-rsa.json']!) as {
      kind: string;
      bytes?: { $hex: string };
    }[];
    const at = list.findIndex((e) => e.kind === 'record');
    const hex = list[at]!.bytes!.$hex;
    list[at]!.bytes!.$hex = hex.slice(0, 6) + 'ffff' + hex.slice(10);
    const e = refused(JSON.stringify(list));
    expect(e.path).toBe(`$[${at}].bytes`);
    expect(e.reason).toMatch(
      /^its bytes are not one TLS record: TLSPlaintext\.\S+: .+\(offset \d+\)$|^its bytes are not one TLS record: .+\(offset \d+\)$/,
    );
    expect(e.offset).toEqual(expect.any(Number));
  });
  it('a missing field, a wrong type, an unknown kind', () => {
    const list = JSON.parse(TEXT['postgres15-starttls.json']!) as Record<string, unknown>[];
    const pg = list.findIndex((e) => e.kind === 'postgres');
    const copy = (f: (l: Record<string, unknown>[]) => void) => {
      const l = structuredClone(list);
      f(l);
      return refused(JSON.stringify(l));
    };
    expect(copy((l) => delete l[pg]!.inTunnel)).toEqual({
      reason: '"inTunnel" is missing, not true or false',
      path: `$[${pg}].inTunnel`,
    });
    expect(copy((l) => (l[pg]!.from = 7))).toEqual({
      reason: '"from" is 7, not "client" or "server"',
      path: `$[${pg}].from`,
    });
    expect(copy((l) => (l[0]!.kind = 'packet')).path).toBe('$[0].kind');
  });
});

type JsonPath = (string | number)[];

/** Every path to a value in a JSON tree (the root excluded). */
function paths(v: unknown, at: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  const children: [string | number, unknown][] = Array.isArray(v)
    ? v.map((x, i) => [i, x])
    : v && typeof v === 'object'
      ? Object.entries(v)
      : [];
  for (const [k, x] of children) {
    out.push([...at, k]);
    paths(x, [...at, k], out);
  }
  return out;
}

type Edit =
  | { kind: 'delete' }
  | { kind: 'replace'; value: unknown }
  | { kind: 'truncate-hex'; keep: number }
  | { kind: 'flip-hex'; at: number; digit: string }
  | { kind: 'number'; value: number }
  | { kind: 'duplicate-entry' };

const WRONG = [null, 0, -1, 1.5, 2 ** 53, '', 'client', true, [], {}, { $hex: '0' }, { $hex: 'zz' }, [{}]];

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.constant({ kind: 'delete' as const }),
  fc.record({ kind: fc.constant('replace' as const), value: fc.constantFrom(...WRONG) }),
  fc.record({ kind: fc.constant('truncate-hex' as const), keep: fc.nat({ max: 4000 }) }),
  fc.record({
    kind: fc.constant('flip-hex' as const),
    at: fc.nat({ max: 4000 }),
    digit: fc.constantFrom(...'0123456789abcdefF'),
  }),
  fc.record({
    kind: fc.constant('number' as const),
    value: fc.oneof(fc.integer({ min: -2, max: 70_000 }), fc.constantFrom(0, 1, 255, 256, 0xffff, 0x10000)),
  }),
  fc.constant({ kind: 'duplicate-entry' as const }),
);

const PATHS: Record<string, JsonPath[]> = {};

/** Applies `edit` at the chosen path of a copy of the capture (an edit that does not fit the value there is skipped). */
function edited(text: string, pick: number, edit: Edit): string {
  const root = JSON.parse(text) as unknown[];
  const all = (PATHS[text] ??= paths(root));
  const path = all[pick % all.length]!;
  const parent = path
    .slice(0, -1)
    .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], root) as Record<string | number, unknown>;
  const key = path.at(-1)!;
  const value = parent[key];
  switch (edit.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 'replace':
      parent[key] = structuredClone(edit.value);
      break;
    case 'truncate-hex':
      if (key === '$hex' && typeof value === 'string')
        parent[key] = value.slice(0, edit.keep % (value.length + 1));
      break;
    case 'flip-hex':
      if (key === '$hex' && typeof value === 'string' && value.length > 0) {
        const i = edit.at % value.length;
        parent[key] = value.slice(0, i) + edit.digit + value.slice(i + 1);
      }
      break;
    case 'number':
      if (typeof value === 'number') parent[key] = edit.value;
      break;
    case 'duplicate-entry': {
      const i = (path[0] as number) % root.length;
      root.splice(i, 0, structuredClone(root[i]));
      break;
    }
  }
  return JSON.stringify(root);
}

type TextEdit =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'insert'; at: number; text: string };

const textEditArb: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 6 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 4 }) }),
);

function textEdited(text: string, e: TextEdit): string {
  const at = e.at % (text.length + 1);
  switch (e.kind) {
    case 'truncate':
      return text.slice(0, at);
    case 'flip': {
      const i = e.at % text.length;
      return text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ (1 << e.bit)) + text.slice(i + 1);
    }
    case 'insert':
      return text.slice(0, at) + e.text + text.slice(at);
  }
}

const tally = new Map<string, number>();

/** The verdict every mutated file must get: a run the view renders, or an error saying what and where. */
function judge(text: string): void {
  const r = parseCapture(text);
  let key: string;
  if (r.ok) {
    render(r.run);
    key = 'opened';
  } else {
    expect(r.error.reason).toMatch(/\S/);
    expect(r.error.reason).not.toMatch(
      /\bundefined\b(?! is not valid JSON)|TypeError|RangeError|Cannot read/,
    );
    expect(r.error.path !== undefined || r.error.offset !== undefined).toBe(true);
    if (r.error.path !== undefined) expect(r.error.path).toMatch(/^\$/);
    if (r.error.offset !== undefined) expect(r.error.offset).toBeGreaterThanOrEqual(0);
    key = r.error.path === undefined ? 'not JSON' : r.error.reason.replace(/"[^"]*"|\d+/g, '…').slice(0, 48);
  }
  tally.set(key, (tally.get(key) ?? 0) + 1);
}

describe('mutated real captures: a run that renders, or an error naming what and where; never a throw', () => {
  it('JSON-level mutations', async () => {
    tally.clear();
    await checkBounded(
      'capture JSON mutations',
      fc.property(fc.constantFrom(...FILES), fc.nat(), editArb, (file, pick, edit) => {
        judge(edited(TEXT[file]!, pick, edit));
      }),
      { numRuns: 1000, timeLimitMs: 60_000 },
    );
    console.log('JSON mutations:', Object.fromEntries(tally));
    expect(tally.get('opened') ?? 0).toBeGreaterThan(0);
  });
  it('text-level mutations', async () => {
    tally.clear();
    await checkBounded(
      'capture text mutations',
      fc.property(fc.constantFrom(...FILES), textEditArb, (file, edit) => {
        judge(textEdited(TEXT[file]!, edit));
      }),
      { numRuns: 1000, timeLimitMs: 60_000 },
    );
    console.log('text mutations:', Object.fromEntries(tally));
  });
});
