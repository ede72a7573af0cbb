import {
  diagnoseError,
  explainConnection,
  parseConninfo,
  type ConnectionOutcome,
  type Diagnosis,
  type Driver,
} from '../../lib/sslmode/index';
import {
  attackerScenarios,
  buildScenario,
  conninfoFor,
  DRIVERS,
  SSLMODES,
  sslmodeSchema,
  type SslmodeControls,
} from '../views/sslmode/scenario';
import type { ParamValues } from '../url/hash';
import { chainHandoff } from './chain-handoff.svelte';
import type { Router } from './router.svelte';

export interface MatrixCell {
  readonly driver: Driver;
  readonly sslmode: string;
  /** The connection string this cell used, in the driver's own syntax (to open the cell's trace). */
  readonly conninfo: string;
  readonly outcome: ConnectionOutcome;
}

export interface AttackerView {
  readonly strip: ConnectionOutcome;
  readonly impersonate: ConnectionOutcome;
}

/** The sslmode Lab's state: controls in the URL; outcomes recomputed by the engine when they change. */
export class SslmodeLab {
  outcome = $state.raw<ConnectionOutcome | null>(null);
  attacker = $state.raw<AttackerView | null>(null);
  matrix = $state.raw<MatrixCell[] | null>(null);
  diagnosis = $state.raw<Diagnosis | null>(null);
  reproduction = $state.raw<ConnectionOutcome | null>(null);
  errorText = $state('');
  error = $state<string | null>(null);
  #generation = 0;
  readonly #router: Router;

  constructor(router: Router) {
    this.#router = router;
  }

  get controls(): SslmodeControls {
    return this.#router.read(sslmodeSchema);
  }

  set(values: Partial<ParamValues<typeof sslmodeSchema>>): void {
    this.#router.setParams(sslmodeSchema, values);
  }

  async compute(): Promise<void> {
    const generation = ++this.#generation;
    const c = this.controls;
    try {
      const outcome = await explainConnection(buildScenario(c, c.conninfo, c.driver, chainHandoff.chain));
      const attacker = c.attacker ? await this.#attack(c) : null;
      const matrix = c.view === 'matrix' ? await this.#matrix(c) : null;
      if (generation !== this.#generation) return;
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

  async #attack(c: SslmodeControls): Promise<AttackerView> {
    const { strip, impersonate } = attackerScenarios(c, c.conninfo, c.driver, chainHandoff.chain);
    return { strip: await explainConnection(strip), impersonate: await explainConnection(impersonate) };
  }

  /** Every sslmode by every driver, for the same target and server. */
  async #matrix(c: SslmodeControls): Promise<MatrixCell[]> {
    const parsed = parseConninfo(c.conninfo);
    const o = parsed.ok ? parsed.options : new Map<string, string>();
    const endpoint = {
      host: o.get('host') ?? 'db.example.test',
      port: o.get('port') ?? '5432',
      user: o.get('user') ?? 'app',
      dbname: o.get('dbname') ?? o.get('user') ?? 'app',
      ...(o.get('password') ? { password: o.get('password') as string } : {}),
    };
    const cells: MatrixCell[] = [];
    for (const { id: driver } of DRIVERS) {
      for (const sslmode of SSLMODES) {
        const conninfo = conninfoFor(driver, endpoint, sslmode);
        const scenario = buildScenario(c, conninfo, driver, chainHandoff.chain);
        cells.push({ driver, sslmode, conninfo, outcome: await explainConnection(scenario) });
      }
    }
    return cells;
  }

  async diagnose(): Promise<void> {
    const diagnosis = diagnoseError(this.errorText);
    this.diagnosis = diagnosis;
    this.reproduction = diagnosis.reproduce ? await explainConnection(diagnosis.reproduce) : null;
  }
}
