import type { ParseReport } from '../../lib/pki/types';
import type { ChainAnalysis } from '../../lib/pki/index';
import { chainSamples, findSample, type Profile, type Purpose } from '../../content/chain/samples';
import { param, type ParamValues } from '../url/hash';
import type { Router } from './router.svelte';
import type { RpcClient } from '../workers/rpc';
import type { PkiMethods } from '../workers/pki.worker';

export const PROFILES: readonly { id: Profile; label: string }[] = [
  { id: 'openssl-3', label: 'OpenSSL 3 (libpq, psql, Node)' },
  { id: 'openssl-1.0.2', label: 'OpenSSL 1.0.2 (old clients)' },
  { id: 'go', label: 'Go crypto/x509 (pgx)' },
  { id: 'webpki', label: 'rustls / webpki' },
  { id: 'rfc5280', label: 'RFC 5280 (any valid path)' },
];

export const TRUST_PRESETS = [
  { id: 'sample', label: "The sample's roots" },
  { id: 'mozilla', label: 'Mozilla / Debian roots' },
  { id: 'azure-postgresql', label: 'Azure Database for PostgreSQL (three roots)' },
  { id: 'letsencrypt', label: "Let's Encrypt roots (ISRG X1, X2)" },
  { id: 'custom', label: 'Custom: the certificates you tick' },
] as const;
export type TrustPreset = (typeof TRUST_PRESETS)[number]['id'];

/** Every control of the Chain Lab that lives in the URL (never the user's own certificates). */
export const chainSchema = {
  sample: param.oneOf(['', ...chainSamples.map((s) => s.id)], chainSamples[0]?.id ?? ''),
  trust: param.oneOf(
    TRUST_PRESETS.map((t) => t.id),
    'sample',
  ),
  host: param.string(''),
  /** '' = the sample's own choice (or serverAuth). */
  purpose: param.oneOf(['', 'serverAuth', 'clientAuth', 'any'] as const, ''),
  at: param.date(''),
  /** '' = the sample's own choice (or OpenSSL 3). */
  profile: param.oneOf(['', ...PROFILES.map((p) => p.id)], ''),
  path: param.int(0, { min: 0, max: 999 }),
  cert: param.string(''),
  /** Custom trust: SHA-256 fingerprints (first 16 hex) of ticked certificates. */
  ticked: param.list([]),
};

export interface UserInput {
  readonly name: string;
  readonly content: string | Uint8Array;
}

/**
 * The Chain Lab's state: the URL-backed controls, the user's own inputs (in memory only), and the engine's
 * results, computed in a Web Worker.
 */
export class ChainLab {
  userInputs = $state.raw<UserInput[]>([]);
  report = $state.raw<ParseReport | null>(null);
  anchorReport = $state.raw<ParseReport | null>(null);
  analysis = $state.raw<ChainAnalysis | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  password = $state('');
  #generation = 0;

  readonly #router: Router;
  readonly #pki: RpcClient<PkiMethods>;

  constructor(router: Router, pki: RpcClient<PkiMethods>) {
    this.#router = router;
    this.#pki = pki;
  }

  /** The URL's controls, typed; reading them in a template or $derived tracks the URL. */
  get controls(): ParamValues<typeof chainSchema> {
    return this.#router.read(chainSchema);
  }

  get sample() {
    return this.userInputs.length === 0 ? findSample(this.controls.sample) : undefined;
  }

  set(values: Partial<ParamValues<typeof chainSchema>>): void {
    this.#router.setParams(chainSchema, values);
  }

  /** Effective values: a sample supplies defaults for what the URL leaves empty. */
  get host(): string {
    return this.controls.host || this.sample?.host || '';
  }
  get at(): string {
    return this.controls.at || this.sample?.at || new Date().toISOString().slice(0, 10);
  }
  get purpose(): Purpose {
    return this.controls.purpose || this.sample?.purpose || 'serverAuth';
  }
  get profile(): Profile {
    return (this.controls.profile || this.sample?.profile || 'openssl-3') as Profile;
  }

  async addInputs(inputs: UserInput[]): Promise<void> {
    this.userInputs = [...this.userInputs, ...inputs];
    this.set({ sample: '', path: 0, cert: '' });
    await this.refresh();
  }

  async clearInputs(): Promise<void> {
    this.userInputs = [];
    this.report = null;
    this.analysis = null;
    await this.refresh();
  }

  /** Parse the pool and the anchors, then analyse. Stale results from an older call are dropped. */
  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    this.busy = true;
    this.error = null;
    try {
      const pool = await this.#parsePool();
      if (generation !== this.#generation) return;
      this.report = pool;
      const anchors = await this.#anchorsPem(pool);
      const anchorReport = await this.#pki.call('parseCertificates', anchors);
      if (generation !== this.#generation) return;
      this.anchorReport = anchorReport;
      if (pool.certificates.length === 0) {
        this.analysis = null;
        return;
      }
      const analysis = await this.#pki.call('analyzeChain', {
        certificates: pool.certificates.map((c) => c.der),
        trustAnchors: anchorReport.certificates.map((c) => c.der),
        time: new Date(`${this.at}T12:00:00Z`),
        hostname: this.host || undefined,
        purpose: this.purpose,
        profile: this.profile,
      });
      if (generation !== this.#generation) return;
      this.analysis = analysis;
    } catch (error) {
      if (generation === this.#generation)
        this.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (generation === this.#generation) this.busy = false;
    }
  }

  async #parsePool(): Promise<ParseReport> {
    if (this.userInputs.length === 0) {
      return this.#pki.call('parseCertificates', this.sample?.served ?? '');
    }
    // Each input is parsed on its own so problems name the file; the pool keeps the order given.
    const reports = await Promise.all(
      this.userInputs.map((input) =>
        this.#pki.call('parseCertificates', input.content, { password: this.password || undefined }),
      ),
    );
    return mergeReports(
      reports,
      this.userInputs.map((i) => i.name),
    );
  }

  async #anchorsPem(pool: ParseReport): Promise<string> {
    const trust = this.controls.trust;
    if (trust === 'sample') return this.sample?.anchors ?? '';
    if (trust === 'custom') {
      const ticked = new Set(this.controls.ticked);
      return pool.certificates
        .filter((c) => ticked.has(c.id.slice(0, 16)))
        .map((c) => toPem(c.der))
        .join('\n');
    }
    const store = await this.#pki.call(
      'getTrustStore',
      trust as 'mozilla' | 'azure-postgresql' | 'letsencrypt',
    );
    return store.pem;
  }
}

export function mergeReports(reports: ParseReport[], names: string[]): ParseReport {
  const seen = new Set<string>();
  return {
    certificates: reports
      .flatMap((r) => r.certificates)
      .filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true))),
    crls: reports.flatMap((r) => r.crls),
    blocks: reports.flatMap((r, i) => r.blocks.map((b) => ({ ...b, where: `${names[i]}: ${b.where}` }))),
    problems: reports.flatMap((r, i) => r.problems.map((p) => ({ ...p, where: `${names[i]}: ${p.where}` }))),
    discardedPrivateKeys: reports.reduce((n, r) => n + r.discardedPrivateKeys, 0),
    needsPassword: reports.some((r) => r.needsPassword),
  };
}

export function toPem(der: Uint8Array): string {
  let binary = '';
  for (const b of der) binary += String.fromCharCode(b);
  const base64 = btoa(binary).replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
}
