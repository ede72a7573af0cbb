import type { HandshakeRun } from '../../lib/tls12/index';
import type {
  ConnectionChoice,
  ImportedConnection,
  ObservedReport,
  OpenedFile,
} from '../model/handshake/import';
import {
  buildScenarios,
  handshakeSchema,
  type HandshakeControls,
  type LabVersion,
} from '../model/handshake/scenario';
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
  /** The live run (with tls=both, the TLS 1.3 one; both are in `compare`). */
  run = $state.raw<HandshakeRun | null>(null);
  /** With tls=both: the same controls run once per version, for the side-by-side view. */
  compare = $state.raw<{ tls12: HandshakeRun; tls13: HandshakeRun } | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  /** A capture opened from a file replaces the live run until cleared (`imported`: a pcap/pcapng connection). */
  capture = $state.raw<{
    name: string;
    run: HandshakeRun;
    imported?: ImportedConnection;
    /** The decryption report a capture JSON carries (`tls-lab handshake --pcap --json`). */
    report?: ObservedReport;
    /** What the capture reader skipped (per-packet warnings, in words), and how many things in all. */
    warnings?: string[];
    skipped?: number;
  } | null>(null);
  /** A capture with several TLS connections, waiting for the user to pick one. */
  picker = $state.raw<Extract<OpenedFile, { kind: 'capture' }> | null>(null);
  /** Why the last file did not open (a sentence naming the file, what and where). */
  openError = $state<string | null>(null);
  /** The key log file chosen, if any. */
  keyLog = $state.raw<{ name: string; lines: number } | null>(null);
  /** The capture whose connection is shown (to re-observe it when the key log changes). */
  #openedCapture: Extract<OpenedFile, { kind: 'capture' }> | null = null;
  #generation = 0;
  /** Counts the returns to the live handshake (`#importing`'s `stale`). */
  #importEpoch = 0;
  /** Readings under way in the worker (files read, parsed or observed). */
  #readings = $state(0);
  readonly #router: Router;
  readonly #tls: RpcClient<TlsMethods>;

  /** A file is being read, parsed or observed in the worker, until the last reading ends. */
  get importing(): boolean {
    return this.#readings > 0;
  }

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
    if (this.capture) return this.capture.run;
    return this.compare && this.controls.side === '1.2' ? this.compare.tls12 : this.run;
  }

  /** Side by side: the run of the version not on show, for the outcome card's line about it. */
  get otherRun(): { version: LabVersion; run: HandshakeRun } | null {
    if (!this.compare) return null;
    return this.controls.side === '1.2'
      ? { version: '1.3', run: this.compare.tls13 }
      : { version: '1.2', run: this.compare.tls12 };
  }

  /** With tls=both: show `version`'s steps, at `step`. */
  open(version: '1.2' | '1.3', step: number): void {
    this.set({ side: version, step });
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

  /** Reads a dropped or chosen file in the worker: a tls-lab JSON run, or a capture's TLS connections. */
  async openFile(file: File): Promise<void> {
    await this.#importing(async (stale) => {
      const opened = await this.#tls.call('openCaptureFile', file);
      if (stale()) return;
      if (opened.kind === 'error') {
        this.openError = opened.message;
        return;
      }
      this.picker = null;
      if (opened.kind === 'json') {
        this.#openedCapture = null;
        this.#show({
          name: opened.name,
          run: opened.run,
          ...(opened.report ? { report: opened.report } : {}),
        });
        return;
      }
      this.#openedCapture = opened;
      const only = opened.choices.length === 1 ? opened.choices[0] : undefined;
      if (only) await this.#showConnection(only, stale);
      else this.picker = opened;
    });
  }

  /** Opens the chosen connection of the capture in the picker. */
  async pick(choice: ConnectionChoice): Promise<void> {
    await this.#importing((stale) => this.#showConnection(choice, stale));
  }

  /** A key log file (or none): the connection on show is observed again with it. */
  async setKeyLog(file: File | undefined): Promise<void> {
    await this.#importing(async (stale) => {
      this.keyLog = (await this.#tls.call('setKeyLog', file)) ?? null;
      const shown = this.capture?.imported?.connection;
      if (shown && this.#openedCapture && !stale()) await this.#showConnection(shown, stale);
    });
  }

  /** Back to the live handshake. */
  closeCapture(): void {
    this.#importEpoch++; // a reading still under way shows nothing when it ends
    this.capture = null;
    this.picker = null;
    this.openError = null;
  }

  /** The shown run as pcapng (its key log in a Decryption Secrets Block), written in the worker. */
  async pcapng(now: number): Promise<Uint8Array | null> {
    const run = this.shown;
    if (!run) return null;
    const c = this.capture?.imported?.connection;
    return this.#tls.call(
      'pcapngOf',
      run,
      c?.firstTime ?? now,
      c ? { client: c.client, server: c.server } : undefined,
    );
  }

  async #showConnection(choice: ConnectionChoice, stale: () => boolean): Promise<void> {
    const imported = await this.#tls.call('showConnection', choice.index);
    if (stale()) return;
    const name = this.#openedCapture?.name ?? 'capture';
    this.#show({
      name,
      run: imported.run,
      imported,
      warnings: this.#openedCapture?.warnings ?? [],
      skipped: this.#openedCapture?.skipped ?? 0,
    });
  }

  #show(capture: NonNullable<HandshakeLab['capture']>): void {
    this.capture = capture;
    this.go(0);
  }

  /**
   * Runs one reading of a file in the worker. `stale()` turns true once the user has gone back to the live handshake:
   * what this reading read is then not shown. (A key log chosen while a capture opens does not make it stale.)
   */
  async #importing(work: (stale: () => boolean) => Promise<void>): Promise<void> {
    const epoch = this.#importEpoch;
    const stale = () => epoch !== this.#importEpoch;
    this.#readings++;
    this.openError = null;
    try {
      await work(stale);
    } catch (error) {
      if (!stale()) this.openError = error instanceof Error ? error.message : String(error);
    } finally {
      this.#readings--;
    }
  }

  /** Re-run the handshake for the current controls (stale results from an older run are dropped). */
  async compute(): Promise<void> {
    const generation = ++this.#generation;
    this.busy = true;
    this.error = null;
    // A changed scenario is a different handshake: never show the old one's steps as if they were the new one's.
    this.run = null;
    this.compare = null;
    try {
      const runs = await Promise.all(buildScenarios(this.controls).map((s) => this.#tls.call('runLab', s)));
      if (generation !== this.#generation) return;
      const [tls12, tls13] = runs;
      if (tls12 && tls13) this.compare = { tls12, tls13 };
      this.run = runs.at(-1) ?? null;
    } catch (error) {
      if (generation === this.#generation)
        this.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (generation === this.#generation) this.busy = false;
    }
  }
}
