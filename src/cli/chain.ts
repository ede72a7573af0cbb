/**
 * `npx tls-lab chain FILE... [--trust FILE|PRESET]... [--host NAME] [--at ISO-DATE] [--profile NAME]
 *  [--purpose serverAuth|clientAuth|any] [--max-depth N] [--password TEXT] [--verbose] [--json]`
 *
 * Builds every path from the first certificate of FILE... (the chain as the peer sent it, leaf first; PEM,
 * DER, PKCS#7 …) to the trust anchors (files, or a preset: mozilla | azure-postgresql | letsencrypt; default
 * mozilla), validates each per RFC 5280 and asks every client profile for its verdict. The text report leads
 * with the chosen profile's verdict and the error text that client prints, then what would make a failing
 * chain pass, the paths, the other profiles, and the certificates involved (every anchor with --verbose).
 */
import {
  analyzeChain,
  clientErrorText,
  leafProblemOf,
  certificateLabel,
  mergeReports,
  parseCertificates,
  PROFILE_NAMES,
  verdictAdvice,
  whatWouldPass,
  type CertView,
  type ChainAnalysis,
  type ParseReport,
  type PoolEntry,
  type ProfileName,
  type Purpose,
  type Remedy,
  type VerdictAdvice,
} from '../lib/pki/index.ts';
import {
  formerRootsFor,
  getTrustStore,
  isTrustStoreName,
  TRUST_STORE_PRESETS,
  type FormerRoot,
} from '../lib/pki/trust-stores/index.ts';
import { InputError, messageOf, painter, parseIsoDate, processIo, readInputFile, type CliIo } from './io.ts';
import { validationTime } from '../lib/pki/validation-time.ts';
import { discardedKeysNotice } from '../content/chain/notices.ts';
import { leafFirst, pickLeaf } from '../lib/pki/leaf.ts';
import { libpqHostCheck } from '../lib/sslmode/hostname.ts';
import { DEFAULT_BUILD_OPTIONS } from '../lib/pki/paths/build-paths.ts';

const PRESETS = TRUST_STORE_PRESETS.map((p) => p.name);

export const usage = `Usage: tls-lab chain FILE... [options]

Every path from a certificate chain to the trust anchors, and how each client judges it.
The report starts with the chosen profile's verdict and the error text that client prints.

  FILE...              the certificates as the peer sent them (PEM, DER, PKCS#7); the server's is the
                       first that is not a CA and matches --host, else the first that is not a CA, else
                       the first (as the Chain Lab picks it). A block that holds no certificate is listed
                       as an input problem; when it comes first, the verdict names it. A private key in
                       any file is discarded: it is not kept, shown or analysed, only counted
  --trust FILE|PRESET  trust anchors: a file or a preset (${PRESETS.join(', ')}); repeatable;
                       default mozilla
  --host NAME          the host name (or IP address) the leaf must match; for openssl-3 libpq's own
                       check, once the chain verified, and its words (server certificate for "…" does
                       not match host name "…")
  --at DATE            validation time, ISO 8601, UTC unless an offset is given; a date alone is 12:00
                       UTC that day, as the Chain Lab's date (default: now)
  --profile NAME       the client whose verdict leads: ${PROFILE_NAMES.join(', ')} (default
                       openssl-3, as the Chain Lab and libpq)
  --purpose P          serverAuth (default), clientAuth or any
  --max-depth N        the longest path the RFC 5280 every-path search builds (the paths listed, and the
                       rfc5280 profile's verdict): N certificates, leaf and anchor included, self-issued
                       intermediates not counted (a positive integer; default 10). The other profiles'
                       verdicts come from each client's own chain building, which it does not limit
  --password TEXT      the password of PKCS#12 files among FILE and --trust; or set the environment
                       variable TLS_LAB_PKCS12_PASSWORD, which keeps it out of the shell history
                       (--password wins when both are given)
  --verbose, -v        list every trust anchor loaded, not only those on a path or named as an issuer
  --json               the whole analysis as JSON (bytes as hex), with the remedies, each file's name and
                       discardedPrivateKeys (file -> how many keys it held)

Colours only on a terminal; NO_COLOR=1 turns them off.

Exit status: 0 the chain is valid under the chosen profile; 1 it is not valid, or not checked here (an algorithm this engine lacks);
2 bad input (an unknown option, a file that cannot be read, no certificate in any FILE, a bad date).`;

/** --at: a date alone is 12:00 UTC that day, the instant the Chain Lab's date control stands for. */
function chainDate(text: string): Date {
  parseIsoDate(text, '--at'); // the error, naming the option
  return validationTime(text)!;
}

interface Args {
  files: string[];
  trust: string[];
  host?: string;
  at?: Date;
  profile: ProfileName;
  purpose: Purpose;
  maxDepth?: number;
  /** The PKCS#12 password, and where it came from (for the error when it does not open a file). */
  password?: { readonly text: string; readonly from: '--password' | typeof PASSWORD_ENV };
  json: boolean;
  verbose: boolean;
}

const PASSWORD_ENV = 'TLS_LAB_PKCS12_PASSWORD';

/** The options that take a value (also as --option=value). */
const VALUE_FLAGS = new Set('--trust --host --at --profile --purpose --max-depth --password'.split(' '));

function parseArgs(argv: readonly string[], env: CliIo['env'] = {}): Args {
  const args: Args = {
    files: [],
    trust: [],
    profile: 'openssl-3',
    purpose: 'serverAuth',
    json: false,
    verbose: false,
  };
  const fromEnv = env[PASSWORD_ENV];
  if (fromEnv) args.password = { text: fromEnv, from: PASSWORD_ENV };
  const rest = argv[0] === 'chain' ? argv.slice(1) : [...argv];
  for (let i = 0; i < rest.length; i++) {
    let a = rest[i] as string;
    let inline: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 2 && VALUE_FLAGS.has(a.slice(0, eq))) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const value = (): string => {
      const v = inline ?? rest[++i];
      if (v === undefined || v === '') throw new InputError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--trust':
        args.trust.push(value());
        break;
      case '--host':
        args.host = value();
        break;
      case '--at':
        args.at = chainDate(value());
        break;
      case '--profile': {
        const v = value();
        if (!(PROFILE_NAMES as readonly string[]).includes(v))
          throw new InputError(`unknown profile "${v}" (one of ${PROFILE_NAMES.join(', ')})`);
        args.profile = v as ProfileName;
        break;
      }
      case '--purpose': {
        const v = value();
        if (v !== 'serverAuth' && v !== 'clientAuth' && v !== 'any')
          throw new InputError(`unknown purpose "${v}" (one of serverAuth, clientAuth, any)`);
        args.purpose = v;
        break;
      }
      case '--max-depth': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1)
          throw new InputError(`--max-depth needs a positive integer, got "${v}"`);
        args.maxDepth = n;
        break;
      }
      case '--password':
        args.password = { text: value(), from: '--password' };
        break;
      case '--json':
        args.json = true;
        break;
      case '-v':
      case '--verbose':
        args.verbose = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new InputError(`unknown option "${a}"`);
        args.files.push(a);
    }
  }
  if (args.files.length === 0) throw new InputError('no certificate file given');
  return args;
}

/** One file the user named (or a preset), parsed; `source` is its name as the report and the remedies give it. */
interface Loaded {
  readonly source: string;
  readonly report: ParseReport;
}

async function loadFile(path: string, what: string, password: Args['password']): Promise<Loaded> {
  const bytes = await readInputFile(path, what);
  return {
    source: path,
    report: await parseCertificates(bytes, password ? { password: password.text } : {}),
  };
}

/** A --trust value that is not a preset: a file, and when it cannot be read, perhaps a preset's name mistyped. */
async function loadTrustFile(path: string, password: Args['password']): Promise<Loaded> {
  try {
    return await loadFile(path, 'trust anchor file', password);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(`${e.message}; --trust takes a file or a preset: ${PRESETS.join(', ')}`);
  }
}

/** What to do about a PKCS#12 file the password did not open: give one, or check the one given. */
function passwordHint(password: Args['password']): string {
  return password ? `check ${password.from}` : `give its password with --password or ${PASSWORD_ENV}`;
}

/**
 * "X holds no certificate", and why: its first problem (with what to do when a password did not open it), the
 * private keys it held (discarded), else that it is empty.
 */
function noCertificate({ source, report }: Loaded, password: Args['password']): string {
  const first = report.problems[0];
  const keys = report.discardedPrivateKeys > 0 ? discardedKeysNotice(report.discardedPrivateKeys) : '';
  const hint = report.needsPassword ? `; ${passwordHint(password)}` : '';
  if (first)
    return `${source} holds no certificate: ${first.where}: ${first.message}${hint}${keys ? `. ${keys}` : ''}`;
  const crls = report.crls.length;
  if (crls > 0)
    return `${source} holds no certificate, only ${crls} CRL${crls === 1 ? '' : 's'} (revocation lists are read, not used in the verdict)${keys ? `. ${keys}` : ''}`;
  return `${source} holds no certificate${keys ? `. ${keys}` : ': it is empty'}`;
}

function presetSource(name: string): string {
  return `the ${name} preset`;
}

const presetCache = new Map<string, Promise<Loaded>>();

/** A preset's certificates, parsed once per process (the remedies look in every preset). */
function loadPreset(name: Parameters<typeof getTrustStore>[0]): Promise<Loaded> {
  let loaded = presetCache.get(name);
  if (!loaded) {
    loaded = getTrustStore(name).then(async (store) => ({
      source: presetSource(name),
      report: await parseCertificates(store.pem),
    }));
    presetCache.set(name, loaded);
  }
  return loaded;
}

/** What the command computed: the analysis plus what only the CLI knows (files, every loaded anchor). */
export interface ChainReport {
  readonly analysis: ChainAnalysis;
  /** Certificate id -> the files (or presets) it was loaded from. */
  readonly sources: Readonly<Record<string, readonly string[]>>;
  /** Every trust anchor loaded, in load order. */
  readonly loadedAnchors: readonly CertView[];
  readonly remedies: readonly Remedy[];
  /** verdictAdvice: what the Chain Lab lists under "What would make it pass, and every problem on this path". */
  readonly advice: readonly VerdictAdvice[];
  /** Roots that a loaded preset no longer has, among the sent certificates or named as their issuer. */
  readonly formerRoots: readonly (FormerRoot & { readonly preset: string })[];
  /** The chosen profile's error as the real client prints it. */
  readonly clientError?: string;
  readonly host?: string;
  readonly purpose: Args['purpose'];
  /** The depth limit of the RFC 5280 every-path search (--max-depth, else the engine's default). */
  readonly maxDepth: number;
  /** File -> how many private keys it held: found and discarded, never kept nor shown (only files with one). */
  readonly discardedKeys: Readonly<Record<string, number>>;
  /** What the report says about the files besides their problems: "FILE: <the discarded-keys notice>" ... */
  readonly notes: readonly string[];
}

export async function analyze(args: Args): Promise<ChainReport> {
  const sources = new Map<string, string[]>();
  const pool: PoolEntry[] = [];
  const note = ({ report, source }: Loaded) => {
    for (const c of report.certificates) {
      const list = sources.get(c.id) ?? [];
      if (!list.includes(source)) list.push(source);
      sources.set(c.id, list);
      pool.push({ certificate: c, source });
    }
  };
  const files: Loaded[] = [];
  for (const file of args.files) files.push(await loadFile(file, 'certificate file', args.password));
  // The files as one, as the Chain Lab merges the files loaded as the server's chain: a file that holds no
  // certificate is a problem listed with the verdict, and when it comes first the verdict names it (leafProblemOf).
  const sentReport = mergeReports(
    files.map((f) => f.report),
    files.map((f) => f.source),
  );
  // With no certificate in any of them there is nothing to judge (the Chain Lab gives no verdict either).
  if (sentReport.certificates.length === 0)
    throw new InputError(files.map((f) => noCertificate(f, args.password)).join('; '));
  const leafProblem = leafProblemOf(sentReport);
  files.forEach(note);
  const sent = sentReport.certificates;
  const anchors: CertView[] = [];
  const trustSpecs = args.trust.length ? args.trust : ['mozilla'];
  const trustFiles: Loaded[] = [];
  for (const spec of trustSpecs) {
    const loaded = isTrustStoreName(spec) ? await loadPreset(spec) : await loadTrustFile(spec, args.password);
    if (!isTrustStoreName(spec)) trustFiles.push(loaded);
    note(loaded);
    anchors.push(...loaded.report.certificates);
  }
  // A trust file that holds no certificate adds no anchor, and its problem is listed (as in the Chain Lab).
  const problems = [
    ...sentReport.problems,
    ...mergeReports(
      trustFiles.map((f) => f.report),
      trustFiles.map((f) => f.source),
    ).problems,
  ];
  // The server's certificate as the Chain Lab picks it from the user's files (pki/leaf.ts), so both judge the same one.
  const chain = leafFirst(sent, pickLeaf(sent, args.host !== undefined ? { hostname: args.host } : {}));
  const result = await analyzeChain({
    certificates: chain,
    trustAnchors: anchors,
    time: args.at ?? new Date(),
    profile: args.profile,
    purpose: args.purpose,
    compareProfiles: true,
    ...(leafProblem ? { firstCertificateProblem: leafProblem } : {}),
    ...(args.host !== undefined ? { hostname: args.host, hostCheck: libpqHostCheck } : {}),
    ...(args.maxDepth !== undefined ? { maxChainDepth: args.maxDepth } : {}),
  });
  const analysis: ChainAnalysis = { ...result, problems: [...problems, ...result.problems] };
  let remedies: Remedy[] = [];
  let advice: readonly VerdictAdvice[] = [];
  if (!analysis.verdict.valid) {
    // A missing root may be in a preset the user did not load: look there too, and say which.
    const extra: PoolEntry[] = [];
    for (const name of PRESETS.filter((p) => !trustSpecs.includes(p))) {
      for (const c of (await loadPreset(name)).report.certificates)
        extra.push({ certificate: c, source: `${presetSource(name)}, --trust ${name}` });
    }
    remedies = whatWouldPass(analysis, [...pool, ...extra]);
    // What the Chain Lab's card lists: those remedies, then every problem on the path tried, each fact once.
    advice = verdictAdvice(analysis, [...pool, ...extra]);
  }
  const formerRoots = trustSpecs.filter(isTrustStoreName).flatMap((preset) =>
    formerRootsFor(
      preset,
      sent.map((c) => ({
        sha256: c.fingerprints.sha256,
        subject: c.subject.rfc4514,
        issuer: c.issuer.rfc4514,
      })),
    ).map((r) => ({ ...r, preset })),
  );
  const clientError = clientErrorText(analysis.verdict.profile, analysis.verdict.error);
  const discardedKeys = Object.fromEntries(
    [...files, ...trustFiles]
      .filter((f) => f.report.discardedPrivateKeys > 0)
      .map((f) => [f.source, f.report.discardedPrivateKeys]),
  );
  return {
    analysis,
    sources: Object.fromEntries(sources),
    loadedAnchors: anchors,
    remedies,
    advice,
    formerRoots,
    ...(clientError !== undefined ? { clientError } : {}),
    ...(args.host !== undefined ? { host: args.host } : {}),
    purpose: args.purpose,
    maxDepth: args.maxDepth ?? DEFAULT_BUILD_OPTIONS.maxChainDepth,
    discardedKeys,
    notes: [
      ...(chain[0] && sent[0] && chain[0].id !== sent[0].id
        ? [
            `${certificateLabel(chain[0])} is judged as the server's certificate, though ${certificateLabel(sent[0])} came first: a server must send its own certificate first (a client takes the first it receives as the server's)`,
          ]
        : []),
      ...[...files, ...trustFiles].flatMap(({ source, report }) => [
        ...(report.needsPassword ? [`${source}: ${passwordHint(args.password)}`] : []),
        ...(report.discardedPrivateKeys > 0
          ? [`${source}: ${discardedKeysNotice(report.discardedPrivateKeys)}`]
          : []),
      ]),
    ],
  };
}

/** JSON with byte fields as hex and the DER trees left out: the analysis plus the CLI's own findings. */
export function toJson(r: ChainReport): string {
  return JSON.stringify(
    {
      ...r.analysis,
      ...(r.clientError !== undefined ? { clientError: r.clientError } : {}),
      remedies: r.remedies,
      advice: r.advice.map((a) => a.text),
      formerRoots: r.formerRoots,
      sources: r.sources,
      anchorsLoaded: r.loadedAnchors.length,
      discardedPrivateKeys: r.discardedKeys,
    },
    (key, value: unknown) => {
      if (key === 'asn1') return undefined;
      if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
      return value;
    },
    2,
  );
}

/** When the RFC 5280 every-path search was cut short: what cut it (analyze.ts, paths/build-paths.ts). */
function searchCut(r: ChainReport): string {
  const { truncated, truncation } = r.analysis;
  if (!truncated) return '';
  const b = DEFAULT_BUILD_OPTIONS;
  const by =
    truncation === 'depth'
      ? `--max-depth ${r.maxDepth} (at most ${r.maxDepth} certificate${r.maxDepth === 1 ? '' : 's'} a path)`
      : truncation === 'signature-checks'
        ? `its budget of ${b.maxSignatureChecks} signature checks`
        : truncation === 'paths'
          ? `its budget of ${b.maxPaths} paths`
          : `its budget of ${b.maxSteps} search steps`;
  return `, by the RFC 5280 every-path search, cut short by ${by}`;
}

function seconds(iso: string): string {
  return iso.replace(/\.000Z$/, 'Z');
}

export interface TextOptions {
  readonly verbose?: boolean;
  readonly color?: boolean;
}

/** The report, outcome first. */
export function formatText(r: ChainReport, options: TextOptions = {}): string {
  const a = r.analysis;
  const paint = painter(options.color === true);
  const lines: string[] = [];
  const byId = new Map([...a.certificates, ...r.loadedAnchors, ...a.anchors].map((c) => [c.id, c]));
  const name = (id: string) => {
    const c = byId.get(id);
    return c ? certificateLabel(c).replace(/^"(.*)"$/, '$1') : id.slice(0, 16);
  };
  const chosen = a.verdict;
  if (chosen.valid) {
    lines.push(
      `${paint('green', paint('bold', 'VALID'))} for ${chosen.profile}: ${(chosen.path ?? []).map(name).join(' -> ')}`,
    );
  } else if (chosen.error?.notChecked) {
    lines.push(`${paint('bold', 'NOT CHECKED')} for ${chosen.profile}: ${chosen.error.message}`);
  } else {
    lines.push(
      `${paint('red', paint('bold', 'NOT VALID'))} for ${chosen.profile}: ${r.clientError ?? 'no verdict'}`,
    );
    const at = chosen.error?.certificate;
    if (at)
      lines.push(
        `  at ${chosen.error?.depth !== undefined ? `depth ${chosen.error.depth}, ` : ''}${at.subject}`,
      );
  }
  lines.push(
    `  checked ${r.host !== undefined ? `for host ${r.host}, ` : 'with no host name, '}purpose ${r.purpose}, at ${seconds(a.time)}`,
  );

  if (r.advice.length) {
    lines.push(paint('bold', 'What would make it pass, and every problem on the path tried:'));
    for (const m of r.advice) lines.push(`  - ${m.text}`);
  }
  for (const f of r.formerRoots)
    lines.push(
      `  note: ${f.subject} was in the ${f.preset} store until Debian ca-certificates ${f.lastVersion} (${f.lastDate}); the preset no longer has it`,
    );

  lines.push(paint('bold', `Paths to a trust anchor (${a.paths.length})${searchCut(r)}:`));
  // The paths are the RFC 5280 search's; a profile other than rfc5280 builds its own chain, which that search's
  // depth limit does not bound (analyze.ts): say so when the limit cut the search, so the two do not seem to disagree.
  if (a.truncated && chosen.profile === 'rfc5280')
    lines.push('  the rfc5280 verdict above is that of the paths this search found');
  else if (a.truncation === 'depth')
    lines.push(
      `  the ${chosen.profile} verdict above comes from ${chosen.profile}'s own chain building, which --max-depth does not limit`,
    );
  a.paths.forEach((p, i) => {
    lines.push(`  ${i + 1}. [${p.status}] ${p.certificates.map(name).join(' -> ')}`);
    for (const reason of p.reasons)
      lines.push(`       ${reason.severity}: ${reason.message} (${reason.rule})`);
  });
  for (const d of a.deadEnds) lines.push(`  dead end (${d.why}): ${d.certificates.map(name).join(' -> ')}`);
  for (const e of a.graph.edges.filter((x) => x.signature === 'invalid' || x.signature === 'unsupported'))
    lines.push(`  ${e.signature} signature: ${name(e.child)} <- ${name(e.issuer)}: ${e.reason ?? ''}`);

  const others = (a.profiles ?? []).filter((p) => p.profile !== chosen.profile);
  if (others.length) {
    lines.push(paint('bold', 'Other profiles:'));
    const width = Math.max(...others.map((p) => p.profile.length));
    for (const p of others)
      lines.push(
        `  ${p.profile.padEnd(width)}  ${p.valid ? paint('green', 'valid') : p.error?.notChecked ? `NOT CHECKED  ${p.error.message}` : `${paint('red', 'NOT VALID')}  ${clientErrorText(p.profile, p.error) ?? ''}`}`,
      );
  }

  const describe = (c: CertView, tag: string) => {
    lines.push(`  ${tag.padEnd(3)} ${c.subject.rfc4514}`);
    lines.push(
      `      issuer ${c.selfIssued ? '(itself)' : c.issuer.rfc4514}; ${seconds(c.validity.notBefore)} .. ${seconds(c.validity.notAfter)}; sha256 ${c.fingerprints.sha256.slice(0, 16)}…`,
    );
    for (const d of c.defects) lines.push(`      defect: ${d.message} (${d.where}, byte ${d.offset})`);
  };
  lines.push(paint('bold', `Certificates sent (${a.certificates.length}):`));
  a.certificates.forEach((c, i) => describe(c, `#${i}`));

  const onPath = new Set([...a.paths.flatMap((p) => p.certificates), ...(chosen.path ?? [])]);
  const lookedFor = new Set(
    [...a.certificates, ...a.anchors.filter((c) => onPath.has(c.id))].map((c) => c.issuer.key),
  );
  const sentIds = new Set(a.certificates.map((c) => c.id));
  const anchors = options.verbose
    ? r.loadedAnchors
    : r.loadedAnchors.filter((c) => onPath.has(c.id) || lookedFor.has(c.subject.key));
  const shown = anchors.filter((c, i) => !sentIds.has(c.id) && anchors.findIndex((x) => x.id === c.id) === i);
  lines.push(
    paint(
      'bold',
      options.verbose
        ? `Trust anchors loaded (${r.loadedAnchors.length}):`
        : `Trust anchors on a path or named as an issuer (${shown.length} of ${r.loadedAnchors.length} loaded; --verbose lists all):`,
    ),
  );
  for (const c of shown) describe(c, 'ta');
  if (a.notSupported.length) lines.push(`Not checked here: ${a.notSupported.join(', ')}`);
  for (const p of a.problems) lines.push(`Input problem: ${p.where}: ${p.message}`);
  for (const note of r.notes) lines.push(`Note: ${note}`);
  return lines.join('\n');
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    const args = parseArgs(argv, io.env);
    const report = await analyze(args);
    io.out(
      `${args.json ? toJson(report) : formatText(report, { verbose: args.verbose, color: io.color })}\n`,
    );
    return report.analysis.verdict.valid ? 0 : 1;
  } catch (e) {
    io.err(`tls-lab chain: ${messageOf(e)}\n`);
    if (e instanceof InputError) io.err('Run `tls-lab chain --help` for the options.\n');
    return 2;
  }
}
