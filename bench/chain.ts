/**
 * Chain analysis timings, ours vs PKI.js's CertificateChainValidationEngine in the same process:
 * 1. the Azure www.microsoft.com chain (leaf + both CA 07 versions) against the full Mozilla preset, from PEM
 *    text to verdict (both sides parse the PEM; ours also enumerates every path and runs all five profiles);
 * 2. the 8-CA cross-signed mesh (57 generated CA certificates): our budgeted search vs PKI.js on the same input;
 * 3. a name-constraint-heavy chain (a leaf with 1,100 dNSName SANs under an intermediate with 1,100 permitted
 *    dNSName subtrees): from PEM to verdict, where every profile must end in its budget error well under a
 *    second (the issue-13 denial of service took 3-9 s and ended "valid").
 * Ratios only; medians of several runs.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pkijs from 'pkijs';
import * as asn1js from 'asn1js';
import { analyzeChain } from '../src/lib/pki/index.ts';
import { getTrustStore } from '../src/lib/pki/trust-stores/index.ts';
import { analyze, generate, T0, type Edge } from '../tests/kit/pure/trust-graph.ts';
import { median } from './_median.ts';

const AZ = fileURLToPath(new URL('../fixtures/public-ca/azure/', import.meta.url));
const pem = (f: string) => readFileSync(AZ + f, 'utf8');

function pemBlocks(text: string): Uint8Array[] {
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map(
    (m) => new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')),
  );
}

function pkiCert(der: Uint8Array): pkijs.Certificate {
  return new pkijs.Certificate({ schema: asn1js.fromBER(der.slice().buffer).result });
}

/** PKI.js on the mesh, in a child process killed after `timeoutMs` (it does not return on its own). */
function pkijsMesh(
  roots: Uint8Array[],
  certs: Uint8Array[],
  at: Date,
  timeoutMs: number,
): { ms: number; result: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tls-lab-bench-'));
  const file = join(dir, 'mesh.json');
  const b64 = (d: Uint8Array) => Buffer.from(d).toString('base64');
  writeFileSync(file, JSON.stringify({ roots: roots.map(b64), certs: certs.map(b64), at: at.toISOString() }));
  const helper = fileURLToPath(new URL('./_chain-pkijs-mesh.ts', import.meta.url));
  const t = performance.now();
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', helper, file], {
      encoding: 'utf8',
      timeout: timeoutMs,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const r = JSON.parse(out) as { ms: number; result: boolean };
    return { ms: r.ms, result: String(r.result) };
  } catch {
    return { ms: performance.now() - t, result: `no result within ${timeoutMs} ms (killed)` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default {
  name: 'chain',
  peer: 'pkijs CertificateChainValidationEngine',
  async run() {
    const served = [
      pem('leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem'),
      pem('int_azure-rsa-tls-issuing-ca-07_by-digicert-g2_xsign.pem'),
      pem('int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem'),
    ].join('');
    const mozilla = (await getTrustStore('mozilla')).pem;
    const at = new Date('2024-01-15T00:00:00Z');
    let oursValid = false;
    let peerValid = false;
    const ours_ms = await median(7, async () => {
      const a = await analyzeChain({
        certificates: served,
        trustAnchors: mozilla,
        time: at,
        hostname: 'www.microsoft.com',
      });
      oursValid = a.verdict.valid && a.paths.filter((p) => p.valid).length === 2;
    });
    const peer_ms = await median(7, async () => {
      const engine = new pkijs.CertificateChainValidationEngine({
        trustedCerts: pemBlocks(mozilla).map(pkiCert),
        certs: pemBlocks(served).map(pkiCert),
        checkDate: at,
      });
      peerValid = (await engine.verify()).result;
    });
    const anchors = pemBlocks(mozilla).length;

    // The mesh.
    const CAS = Array.from({ length: 8 }, (_, i) => `ca${i}`);
    const edges: Edge[] = [{ issuer: 'root', subject: 'ca7' }];
    for (const i of CAS) for (const j of CAS) if (i !== j) edges.push({ issuer: i, subject: j });
    edges.push({ issuer: 'ca0', subject: 'leaf' });
    const g = await generate({ roots: ['root'], leaf: 'leaf', graph: edges });
    let meshPaths = 0;
    let meshTruncated = false;
    const mesh_ours = await median(5, async () => {
      const a = await analyze(g, { allProfiles: true });
      meshPaths = a.paths.length;
      meshTruncated = a.truncated;
    });
    const peerMesh = pkijsMesh(
      g.rootPems.flatMap(pemBlocks),
      [g.leafPem, ...g.intermediatePems].flatMap(pemBlocks),
      T0,
      10_000,
    );
    const mesh_peer = peerMesh.ms;

    // Many names x many constraints.
    const many = (n: number) => Array.from({ length: n }, (_, i) => `n${i}.example.com`);
    const nc = await generate({
      roots: ['root'],
      leaf: 'leaf',
      graph: [
        { issuer: 'root', subject: 'inter', mutate: (t) => (t.permittedDns = many(1100)) },
        { issuer: 'inter', subject: 'leaf', mutate: (t) => (t.dns = many(1100)) },
      ],
    });
    const ncServed = nc.leafPem + nc.intermediatePems.join('');
    const ncAnchors = nc.rootPems.join('');
    let ncError = '';
    const nc_ours = await median(5, async () => {
      const a = await analyzeChain({ certificates: ncServed, trustAnchors: ncAnchors, time: T0 });
      ncError = a.verdict.valid ? 'VALID (wrong)' : (a.verdict.error?.code ?? '?');
    });
    let ncAll: string[] = [];
    const nc_all_profiles = await median(3, async () => {
      const a = await analyzeChain({
        certificates: ncServed,
        trustAnchors: ncAnchors,
        time: T0,
        compareProfiles: true,
      });
      ncAll = (a.profiles ?? []).map((p) => `${p.profile}: ${p.valid ? 'VALID' : (p.error?.message ?? '?')}`);
    });
    const nc_peer = await median(3, async () => {
      const engine = new pkijs.CertificateChainValidationEngine({
        trustedCerts: pemBlocks(ncAnchors).map(pkiCert),
        certs: pemBlocks(ncServed).map(pkiCert),
        checkDate: T0,
      });
      await engine.verify();
    });

    return [
      {
        name: 'chain: name-constraint-heavy (1,100 SANs x 1,100 subtrees), PEM to verdict',
        ours_ms: nc_ours,
        peer_ms: nc_peer,
        ratio: nc_ours / nc_peer,
        ours_error: ncError,
        ours_all_five_profiles_ms: nc_all_profiles,
        all_profiles: ncAll,
        under_one_second: nc_all_profiles < 1000,
      },
      {
        name: `chain: Azure leaf vs Mozilla preset (${anchors} roots), PEM to verdict`,
        ours_ms,
        peer_ms,
        ratio: ours_ms / peer_ms,
        ours_valid_2_paths: oursValid,
        peer_valid: peerValid,
      },
      {
        name: 'chain: 8-CA cross-signed mesh (57 CA certs), all profiles',
        ours_ms: mesh_ours,
        peer_ms: mesh_peer,
        ratio: mesh_ours / mesh_peer,
        ours_paths: meshPaths,
        ours_truncated: meshTruncated,
        peer_result: peerMesh.result,
      },
    ];
  },
};
