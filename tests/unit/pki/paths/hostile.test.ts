/**
 * Hostile graphs: cross-signing loops and an 8-CA mesh where every CA cross-signs every other one (56
 * certificates, 1,957 simple paths from the leaf's issuer to the rooted CA). The search must stay bounded,
 * finish quickly and say so with `truncated` when the budget cut it; every profile must terminate.
 */
import { describe, expect, it } from 'vitest';
import { analyze, generate, type Edge } from '../../../kit/pure/trust-graph.ts';

const CAS = Array.from({ length: 8 }, (_, i) => `ca${i}`);

function mesh(): Edge[] {
  const edges: Edge[] = [{ issuer: 'root', subject: 'ca7' }];
  for (const issuer of CAS)
    for (const subject of CAS) if (issuer !== subject) edges.push({ issuer, subject });
  edges.push({ issuer: 'ca0', subject: 'leaf' });
  return edges;
}

describe('hostile trust graphs', () => {
  it('terminates on two CAs that only cross-sign each other, with no path and no truncation', async () => {
    const g = await generate({
      roots: ['root'],
      leaf: 'leaf',
      graph: [
        { issuer: 'ca a', subject: 'ca b' },
        { issuer: 'ca b', subject: 'ca a' },
        { issuer: 'ca a', subject: 'leaf' },
      ],
    });
    const a = await analyze(g, { allProfiles: true });
    expect(a.paths).toEqual([]);
    expect(a.truncated).toBe(false);
    expect(a.deadEnds.map((d) => d.why)).toContain('loop');
    expect(a.profiles?.every((p) => !p.valid)).toBe(true);
  });

  it('bounds the 8-CA cross-signed mesh: truncated, quick, only distinct valid paths', async () => {
    const g = await generate({ roots: ['root'], leaf: 'leaf', graph: mesh() });
    expect(g.intermediates).toHaveLength(57);
    const t0 = performance.now();
    const a = await analyze(g, { allProfiles: true });
    const ms = performance.now() - t0;
    expect(a.truncated).toBe(true);
    // 57 CA certificates, 7 versions per CA name: ~400 candidate edges, so Go's 100-check budget binds first.
    expect(a.truncation).toBe('signature-checks');
    expect(a.paths.length).toBeGreaterThan(0);
    expect(new Set(a.paths.map((p) => p.display)).size).toBe(a.paths.length);
    expect(a.paths.every((p) => p.valid && p.display.endsWith('CN=ca7 -> CN=root'))).toBe(true);
    expect(a.signatureChecks).toBeLessThanOrEqual(100);
    expect(a.profiles?.map((p) => p.profile)).toEqual([
      'rfc5280',
      'openssl-3',
      'openssl-1.0.2',
      'go',
      'webpki',
    ]);
    console.log(
      `8-CA mesh: ${a.paths.length} paths, ${a.signatureChecks} signature checks, all profiles in ${ms.toFixed(0)} ms`,
    );
    expect(ms).toBeLessThan(5000);
  });

  it('with a large budget stops on the path count and says so', async () => {
    const g = await generate({ roots: ['root'], leaf: 'leaf', graph: mesh() });
    const t0 = performance.now();
    const a = await analyze(g, { budget: { maxSignatureChecks: 100_000, maxSteps: 100_000 } });
    const ms = performance.now() - t0;
    expect(a.truncated).toBe(true);
    expect(a.truncation).toBe('paths');
    expect(a.paths).toHaveLength(64);
    expect(new Set(a.paths.map((p) => p.display)).size).toBe(64);
    console.log(
      `8-CA mesh, large budget: 64 paths after ${a.signatureChecks} signature checks in ${ms.toFixed(0)} ms`,
    );
    expect(ms).toBeLessThan(10_000);
  });

  it('stops on the signature-check budget and says so', async () => {
    const g = await generate({ roots: ['root'], leaf: 'leaf', graph: mesh() });
    const a = await analyze(g, { budget: { maxSignatureChecks: 10 } });
    expect(a.truncated).toBe(true);
    expect(a.truncation).toBe('signature-checks');
    expect(a.signatureChecks).toBeLessThanOrEqual(10);
  });

  it('stops on the depth limit and says so', async () => {
    const g = await generate({ roots: ['root'], leaf: 'leaf', graph: mesh() });
    const a = await analyze(g, { maxChainDepth: 4, budget: { maxSignatureChecks: 1000 } });
    expect(a.truncated).toBe(true);
    expect(a.truncation).toBe('depth');
    // leaf -> ca0 -> ca7 -> root is the only path of at most 4 certificates
    expect(a.paths.map((p) => p.display)).toEqual(['CN=leaf -> CN=ca0 -> CN=ca7 -> CN=root']);
  });
});
