/**
 * A tiny typed request/response protocol over a Worker: the page calls `client.call('analyzeChain', input)`
 * and gets a Promise; the worker side registers plain async functions. Results are plain data (they cross
 * by structured clone). Errors come back as messages, never as a dead worker.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a method table of arbitrary async functions
export type Methods = Record<string, (...args: any[]) => Promise<unknown>>;

interface Request {
  readonly id: number;
  readonly method: string;
  readonly args: unknown[];
}

type Response =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

export interface RpcClient<M extends Methods> {
  call<K extends keyof M & string>(method: K, ...args: Parameters<M[K]>): Promise<Awaited<ReturnType<M[K]>>>;
  terminate(): void;
}

export function createRpcClient<M extends Methods>(worker: Worker): RpcClient<M> {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  worker.addEventListener('message', (event: MessageEvent<Response>) => {
    const entry = pending.get(event.data.id);
    if (!entry) return;
    pending.delete(event.data.id);
    if (event.data.ok) entry.resolve(event.data.value);
    else entry.reject(new Error(event.data.error));
  });
  worker.addEventListener('error', (event) => {
    const error = new Error(`The background worker failed: ${event.message || 'unknown error'}`);
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  });
  return {
    call(method, ...args) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage({ id, method, args } satisfies Request);
      });
    },
    terminate() {
      worker.terminate();
      for (const entry of pending.values()) entry.reject(new Error('The background worker was stopped'));
      pending.clear();
    },
  };
}

/** Worker side: answer each request with the method's result or its error message. */
export function serveRpc(
  scope: { addEventListener: Worker['addEventListener']; postMessage: (message: Response) => void },
  methods: Methods,
): void {
  scope.addEventListener('message', async (event: MessageEvent<Request>) => {
    const { id, method, args } = event.data;
    const fn = methods[method];
    if (!fn) {
      scope.postMessage({ id, ok: false, error: `No such method in the worker: ${method}` });
      return;
    }
    try {
      scope.postMessage({ id, ok: true, value: await fn(...args) });
    } catch (error) {
      scope.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  });
}
