import type { HandshakeRun } from '../../lib/tls12/index';
import { buildScenario, handshakeSchema, type HandshakeControls } from '../model/handshake/scenario';
import { buildSteps, type LabStep } from '../model/handshake/steps';
import type { ParamValues } from '../url/hash';
import type { Router } from './router.svelte';
import type { RpcClient } from '../workers/rpc';
import type { TlsMethods } from '../workers/tls.worker';

/**
 * The Handshake Lab's state: controls in the URL, one complete run computed up front in a worker, and the
 * steps derived from its event log. Stepping never waits: it only moves `controls.step`.
 */
export class HandshakeLab {
  run = $state.raw<HandshakeRun | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  /** A capture opened from a file replaces the live run until cleared. */
  capture = $state.raw<{ name: string; run: HandshakeRun } | null>(null);
  #generation = 0;
  readonly #router: Router;
  readonly #tls: RpcClient<TlsMethods>;

  constructor(router: Router, tls: RpcClient<TlsMethods>) {
    this.#router = router;
    this.#tls = tls;
  }

  get controls(): HandshakeControls {
    return this.#router.read(handshakeSchema);
  }

  set(values: Partial<ParamValues<typeof handshakeSchema>>): void {
    this.#router.setParams(handshakeSchema, values);
  }

  get shown(): HandshakeRun | null {
    return this.capture?.run ?? this.run;
  }

  readonly built = $derived(buildSteps(this.shown?.eventLog ?? []));

  get steps(): LabStep[] {
    return this.built.steps;
  }

  get step(): number {
    return Math.min(this.controls.step, Math.max(0, this.steps.length - 1));
  }

  go(step: number): void {
    const last = Math.max(0, this.steps.length - 1);
    this.set({ step: Math.max(0, Math.min(last, step)) });
  }

  /** Re-run the handshake for the current controls (stale results from an older run are dropped). */
  async compute(): Promise<void> {
    const generation = ++this.#generation;
    this.busy = true;
    this.error = null;
    // A changed scenario is a different handshake: never show the old one's steps as if they were the new one's.
    this.run = null;
    try {
      const run = await this.#tls.call('runLab', buildScenario(this.controls));
      if (generation !== this.#generation) return;
      this.run = run;
    } catch (error) {
      if (generation === this.#generation)
        this.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (generation === this.#generation) this.busy = false;
    }
  }
}
