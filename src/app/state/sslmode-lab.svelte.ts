import {
  attackVerdict,
  troubleshoot,
  explainConnection,
  translateConninfo,
  type AttackVerdict,
  type ConnectionOutcome,
  type Troubleshooting,
  type Driver,
} from '../../lib/sslmode/index';
import {
  attackerScenarios,
  buildScenario,
  labStateFor,
  sslmodeHref,
  type Attack,
  DRIVERS,
  sslmodeSchema,
  type SslmodeControls,
} from '../model/sslmode/scenario';
import type { MatrixCell } from '../model/sslmode/matrix';
import type { ParamValues } from '../url/hash';
import { chainHandoff } from './chain-handoff.svelte';
import type { Router } from './router.svelte';
import type { RpcClient } from '../workers/rpc';
import type { SslmodeMethods } from '../workers/sslmode.worker';

/** One attack and what came of it (no outcome when the attack cannot be built for this server). */
export interface AttackResult {
  readonly attack: Attack;
  readonly outcome: ConnectionOutcome | null;
  readonly verdict: AttackVerdict | null;
}

/**
 * The sslmode Lab's state: controls in the URL; outcomes recomputed by the engine when they change. The matrix
 * (36 connections) runs in the sslmode worker, started the first time the matrix is shown; the one scenario,
 * its three attacks and the troubleshooter are a few connections each and run here.
 */
export class SslmodeLab {
  outcome = $state.raw<ConnectionOutcome | null>(null);
  attacker = $state.raw<AttackResult[] | null>(null);
  matrix = $state.raw<MatrixCell[] | null>(null);
  /** The troubleshooter's answer for the URL's `error` text, with its checked reproduction. */
  troubleshooting = $state.raw<Troubleshooting | null>(null);
  /** The reproduction as a lab state, when the lab's own controls give the same error. */
  reproductionHref = $state<string | null>(null);
  /** The troubleshooter's textarea (written to the URL's `error` when the user asks for an explanation). */
  errorText = $state('');
  /** What the last driver switch did to the connection string (this tab only, not in the URL). */
  translationNote = $state<string | null>(null);
  error = $state<string | null>(null);
  #generation = 0;
  readonly #router: Router;
  readonly #startWorker: () => RpcClient<SslmodeMethods>;
  #worker: RpcClient<SslmodeMethods> | null = null;

  constructor(router: Router, startWorker: () => RpcClient<SslmodeMethods>) {
    this.#router = router;
    this.#startWorker = startWorker;
  }

  /** Stop the worker, if the matrix ever started it. */
  dispose(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }

  get controls(): SslmodeControls {
    return this.#router.read(sslmodeSchema);
  }

  set(values: Partial<ParamValues<typeof sslmodeSchema>>): void {
    this.#router.setParams(sslmodeSchema, values);
  }

  /** Switch driver and rewrite the connection string in that driver's syntax, saying what was left out. */
  chooseDriver(driver: Driver): void {
    const c = this.controls;
    if (driver === c.driver) return;
    const label = DRIVERS.find((d) => d.id === driver)?.label ?? driver;
    const t = translateConninfo(c.conninfo, driver);
    if (!t) {
      this.translationNote = `The connection string could not be read, so it was kept as it is: write it the way ${label} takes it.`;
      this.set({ driver });
      return;
    }
    this.translationNote = `Connection string rewritten for ${label}.${
      t.dropped.length
        ? ` Not carried over (${label} has no such setting): ${t.dropped.join(', ')}.`
        : ' Everything was carried over.'
    }`;
    this.set({ driver, conninfo: t.conninfo });
  }

  async compute(): Promise<void> {
    const generation = ++this.#generation;
    const c = this.controls;
    try {
      // The worker computes the matrix while this thread explains the one scenario.
      const [outcome, attacker, matrix, troubleshooting] = await Promise.all([
        explainConnection(buildScenario(c, c.conninfo, c.driver, chainHandoff.chain)),
        c.attacker ? this.#attack(c) : null,
        c.view === 'matrix' ? this.#matrix(c) : null,
        c.view === 'troubleshoot' && c.error.trim() ? this.#troubleshoot(c.error) : null,
      ]);
      if (generation !== this.#generation) return;
      this.troubleshooting = troubleshooting?.result ?? null;
      this.reproductionHref = troubleshooting?.href ?? null;
      this.outcome = outcome;
      this.attacker = attacker;
      this.matrix = matrix;
      this.error = null;
    } catch (error) {
      if (generation !== this.#generation) return;
      // No stale verdict next to an error.
      this.outcome = null;
      this.attacker = null;
      this.matrix = null;
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  async #attack(c: SslmodeControls): Promise<AttackResult[]> {
    const results: AttackResult[] = [];
    for (const attack of attackerScenarios(c, c.conninfo, c.driver, chainHandoff.chain)) {
      const outcome = attack.scenario ? await explainConnection(attack.scenario) : null;
      results.push({ attack, outcome, verdict: outcome ? attackVerdict(attack.kind, outcome) : null });
    }
    return results;
  }

  /** Every sslmode by every driver, for the same target and server, computed in the worker. */
  #matrix(c: SslmodeControls): Promise<MatrixCell[]> {
    this.#worker ??= this.#startWorker();
    return this.#worker.call('matrixCells', c, chainHandoff.chain);
  }

  /** Explain the textarea's text: it goes into the URL, which recomputes. */
  diagnose(): void {
    this.set({ error: this.errorText });
  }

  async #troubleshoot(text: string): Promise<{ result: Troubleshooting; href: string | null }> {
    const result = await troubleshoot(text);
    const values = await labStateFor(result);
    return { result, href: values ? sslmodeHref(values) : null };
  }
}
