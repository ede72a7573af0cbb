/**
 * The sslmode × driver matrix's cell model: each outcome falls in one of five classes, read from the outcome's
 * steps (outcomeFacts, the summary's own facts), and each class has its own word, glyph and tone, so that the
 * classes stay apart without colour (a projector, a grey-scale print, colour blindness).
 */
import {
  explainConnection,
  outcomeFacts,
  type ConnectionOutcome,
  type Driver,
} from '../../../lib/sslmode/index';
import type { HandoffChain } from '../../state/chain-handoff.svelte';
import { DRIVERS, matrixScenarios, SSLMODES, type SslmodeControls } from './scenario';

export type OutcomeClass = 'verified-full' | 'verified-ca' | 'unverified' | 'plaintext' | 'refused';

export interface OutcomeClassText {
  /** The word in the cell. */
  readonly word: string;
  /** A glyph that tells the class apart without colour (hidden from screen readers: the word says it). */
  readonly glyph: string;
  /** What the class means, for the legend. */
  readonly meaning: string;
}

/** In order from the best outcome to the one that fails. */
export const OUTCOME_CLASSES: Readonly<Record<OutcomeClass, OutcomeClassText>> = {
  'verified-full': {
    word: 'verified',
    glyph: '✓',
    meaning: 'encrypted; chain and host name checked',
  },
  'verified-ca': {
    word: 'chain only',
    glyph: '◐',
    meaning: 'encrypted; chain checked, not the name: any certificate of that CA passes',
  },
  unverified: {
    word: 'encrypted, unverified',
    glyph: '△',
    meaning: 'encrypted; nothing checked: anyone on the path can pose as the server',
  },
  plaintext: {
    word: 'plaintext',
    glyph: '✕',
    meaning: 'no encryption: anyone on the path reads everything',
  },
  refused: {
    word: 'fails',
    glyph: '⊘',
    meaning: 'no connection',
  },
};

/** The class of an outcome, from the facts of its decisive attempt. */
export function outcomeClass(outcome: ConnectionOutcome): OutcomeClass {
  const f = outcomeFacts(outcome);
  if (!f.connected) return 'refused';
  if (!f.encrypted) return 'plaintext';
  if (f.chain === 'verified' && f.hostname === 'verified') return 'verified-full';
  if (f.chain === 'verified') return 'verified-ca';
  return 'unverified';
}

export interface MatrixCell {
  readonly driver: Driver;
  readonly sslmode: string;
  /** The connection string this cell used, in the driver's own syntax (to open the cell's trace). */
  readonly conninfo: string;
  /** The lab's settings this driver has no equivalent for, left out of the cell (`key=value`). */
  readonly dropped: readonly string[];
  readonly outcome: ConnectionOutcome;
}

/**
 * Every cell for the lab's controls: each sslmode by each driver, for the target the connection string names
 * and the same server. The sslmode worker runs this (workers/sslmode.worker.ts), off the page's main thread.
 */
export async function matrixCells(
  c: SslmodeControls,
  handoff: HandoffChain | null = null,
): Promise<MatrixCell[]> {
  const cells: MatrixCell[] = [];
  for (const { driver, sslmode, conninfo, dropped, scenario } of matrixScenarios(c, handoff))
    cells.push({ driver, sslmode, conninfo, dropped, outcome: await explainConnection(scenario) });
  return cells;
}

export interface MatrixRow {
  readonly driver: Driver;
  readonly label: string;
  /** The driver's name alone, for the presenter view. */
  readonly short: string;
  readonly cells: readonly (MatrixCell & { readonly class: OutcomeClass })[];
}

/** Per driver, the settings of the lab's connection string its cells leave out (a driver has no equivalent). */
export function droppedByDriver(
  cells: readonly MatrixCell[],
): { driver: Driver; label: string; dropped: string[] }[] {
  return DRIVERS.flatMap((d) => {
    const dropped = [...new Set(cells.filter((c) => c.driver === d.id).flatMap((c) => c.dropped))];
    return dropped.length > 0 ? [{ driver: d.id, label: d.label, dropped }] : [];
  });
}

/** The matrix in display order: a row per driver, a cell per sslmode (cells the engine gave no answer for are left out). */
export function matrixRows(cells: readonly MatrixCell[]): MatrixRow[] {
  return DRIVERS.map((d) => ({
    driver: d.id,
    label: d.label,
    short: d.short,
    cells: SSLMODES.flatMap((m) => {
      const cell = cells.find((c) => c.driver === d.id && c.sslmode === m);
      return cell ? [{ ...cell, class: outcomeClass(cell.outcome) }] : [];
    }),
  }));
}
