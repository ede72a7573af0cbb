/**
 * `npx tls-lab chain FILE... [--trust FILE|PRESET]... [--host NAME] [--at ISO-DATE] [--profile NAME]
 *  [--purpose serverAuth|clientAuth|any] [--max-depth N] [--json]`
 *
 * Builds every path from the first certificate of FILE... (the chain as the peer sent it, leaf first; PEM,
 * DER, PKCS#7 …) to the trust anchors (files, or a preset: mozilla | azure-postgresql | letsencrypt; default
 * mozilla), validates each per RFC 5280 and prints every profile's verdict. Exit status: 0 when the chosen
 * profile accepts the chain, 1 when it rejects it, 2 on a usage or input error.
 */
import { readFile } from 'node:fs/promises';
import { analyzeChain, PROFILE_NAMES, type ChainAnalysis, type ProfileName } from '../lib/pki/index.ts';
import { getTrustStore, isTrustStoreName } from '../lib/pki/trust-stores/index.ts';

const USAGE = `usage: tls-lab chain FILE... [--trust FILE|PRESET]... [--host NAME] [--at ISO-DATE]
                      [--profile ${PROFILE_NAMES.join('|')}] [--purpose serverAuth|clientAuth|any]
                      [--max-depth N] [--json]
  FILE...   the certificates as the peer sent them, leaf first (PEM, DER, PKCS#7)
  --trust   trust anchors: a file or a preset (mozilla, azure-postgresql, letsencrypt); default mozilla
  --at      validation time (default: now)`;

interface Args {
  files: string[];
  trust: string[];
  host?: string;
  at?: Date;
  profile: ProfileName;
  purpose: 'serverAuth' | 'clientAuth' | 'any';
  maxDepth?: number;
  json: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { files: [], trust: [], profile: 'rfc5280', purpose: 'serverAuth', json: false };
  const rest = argv[0] === 'chain' ? argv.slice(1) : [...argv];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--trust':
        args.trust.push(value());
        break;
      case '--host':
        args.host = value();
        break;
      case '--at': {
        const v = value();
        const d = new Date(v);
        if (Number.isNaN(d.getTime())) throw new UsageError(`--at ${v} is not an ISO 8601 date`);
        args.at = d;
        break;
      }
      case '--profile': {
        const v = value();
        if (!(PROFILE_NAMES as readonly string[]).includes(v))
          throw new UsageError(`unknown profile ${v} (one of ${PROFILE_NAMES.join(', ')})`);
        args.profile = v as ProfileName;
        break;
      }
      case '--purpose': {
        const v = value();
        if (v !== 'serverAuth' && v !== 'clientAuth' && v !== 'any')
          throw new UsageError(`unknown purpose ${v}`);
        args.purpose = v;
        break;
      }
      case '--max-depth': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1) throw new UsageError('--max-depth needs a positive integer');
        args.maxDepth = n;
        break;
      }
      case '--json':
        args.json = true;
        break;
      case '-h':
      case '--help':
        throw new UsageError('');
      default:
        if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
        args.files.push(a);
    }
  }
  if (args.files.length === 0) throw new UsageError('no certificate file given');
  return args;
}

async function loadTrust(specs: readonly string[]): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const spec of specs.length ? specs : ['mozilla']) {
    if (isTrustStoreName(spec)) out.push(new TextEncoder().encode((await getTrustStore(spec)).pem));
    else out.push(new Uint8Array(await readFile(spec)));
  }
  return out;
}

/** JSON with byte fields as hex and the DER trees left out. */
export function toJson(a: ChainAnalysis): string {
  return JSON.stringify(
    a,
    (key, value: unknown) => {
      if (key === 'asn1') return undefined;
      if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
      return value;
    },
    2,
  );
}

function cn(subject: string): string {
  return /(?:^|,)CN=([^,]*)/.exec(subject)?.[1] ?? subject;
}

export function formatText(a: ChainAnalysis): string {
  const lines: string[] = [];
  const byId = new Map([...a.certificates, ...a.anchors].map((c) => [c.id, c]));
  const name = (id: string) => cn(byId.get(id)?.subject.rfc4514 ?? id.slice(0, 16));
  lines.push(`leaf: ${a.leaf?.subject.rfc4514 ?? '(none)'}   at ${a.time}`);
  lines.push(
    `certificates sent (${a.certificates.length}), then trust anchors in the graph (${a.anchors.length}):`,
  );
  for (const [i, c] of [...a.certificates, ...a.anchors].entries()) {
    const role = i < a.certificates.length ? `#${i}` : 'anchor';
    lines.push(`  ${role.padEnd(6)} ${c.subject.rfc4514}`);
    lines.push(`         issuer ${c.issuer.rfc4514}`);
    lines.push(
      `         valid ${c.validity.notBefore} .. ${c.validity.notAfter}  sha256 ${c.fingerprints.sha256.slice(0, 16)}…  spki ${c.fingerprints.spkiSha256.slice(0, 16)}…`,
    );
  }
  lines.push(
    `paths to a trust anchor: ${a.paths.length}${a.truncated ? ` (search truncated: ${a.truncation})` : ''}`,
  );
  a.paths.forEach((p, i) => {
    lines.push(`  ${i + 1}. [${p.status}] ${p.certificates.map(name).join(' -> ')}`);
    for (const r of p.reasons) lines.push(`       ${r.severity}: ${r.message} (${r.rule})`);
  });
  for (const d of a.deadEnds) lines.push(`  dead end (${d.why}): ${d.certificates.map(name).join(' -> ')}`);
  const bad = a.graph.edges.filter((e) => e.signature === 'invalid' || e.signature === 'unsupported');
  for (const e of bad)
    lines.push(`  ${e.signature} edge: ${name(e.child)} <- ${name(e.issuer)}: ${e.reason ?? ''}`);
  if (a.notSupported.length) lines.push(`not supported here: ${a.notSupported.join(', ')}`);
  lines.push('profiles:');
  for (const p of a.profiles ?? []) {
    const mark = p.profile === a.verdict.profile ? '*' : ' ';
    lines.push(
      `${mark} ${p.profile.padEnd(14)} ${p.valid ? 'OK' : `FAIL ${p.error?.number !== undefined ? `${p.error.number} ` : ''}${p.error?.message ?? ''}`}`,
    );
  }
  for (const p of a.problems) lines.push(`input problem: ${p.where}: ${p.message}`);
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`tls-lab chain: ${e.message}\n`);
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  try {
    const certificates = await Promise.all(args.files.map(async (f) => new Uint8Array(await readFile(f))));
    const trustAnchors = await loadTrust(args.trust);
    const a = await analyzeChain({
      certificates,
      trustAnchors,
      time: args.at ?? new Date(),
      profile: args.profile,
      purpose: args.purpose,
      compareProfiles: true,
      ...(args.host !== undefined ? { hostname: args.host } : {}),
      ...(args.maxDepth !== undefined ? { maxChainDepth: args.maxDepth } : {}),
    });
    if (!a.leaf && a.verdict.error?.code === 'unparseable-leaf') {
      process.stderr.write(`tls-lab chain: ${a.verdict.error.message}\n`);
      return 1;
    }
    if (!a.leaf) {
      process.stderr.write(`tls-lab chain: no certificate found in ${args.files.join(', ')}\n`);
      for (const p of a.problems) process.stderr.write(`  ${p.where}: ${p.message}\n`);
      return 2;
    }
    process.stdout.write(`${args.json ? toJson(a) : formatText(a)}\n`);
    return a.verdict.valid ? 0 : 1;
  } catch (e) {
    process.stderr.write(`tls-lab chain: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}
