import type { ChainAnalysis, ProfileName, Purpose } from '../../lib/pki/index';
import { redactPrivateKeys } from '../../lib/bytes/pem';
import { isDateOnly, validationTime } from '../../lib/pki/validation-time';
import { TRUST_STORE_PRESETS, type FormerRoot } from '../../lib/pki/trust-stores/index';
import { chainSamples, findSample } from '../../content/chain/samples';
import { param, type ParamValues } from '../url/hash';
import type { Router } from './router.svelte';
import { chainHandoff, type HandoffChain } from './chain-handoff.svelte';
import { shortName } from '../model/chain/view-model';
import type { RpcClient } from '../workers/rpc';
import type { PkiMethods } from '../workers/pki.worker';
import type { ChainSessionResult, InputRole, PoolEntry } from '../workers/chain-session';

export const PROFILES: readonly { id: ProfileName; label: string }[] = [
  { id: 'openssl-3', label: 'OpenSSL 3 (libpq, psql)' },
  { id: 'openssl-1.0.2', label: 'OpenSSL 1.0.2 (old clients)' },
  { id: 'go', label: 'Go crypto/x509 (pgx)' },
  { id: 'webpki', label: 'rustls / webpki' },
  { id: 'rfc5280', label: 'RFC 5280 (any valid path)' },
];

export const TRUST_PRESETS = [
  { id: 'sample', label: "The sample's roots" },
  { id: 'mozilla', label: TRUST_STORE_PRESETS.find((p) => p.name === 'mozilla')?.title ?? 'Mozilla roots' },
  { id: 'azure-postgresql', label: 'Azure Database for PostgreSQL (three roots)' },
  { id: 'letsencrypt', label: "Let's Encrypt roots (ISRG X1, X2)" },
  { id: 'custom', label: 'Custom: the certificates you tick' },
  { id: 'loaded', label: 'The trust store you loaded' },
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
  /** The path shown: -1 = the one the client profile tried (its verdict's), else an index into every path. */
  path: param.int(-1, { min: -1, max: 999 }),
  /** The server's certificate, chosen by the user (first 16 hex of its SHA-256); '' = picked automatically. */
  leaf: param.string(''),
  cert: param.string(''),
  /** Custom trust: SHA-256 fingerprints (first 16 hex) of ticked certificates. */
  ticked: param.list([]),
};

export interface UserInput {
  readonly name: string;
  /** Pasted text, or the File itself (read in the worker, never on the page). */
  readonly content: string | Uint8Array | Blob;
  /** 'chain' (default): the server's certificate and intermediates; 'pool': intermediates; 'trust': the trust store. */
  readonly role?: InputRole;
}

/**
 * The Chain Lab's state: the URL-backed controls, the user's own inputs (in memory only), and the engine's
 * results, computed in a Web Worker.
 */
export class ChainLab {
  userInputs = $state.raw<UserInput[]>([]);
  report = $state.raw<ChainSessionResult['report'] | null>(null);
  pool = $state.raw<readonly PoolEntry[]>([]);
  advice = $state.raw<ChainSessionResult['advice']>([]);
  analysis = $state.raw<ChainAnalysis | null>(null);
  formerRoots = $state.raw<readonly FormerRoot[]>([]);
  busy = $state(false);
  error = $state<string | null>(null);
  password = $state('');
  #generation = 0;
  /** The analysis in flight, so that one change asking twice (URL effect + caller) makes one worker call. */
  #inflight: { inputs: readonly UserInput[]; key: string; done: Promise<void> } | null = null;

  readonly #router: Router;
  readonly #pki: RpcClient<PkiMethods>;

  constructor(router: Router, pki: RpcClient<PkiMethods>) {
    this.#router = router;
    this.#pki = pki;
    // The user's inputs outlive a visit to another lab (this tab's memory only).
    this.userInputs = [...chainHandoff.inputs];
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
  /** The day the date control shows (UTC): the chosen (or the sample's) time's day, else today. */
  get at(): string {
    return this.time.toISOString().slice(0, 10);
  }
  /** The chosen time as the label shows it: the day, or the instant when a time of day was given. */
  get atText(): string {
    const chosen = this.controls.at || this.sample?.at;
    return chosen && !isDateOnly(chosen) ? this.time.toISOString() : this.at;
  }
  /**
   * When the chain is judged, as `tls-lab chain --at` reads the same text (`validationTime`): noon UTC of a chosen
   * day, or the date and time given; without one, now (to the second), as `tls-lab chain` without --at.
   */
  get time(): Date {
    const chosen = this.controls.at || this.sample?.at;
    return (
      (chosen !== undefined && chosen !== '' ? validationTime(chosen) : undefined) ??
      new Date(Math.floor(Date.now() / 1000) * 1000)
    );
  }
  get purpose(): Purpose {
    return this.controls.purpose || this.sample?.purpose || 'serverAuth';
  }
  get profile(): ProfileName {
    return this.controls.profile || this.sample?.profile || 'openssl-3';
  }

  async addInputs(added: UserInput[]): Promise<void> {
    // A private key in pasted text is dropped here, before the text is kept (the page, the worker's cache, the
    // hand-off to the sslmode Lab): its BEGIN and END lines stay, so the load report still says one was discarded.
    const inputs = added.map((i) =>
      typeof i.content === 'string' ? { ...i, content: redactPrivateKeys(i.content) } : i,
    );
    this.userInputs = [...this.userInputs, ...inputs];
    chainHandoff.inputs = this.userInputs;
    // Without a sample there are no sample roots: a trust file is the trust store; else the usual system roots.
    const trust = inputs.some((i) => i.role === 'trust')
      ? 'loaded'
      : this.controls.trust === 'sample'
        ? 'mozilla'
        : this.controls.trust;
    this.set({ sample: '', path: -1, cert: '', trust });
    await this.refresh();
  }

  /** Drops the user's inputs (a sample was picked), here and in the tab's memory. */
  forgetInputs(): void {
    this.userInputs = [];
    chainHandoff.inputs = [];
  }

  async clearInputs(): Promise<void> {
    this.forgetInputs();
    this.report = null;
    this.analysis = null;
    this.formerRoots = [];
    this.advice = [];
    this.set({ sample: chainSamples[0]?.id ?? '', trust: 'sample', leaf: '', path: -1, cert: '' });
    await this.refresh();
  }

  /**
   * Parse, resolve the anchors and analyse, all in the worker. Stale results from an older call are dropped; a
   * call that asks for exactly what is already in flight (adding files changes the URL, whose effect refreshes,
   * and addInputs refreshes too) joins it instead of parsing the same bundle twice.
   */
  refresh(): Promise<void> {
    const inputs = this.userInputs;
    const request = {
      sampleServed: this.sample?.served ?? '',
      sampleAnchors: this.sample?.anchors ?? '',
      trust: this.controls.trust,
      ticked: this.controls.ticked,
      ...(this.controls.leaf ? { leaf: this.controls.leaf } : {}),
      ...(this.password ? { password: this.password } : {}),
      time: this.time,
      ...(this.host ? { hostname: this.host } : {}),
      purpose: this.purpose,
      profile: this.profile,
    };
    const key = JSON.stringify(request);
    const inflight = this.#inflight;
    if (inflight && inflight.inputs === inputs && inflight.key === key) return inflight.done;
    const done = this.#run({ ...request, inputs });
    const entry = { inputs, key, done };
    this.#inflight = entry;
    void done.finally(() => {
      if (this.#inflight === entry) this.#inflight = null;
    });
    return done;
  }

  async #run(request: Parameters<PkiMethods['runChainSession']>[0]): Promise<void> {
    const generation = ++this.#generation;
    this.busy = true;
    this.error = null;
    try {
      const result = await this.#pki.call('runChainSession', request);
      if (generation !== this.#generation) return;
      this.report = result.report;
      this.pool = result.pool;
      this.advice = result.advice;
      this.analysis = result.analysis;
      this.formerRoots = result.formerRoots;
      chainHandoff.chain = handoffOf(result.analysis);
    } catch (error) {
      if (generation === this.#generation)
        this.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (generation === this.#generation) this.busy = false;
    }
  }
}

/**
 * What the sslmode Lab can use: the certificates as shown (a server's ssl_cert_file), and the anchor of the
 * path the profile chose, else of the first path (a client's root.crt).
 */
function handoffOf(analysis: ChainAnalysis | null): HandoffChain | null {
  if (!analysis?.leaf) return null;
  const anchors = new Map(analysis.anchors.map((a) => [a.id, a]));
  const ends = [analysis.verdict.path, ...analysis.paths.map((p) => p.certificates)];
  const anchor = ends.map((ids) => (ids ? anchors.get(ids[ids.length - 1] ?? '') : undefined)).find(Boolean);
  return {
    leaf: shortName(analysis.leaf),
    chainPem: analysis.certificates.map((c) => toPem(c.der)).join(''),
    count: analysis.certificates.length,
    ...(anchor ? { anchor: { subject: shortName(anchor), pem: toPem(anchor.der) } } : {}),
    time: analysis.time,
  };
}

export function toPem(der: Uint8Array): string {
  let binary = '';
  for (const b of der) binary += String.fromCharCode(b);
  const base64 = btoa(binary).replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
}
