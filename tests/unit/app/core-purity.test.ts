import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The pure core (src/lib) must run in the browser, in Node and in tests alike. The lint rule is the
// guard; these tests prove it bites, so a config change cannot silently switch it off.
const eslint = new ESLint();

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the core purity rule', () => {
  it('rejects Svelte, Node built-ins, DOM globals and the certificate libraries in src/lib', async () => {
    const messages = await ruleIds(
      [
        "import { mount } from 'svelte';",
        "import { readFileSync } from 'node:fs';",
        "import * as pkijs from 'pkijs';",
        "import { X509Certificate } from '@peculiar/x509';",
        'export const used = [mount, readFileSync, pkijs, X509Certificate, window.location, document.title];',
      ].join('\n'),
      'src/lib/tls12/probe.ts',
    );
    expect(messages.filter((m) => m.startsWith('no-restricted-imports'))).toHaveLength(4);
    expect(messages.filter((m) => m.startsWith('no-restricted-globals'))).toHaveLength(2);
  });

  it('rejects prose and app modules in every engine, the PKI adapter included', async () => {
    const code = [
      "import { MODES } from '../../content/sslmode/modes.ts';",
      "import { parseHash } from '../../app/url/hash.ts';",
      'export const used = [MODES, parseHash];',
    ].join('\n');
    for (const file of ['src/lib/sslmode/probe.ts', 'src/lib/pki/adapter/probe.ts']) {
      const messages = await ruleIds(code, file);
      expect(messages.filter((m) => m.startsWith('no-restricted-imports'))).toHaveLength(2);
    }
  });

  it('lets the PKI adapter, and only it, import the certificate libraries', async () => {
    const code = "import * as pkijs from 'pkijs';\nexport const used = pkijs;\n";
    expect(await ruleIds(code, 'src/lib/pki/parse.ts')).toEqual([]);
    expect(await ruleIds(code, 'src/lib/pki/adapter/x509.ts')).toEqual([]);
    expect(await ruleIds(code, 'src/lib/pki/paths/build.ts')).toHaveLength(1);
  });

  it('keeps the app free of network calls', async () => {
    const messages = await ruleIds("export const r = fetch('/x');\n", 'src/app/state/probe.svelte.ts');
    expect(messages.some((m) => m.startsWith('no-restricted-globals'))).toBe(true);
  });
});

/** The machine's CA bundle path, only as text for the linted probe (this test never reads it). */
const SYSTEM_BUNDLE = ['', 'etc', 'ssl', 'certs', 'ca-certificates.crt'].join('/');

describe('the function length rule', () => {
  const longFunction = [
    'export function long(): number {',
    '  let n = 0;',
    ...Array.from({ length: 120 }, (_, i) => `  n += ${i};`),
    '  return n;',
    '}',
  ].join('\n');

  it('rejects a src/lib function over 120 lines', async () => {
    const messages = await ruleIds(longFunction, 'src/lib/pki/probe.ts');
    expect(messages.map((m) => m.split(':')[0])).toEqual(['max-lines-per-function']);
  });

  it('leaves the app alone', async () => {
    expect(await ruleIds(longFunction, 'src/app/model/probe.ts')).toEqual([]);
  });
});

describe('the unit-test purity rule', () => {
  it('rejects programs, sockets, browsers, databases and the system CA bundle in tests/unit', async () => {
    const messages = await ruleIds(
      [
        "import { execFileSync } from 'node:child_process';",
        "import tls from 'node:tls';",
        "import { chromium } from 'playwright-core';",
        "import pg from 'pg';",
        "import { homedir } from 'node:os';",
        "import { readFileSync } from 'node:fs';",
        `export const used = [execFileSync, tls, chromium, pg, homedir, readFileSync('${SYSTEM_BUNDLE}')];`,
      ].join('\n'),
      'tests/unit/pki/probe.test.ts',
    );
    expect(messages.filter((m) => m.startsWith('no-restricted-imports'))).toHaveLength(5);
    expect(messages.filter((m) => m.startsWith('no-restricted-syntax'))).toHaveLength(1);
  });

  it('holds the shared kit apart: unit tests cannot reach kit/programs, kit/pure obeys the unit rule', async () => {
    const fromUnit = await ruleIds(
      "import { startSServer } from '../../kit/programs/openssl-cli.ts';\nexport const used = startSServer;\n",
      'tests/unit/pki/probe.test.ts',
    );
    expect(fromUnit.map((m) => m.split(':')[0])).toEqual(['no-restricted-imports']);
    const inPureKit = await ruleIds(
      "import { spawn } from 'node:child_process';\nexport const used = spawn;\n",
      'tests/kit/pure/probe.ts',
    );
    expect(inPureKit.map((m) => m.split(':')[0])).toEqual(['no-restricted-imports']);
    const inProgramKit = await ruleIds(
      "import { spawn } from 'node:child_process';\nexport const used = spawn;\n",
      'tests/kit/programs/probe.ts',
    );
    expect(inProgramKit).toEqual([]);
  });

  it('lets interop tests run programs', async () => {
    const code = "import { execFileSync } from 'node:child_process';\nexport const used = execFileSync;\n";
    expect(await ruleIds(code, 'tests/interop/pki/probe.test.ts')).toEqual([]);
  });
});
