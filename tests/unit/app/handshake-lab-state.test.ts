/**
 * The Handshake Lab's state with tls=both: the same controls run once per version, both runs exposed as
 * `lab.compare` for the side-by-side view (and `lab.run` the TLS 1.3 one), `side` choosing whose steps are shown;
 * one version leaves `compare` empty.
 * The worker is the real runLab called in-process; the router reads a fixed URL.
 */
import { describe, expect, it } from 'vitest';
import { HandshakeLab } from '../../../src/app/state/handshake-lab.svelte.ts';
import type { Router } from '../../../src/app/state/router.svelte.ts';
import type { RpcClient } from '../../../src/app/workers/rpc.ts';
import { tlsMethods, type TlsMethods } from '../../../src/app/workers/tls-lab.ts';
import { readParams, type ParamSchema } from '../../../src/app/url/hash.ts';

function labAt(query: string): HandshakeLab {
  const params = new URLSearchParams(query);
  const router = { read: (schema: ParamSchema) => readParams(schema, params) } as unknown as Router;
  const tls = {
    call: (method: 'runLab', ...args: Parameters<TlsMethods['runLab']>) => tlsMethods[method](...args),
    terminate: () => undefined,
  } as unknown as RpcClient<TlsMethods>;
  return new HandshakeLab(router, tls);
}

describe('HandshakeLab.compute', () => {
  it('tls=both runs both versions with the same controls: lab.compare', async () => {
    const lab = labAt('tls=both&pg=sslrequest');
    await lab.compute();
    const compare = lab.compare!;
    expect([compare.tls12.summary?.version, compare.tls13.summary?.version]).toEqual([0x0303, 0x0304]);
    expect([compare.tls12.ok, compare.tls13.ok]).toEqual([true, true]);
    for (const run of [compare.tls12, compare.tls13])
      expect(run.eventLog.some((e) => e.kind === 'postgres' && e.label === 'SSLRequest')).toBe(true);
    expect(lab.run).toBe(compare.tls13);
  });

  it('one version: no comparison, the run of that version', async () => {
    const lab = labAt('tls=1.3');
    await lab.compute();
    expect(lab.compare).toBeNull();
    expect(lab.run?.summary?.version).toBe(0x0304);
  });

  it('tls=both: side picks whose steps are shown (1.3 by default), from the same two runs', async () => {
    for (const [query, version] of [
      ['tls=both', 0x0304],
      ['tls=both&side=1.3', 0x0304],
      ['tls=both&side=1.2', 0x0303],
    ] as const) {
      const lab = labAt(query);
      await lab.compute();
      expect(lab.shown?.summary?.version, query).toBe(version);
      expect(lab.shown).toBe(version === 0x0303 ? lab.compare?.tls12 : lab.compare?.tls13);
      expect(lab.steps.some((s) => s.title === 'ServerHelloDone')).toBe(version === 0x0303);
    }
  });

  it('side means nothing with one version', async () => {
    const lab = labAt('tls=1.3&side=1.2');
    await lab.compute();
    expect(lab.shown?.summary?.version).toBe(0x0304);
  });
});
