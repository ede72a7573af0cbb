/**
 * `npx tls-lab sslmode SCENARIO.json [--json]` — predict a PostgreSQL client's connection outcome.
 * `npx tls-lab sslmode --diagnose "ERROR TEXT" [--json]` — explain an error text and print a scenario that reproduces it.
 *
 * SCENARIO.json is the `Scenario` of src/lib/sslmode/types.ts. Any PEM-valued field (`client.files` values,
 * `server.certificateChain`) may be written "@path" to read the file, relative to the scenario file.
 * Exit status: 0 when the predicted connection succeeds (or a diagnosis was found), 1 when it fails (or the text
 * is unknown), 2 on a usage or input error.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  diagnoseError,
  explainConnection,
  type ConnectionOutcome,
  type Scenario,
} from '../lib/sslmode/index.ts';

const USAGE = `usage: tls-lab sslmode SCENARIO.json [--json]
       tls-lab sslmode --diagnose "ERROR TEXT" [--json]
  SCENARIO.json  { client: { driver, version?, conninfo, files? }, server: { ssl, certificateChain?, hba, ... }, time? }
                 PEM values may be "@file" (relative to the scenario file)`;

class UsageError extends Error {}

async function inline(text: string | undefined, base: string): Promise<string | undefined> {
  if (text === undefined || !text.startsWith('@')) return text;
  return readFile(resolve(base, text.slice(1)), 'utf8');
}

async function loadScenario(path: string): Promise<Scenario> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read scenario ${path}: ${(e as Error).message}`);
  }
  const s = raw as Scenario;
  if (
    !s ||
    typeof s !== 'object' ||
    !s.client ||
    !s.server ||
    typeof s.client.conninfo !== 'string' ||
    !Array.isArray(s.server.hba)
  ) {
    throw new UsageError(
      `${path}: a scenario needs client.conninfo (string), client.driver and server.ssl / server.hba (array)`,
    );
  }
  const base = dirname(path);
  const files: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.client.files ?? {})) files[k] = (await inline(v, base)) ?? v;
  const chain = await inline(s.server.certificateChain, base);
  return {
    ...s,
    client: { ...s.client, files },
    server: { ...s.server, ...(chain !== undefined ? { certificateChain: chain } : {}) },
  };
}

export function formatOutcome(o: ConnectionOutcome): string {
  const out: string[] = [];
  out.push(`${o.driver} ${o.version} — sslmode ${o.sslmode}`);
  out.push(`  used by: ${o.usedBy.join('; ')}`);
  if (o.serverCertificate) {
    const c = o.serverCertificate;
    out.push(
      `  server certificate: ${c.subject} (${c.keyType}), names ${c.names.join(', ')}, valid until ${c.notAfter}`,
    );
  }
  out.push(
    o.connected
      ? `RESULT: connected, ${o.encrypted ? `encrypted (${o.protocol ?? 'TLS'})` : 'NOT encrypted'}; chain ${o.chainVerified ? 'verified' : 'not verified'}; host name ${o.hostnameVerified ? 'verified' : 'not verified'}`
      : 'RESULT: connection fails',
  );
  if (o.error !== undefined) {
    out.push('ERROR (exact client text):');
    for (const line of o.error.split('\n')) out.push(`  ${line}`);
  }
  out.push(
    `PROTECTION: eavesdropping ${o.protection.eavesdropping ? 'protected' : 'EXPOSED'}; MITM ${o.protection.mitm}${o.protection.downgradePossible ? '; downgrade possible' : ''}`,
  );
  out.push(`  ${o.protection.explanation}`);
  out.push('STEPS:');
  for (const s of o.steps) {
    out.push(`  [${s.attempt}] ${s.kind.padEnd(12)} ${s.status.padEnd(4)} ${s.detail}`);
    out.push(`      rule ${s.rule} — ${s.source}`);
  }
  for (const w of o.warnings) out.push(`WARNING (printed by the client):\n  ${w.split('\n').join('\n  ')}`);
  if (o.fix) out.push(`FIX: ${o.fix}`);
  return out.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const args = argv[0] === 'sslmode' ? argv.slice(1) : [...argv];
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  try {
    if (rest[0] === '--diagnose') {
      const text = rest.slice(1).join(' ');
      if (!text) throw new UsageError('--diagnose needs the error text');
      const d = diagnoseError(text);
      if (json) process.stdout.write(JSON.stringify(d, null, 2) + '\n');
      else {
        const lines = [
          `MEANING: ${d.meaning}`,
          'LIKELY CAUSES:',
          ...d.causes.map((c, i) => `  ${i + 1}. ${c}`),
        ];
        if (d.rule) lines.push(`RULE: ${d.rule.id} — ${d.rule.source}`);
        if (d.reproduce) lines.push('REPRODUCE (scenario JSON):', JSON.stringify(d.reproduce, null, 2));
        process.stdout.write(lines.join('\n') + '\n');
      }
      return d.id === 'unknown' ? 1 : 0;
    }
    if (rest.length !== 1 || rest[0]!.startsWith('--')) throw new UsageError(USAGE);
    const scenario = await loadScenario(rest[0]!);
    const outcome = await explainConnection(scenario);
    process.stdout.write((json ? JSON.stringify(outcome, null, 2) : formatOutcome(outcome)) + '\n');
    return outcome.connected ? 0 : 1;
  } catch (e) {
    process.stderr.write(`${e instanceof UsageError ? '' : 'tls-lab sslmode: '}${(e as Error).message}\n`);
    return 2;
  }
}
