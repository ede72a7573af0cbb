import {
  formatHash,
  parseHash,
  readParams,
  writeParams,
  type HashLocation,
  type ParamSchema,
  type ParamValues,
} from '../url/hash';

/**
 * The current hash location as reactive state. Navigation pushes a history entry; control changes
 * (`setParams`) replace the current one, so Back leaves the view instead of undoing each keystroke.
 */
export class Router {
  #location = $state<HashLocation>(parseHash(''));

  constructor(private readonly win: Window) {
    this.#location = parseHash(win.location.hash);
    win.addEventListener('hashchange', () => {
      this.#location = parseHash(win.location.hash);
    });
  }

  get path(): readonly string[] {
    return this.#location.path;
  }

  get params(): URLSearchParams {
    return this.#location.params;
  }

  navigate(path: readonly string[], params?: URLSearchParams): void {
    this.win.location.hash = formatHash(path, params);
  }

  /** Replace the current entry (no new history entry, no hashchange), e.g. to complete a partial link. */
  replace(path: readonly string[], params?: URLSearchParams): void {
    const hash = formatHash(path, params);
    this.win.history.replaceState(this.win.history.state, '', hash);
    this.#location = parseHash(hash);
  }

  read<S extends ParamSchema>(schema: S): ParamValues<S> {
    return readParams(schema, this.#location.params);
  }

  setParams<S extends ParamSchema>(schema: S, values: Partial<ParamValues<S>>): void {
    // A throw-away copy that becomes a string at once; the reactive value is #location.
    const params = writeParams(schema, values, new URLSearchParams(this.#location.params));
    const hash = formatHash(this.#location.path, params);
    this.win.history.replaceState(this.win.history.state, '', hash);
    this.#location = parseHash(hash);
  }
}
