/**
 * Issue #19, the CLI: hostile input through `tls-lab chain` and `tls-lab sslmode` (token-soup flags, mutated
 * and garbage certificate files, token-soup scenario JSON, unreadable paths, bad dates) always ends in an
 * answer: exit 0/1 with the report, or exit 2 with one "tls-lab <command>: ..." sentence. Never an exception
 * out of main(), never a stack trace. fast-check, bounded runs, in-process (no child processes here).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';

const AZ = fileURLToPath(new URL('../../../fixtures/public-ca/azure/', import.meta.url));
const LEAF = `${AZ}leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem`;
const CA07 = `${AZ}int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem`;
const ROOT = `${AZ}root_microsoft-rsa-root-ca-2017.pem`;

/** Bounded: the counts the issue asks the note to give. */
export const RUNS = { chainArgv: 40, chainFiles: 40, sslmodeScenario: 80, sslmodeArgv: 40 } as const;

const dir = mkdtempSync(join(tmpdir(), 'tls-lab-hostile-'));
const GARBAGE = join(dir, 'garbage.pem');
writeFileSync(GARBAGE, '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
const DIRECTORY = join(dir, 'a-directory');
mkdirSync(DIRECTORY);
const MISSING = join(dir, 'missing.pem');
let counter = 0;
function temp(content: string | Uint8Array, name = 'input'): string {
  const path = join(dir, `${name}-${counter++}`);
  writeFileSync(path, content);
  return path;
}

const STACK = /\n\s+at .+:\d+:\d+/;

/** The contract every run must keep. */
async function answers(command: 'chain' | 'sslmode', argv: string[]): Promise<number> {
  const io = memoryIo();
  const code = await main([command, ...argv], io);
  const out = io.stdout();
  const err = io.stderr();
  expect([0, 1, 2]).toContain(code);
  expect(err).not.toMatch(STACK);
  expect(out).not.toMatch(STACK);
  if (code === 2) {
    expect(out).toBe('');
    expect(err).toMatch(new RegExp(`^tls-lab ${command}: \\S`));
  } else if (command === 'chain' && !argv.some((a) => a === '--json' || a === '--help' || a === '-h')) {
    expect(out).toMatch(/^(VALID|NOT VALID) for [a-z0-9.-]+: /);
  }
  return code;
}

const chainToken = fc.oneof(
  fc.constantFrom(
    LEAF,
    CA07,
    ROOT,
    GARBAGE,
    DIRECTORY,
    MISSING,
    '--trust',
    '--host',
    '--at',
    '--profile',
    '--purpose',
    '--max-depth',
    '--json',
    '--verbose',
    '-v',
    '--at=2024-01-15',
    '--trust=letsencrypt',
    'mozilla',
    'azure-postgresql',
    'letsencrypt',
    'openssl-3',
    'openssl-1.0.2',
    'go',
    'webpki',
    'rfc5280',
    'serverAuth',
    'any',
    '2024-01-15',
    '2024-02-30',
    '2024-01-15T25:00Z',
    'yesterday',
    '0',
    '-1',
    '1e3',
    'www.microsoft.com',
    '',
    '-',
    '--',
    '-x',
  ),
  fc.string({ maxLength: 12 }),
);

const soupArgv = fc.array(chainToken, { minLength: 0, maxLength: 8 });
/** The files and flags in their places, the values from the pools above: reaches the engine more often. */
const wellFormedArgv = fc
  .tuple(
    fc.subarray([LEAF, CA07, GARBAGE], { minLength: 1 }),
    fc.array(
      fc.tuple(
        fc.constantFrom('--host', '--at', '--profile', '--purpose', '--max-depth', '--json', '--verbose'),
        chainToken,
      ),
      { maxLength: 4 },
    ),
  )
  .map(([files, flags]) => [
    ...files,
    ...flags.flatMap(([flag, value]) => (flag === '--json' || flag === '--verbose' ? [flag] : [flag, value])),
  ]);

function rarely<T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: a, weight: 1 });
}

describe('tls-lab chain under hostile input', () => {
  it(`token-soup argv (${RUNS.chainArgv} runs): always an answer, exit 0/1/2`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(soupArgv, wellFormedArgv), async (argv) => {
        // Keep the trust store small unless the soup names one: mozilla is the default.
        await answers('chain', argv.includes('--trust') ? argv : [...argv, '--trust', ROOT]);
      }),
      { numRuns: RUNS.chainArgv, seed: 21 },
    );
  });

  it(`mutated and garbage certificate files (${RUNS.chainFiles} runs): exit 2 names the file, else a verdict`, async () => {
    const pem = readFileSync(LEAF);
    const der = new Uint8Array(
      Buffer.from(
        pem
          .toString('latin1')
          .replace(/-----[^-]+-----/g, '')
          .replace(/\s+/g, ''),
        'base64',
      ),
    );
    const mutation = fc.record({
      base: fc.constantFrom('pem', 'der'),
      flips: fc.array(fc.record({ at: fc.nat({ max: 4096 }), bit: fc.integer({ min: 0, max: 7 }) }), {
        maxLength: 4,
      }),
      // Truncation and insertion in one run out of five each; bit flips alone mostly still parse.
      cut: rarely(fc.nat()),
      insert: rarely(fc.record({ at: fc.nat(), bytes: fc.uint8Array({ maxLength: 8 }) })),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        let bytes = new Uint8Array(m.base === 'pem' ? pem : der);
        for (const f of m.flips) bytes[f.at % bytes.length]! ^= 1 << f.bit;
        if (m.insert) {
          const at = m.insert.at % bytes.length;
          bytes = new Uint8Array([...bytes.subarray(0, at), ...m.insert.bytes, ...bytes.subarray(at)]);
        }
        if (m.cut !== undefined) bytes = bytes.subarray(0, m.cut % (bytes.length + 1));
        const file = temp(bytes, 'mutated');
        const code = await answers('chain', [file, CA07, '--trust', ROOT, '--at', '2024-01-15']);
        if (bytes.length === 0) expect(code).toBe(2);
      }),
      { numRuns: RUNS.chainFiles, seed: 19 },
    );
  });
});

/** JSON-ish token soup: valid fragments of a scenario mixed with wrong types and junk. */
const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(
      'libpq',
      'pgx',
      'node-postgres',
      'pgjdbc',
      'npgsql',
      'asyncpg',
      'host=127.0.0.1 sslmode=verify-full',
      'postgresql://',
      'postgres://u@h/db?sslmode=require&x=%',
      'host all all 127.0.0.1/32 trust',
      'hostssl all all all cert',
      '@missing.pem',
      '2024-01-15',
      'soon',
      true,
      false,
      null,
      0,
      5432,
      -1,
      70000,
      '',
    ),
    fc.string({ maxLength: 10 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom(
        'driver',
        'conninfo',
        'files',
        'env',
        'ssl',
        'hba',
        'port',
        'time',
        'preset',
        'users',
        'x',
      ),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

const CONNINFO_TOKENS = [
  'host=127.0.0.1',
  'host=db.example.test',
  'sslmode=require',
  'sslmode=verify-full',
  'sslmode=bogus',
  'sslrootcert=system',
  'sslrootcert=/etc/ca.pem',
  "password='x",
  'port=0',
  'port=99999',
  'postgresql://',
  'postgres://u:p@h:5432/db?sslmode=verify-ca',
  '%',
  '%zz',
  '?',
  '=',
  'jdbc:postgresql://h/db?ssl=true',
  'Host=h;SSL Mode=Require',
  'sslnegotiation=direct',
  '',
];
const HBA_TOKENS = [
  'host',
  'hostssl',
  'hostnossl',
  'all',
  'app',
  '127.0.0.1/32',
  '0.0.0.0/0',
  'trust',
  'cert',
  'scram-sha-256',
  'clientcert=verify-full',
  '"',
  '#',
  '/',
];
/** Scenarios of the right shape with token-soup contents: these reach the engines. */
const nearValidScenario = fc.record(
  {
    client: fc.record(
      {
        driver: fc.constantFrom('libpq', 'pgx', 'node-postgres', 'pgjdbc', 'npgsql', 'asyncpg'),
        conninfo: fc.array(fc.constantFrom(...CONNINFO_TOKENS), { maxLength: 5 }).map((t) => t.join(' ')),
        version: fc.constantFrom('15', '16', '17', '18', '5', '8.23', '42.7', '0.31', 'x'),
        files: fc.constantFrom({}, { '/etc/ca.pem': 'garbage' }),
      },
      { requiredKeys: ['driver', 'conninfo'] },
    ),
    server: fc.record({
      ssl: fc.boolean(),
      hba: fc.array(
        fc.array(fc.constantFrom(...HBA_TOKENS), { maxLength: 6 }).map((t) => t.join(' ')),
        { maxLength: 3 },
      ),
    }),
    time: fc.constantFrom('2024-01-15', '2026-01-01T00:00:00Z'),
  },
  { requiredKeys: ['client', 'server'] },
);

const scenarioSoup = fc.oneof(
  { arbitrary: nearValidScenario, weight: 3 },
  fc.record(
    {
      client: fc.oneof(
        jsonValue,
        fc.record(
          {
            driver: fc.oneof(
              fc.constantFrom('libpq', 'pgx', 'npgsql', 'asyncpg', 'pgjdbc', 'node-postgres'),
              jsonValue,
            ),
            conninfo: fc.oneof(
              fc.constantFrom(
                'host=127.0.0.1 sslmode=require',
                'postgresql://',
                'postgres://h/%zz',
                'sslmode=',
              ),
              jsonValue,
            ),
            files: jsonValue,
            env: jsonValue,
          },
          { requiredKeys: ['driver', 'conninfo'] },
        ),
      ),
      server: fc.oneof(
        jsonValue,
        fc.record(
          {
            ssl: fc.oneof(fc.boolean(), jsonValue),
            hba: fc.oneof(fc.array(fc.string()), jsonValue),
            port: jsonValue,
          },
          { requiredKeys: ['ssl', 'hba'] },
        ),
      ),
      time: jsonValue,
      resolve: jsonValue,
    },
    { requiredKeys: [] },
  ),
  jsonValue,
);

describe('tls-lab sslmode under hostile input', () => {
  it(`token-soup scenario JSON (${RUNS.sslmodeScenario} runs): always an answer, exit 0/1/2`, async () => {
    await fc.assert(
      fc.asyncProperty(scenarioSoup, fc.nat(), fc.boolean(), async (scenario, cut, json) => {
        const text = JSON.stringify(scenario) ?? 'undefined';
        // Sometimes truncated mid-token: not JSON at all.
        const content = cut % 4 === 0 ? text.slice(0, cut % (text.length + 1)) : text;
        await answers('sslmode', [temp(content, 'scenario'), ...(json ? ['--json'] : [])]);
      }),
      { numRuns: RUNS.sslmodeScenario, seed: 19 },
    );
  });

  it(`token-soup argv (${RUNS.sslmodeArgv} runs): always an answer, exit 0/1/2`, async () => {
    const good = temp(
      JSON.stringify({
        client: { driver: 'libpq', conninfo: 'host=127.0.0.1 sslmode=prefer' },
        server: { ssl: false, hba: ['host all all 127.0.0.1/32 trust'] },
      }),
      'good',
    );
    const token = fc.oneof(
      fc.constantFrom(
        good,
        GARBAGE,
        DIRECTORY,
        MISSING,
        '--json',
        '--diagnose',
        '--help-me',
        '-',
        'SSL error',
      ),
      fc.string({ maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 5 }), async (argv) => {
        await answers('sslmode', argv);
      }),
      { numRuns: RUNS.sslmodeArgv, seed: 19 },
    );
  });
});
