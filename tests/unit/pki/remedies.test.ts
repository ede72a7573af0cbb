/**
 * whatWouldPass (src/lib/pki/remedies.ts): what would make a failing chain pass, from the analysis alone,
 * on real public CA chains (fixtures/public-ca): the missing intermediate and which loaded file holds it, the
 * root to add, the dates a path is valid, the names the leaf holds, the cross-sign to stop sending.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  analyzeChain,
  parseCertificates,
  pathProblems,
  verdictAdvice,
  whatWouldPass,
  type AnalyzeChainInput,
  type PoolEntry,
} from '../../../src/lib/pki/index.ts';
import { findSample } from '../../../src/content/chain/samples.ts';
import { generate, T0 } from '../../kit/pure/trust-graph.ts';

const fixture = (path: string) =>
  readFileSync(new URL(`../../../fixtures/public-ca/${path}`, import.meta.url), 'utf8');
const LEAF = fixture('azure/leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem');
const CA07_MS = fixture('azure/int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem');
const CA07_XSIGN = fixture('azure/int_azure-rsa-tls-issuing-ca-07_by-digicert-g2_xsign.pem');
const MS_ROOT = fixture('azure/root_microsoft-rsa-root-ca-2017.pem');
const G2 = fixture('azure/root_digicert-global-root-g2.pem');
const AT = new Date('2024-01-15T00:00:00Z');

async function pool(files: Record<string, string>): Promise<PoolEntry[]> {
  const out: PoolEntry[] = [];
  for (const [source, pem] of Object.entries(files))
    for (const certificate of (await parseCertificates(pem)).certificates) out.push({ certificate, source });
  return out;
}

async function remedies(
  input: Omit<AnalyzeChainInput, 'time'> & { time?: Date },
  loaded: Record<string, string> = {},
) {
  const analysis = await analyzeChain({ time: AT, ...input });
  return { analysis, remedies: whatWouldPass(analysis, await pool(loaded)) };
}

describe('whatWouldPass', () => {
  it('a trusted intermediate (error 2): its issuer goes in the trust anchors, whether or not the server sends it', async () => {
    for (const sent of [LEAF + CA07_MS, LEAF + CA07_MS + MS_ROOT]) {
      const r = await remedies(
        { certificates: sent, trustAnchors: CA07_MS, profile: 'openssl-3' },
        { 'root.pem': MS_ROOT },
      );
      expect(r.analysis.verdict.error?.number).toBe(2);
      expect(r.remedies.map((m) => [m.kind, m.issuer, m.candidates?.map((c) => c.source)])).toEqual([
        [
          'add-anchor',
          'CN=Microsoft RSA Root Certificate Authority 2017,O=Microsoft Corporation,C=US',
          ['root.pem'],
        ],
      ]);
      expect(r.remedies[0]?.message).toMatch(/sending it does not help$/);
    }
  });

  it('a sent self-signed root that is not trusted (error 19), even beside a cross-certificate for it: trust it', async () => {
    const le = (name: string) => fixture(`letsencrypt/${name}.pem`);
    const r = await remedies({
      certificates:
        le('int_r3_by-isrg-root-x1') +
        le('root_isrg-root-x1_selfsigned') +
        le('int_isrg-root-x1_by-dst-root-ca-x3_crosssigned'),
      trustAnchors: G2,
      profile: 'openssl-3',
      time: new Date('2021-06-01T00:00:00Z'),
    });
    expect(r.analysis.verdict.error?.number).toBe(19);
    expect(r.remedies.map((m) => [m.kind, m.certificate?.subject])).toContainEqual([
      'add-anchor',
      'CN=ISRG Root X1,O=Internet Security Research Group,C=US',
    ]);
  });

  it('has nothing to say about a valid chain', async () => {
    const r = await remedies({ certificates: LEAF + CA07_MS, trustAnchors: MS_ROOT, profile: 'openssl-3' });
    expect(r.analysis.verdict.valid).toBe(true);
    expect(r.remedies).toEqual([]);
  });

  it('a missing intermediate: the issuer to send, the loaded file that holds it, and the AIA URL', async () => {
    const r = await remedies(
      { certificates: LEAF, trustAnchors: MS_ROOT, profile: 'openssl-3' },
      { 'ca07.pem': CA07_MS, 'other-root.pem': G2 },
    );
    expect(r.remedies).toHaveLength(1);
    const [m] = r.remedies;
    expect(m?.kind).toBe('send-issuer');
    expect(m?.certificate?.subject).toBe('CN=www.microsoft.com,O=Microsoft Corporation,L=Redmond,ST=WA,C=US');
    expect(m?.issuer).toBe('CN=Microsoft Azure RSA TLS Issuing CA 07,O=Microsoft Corporation,C=US');
    expect(m?.candidates?.map((c) => [c.source, c.selfSigned])).toEqual([['ca07.pem', false]]);
    expect(m?.caIssuers).toEqual([
      'http://www.microsoft.com/pkiops/certs/Microsoft%20Azure%20RSA%20TLS%20Issuing%20CA%2007%20-%20xsign.crt',
    ]);
    expect(m?.message).toContain('; "Microsoft Azure RSA TLS Issuing CA 07" (in ca07.pem) can serve as it');
  });

  it('a missing root: the anchor to add, from the loaded file that holds it', async () => {
    const r = await remedies(
      { certificates: LEAF + CA07_XSIGN, trustAnchors: MS_ROOT, profile: 'go' },
      { 'g2.pem': G2, 'ms.pem': MS_ROOT },
    );
    expect(r.remedies.map((m) => m.kind)).toEqual(['add-anchor']);
    expect(r.remedies[0]?.candidates?.map((c) => c.source)).toEqual(['g2.pem']);
    expect(r.remedies[0]?.message).toBe(
      'add the root "DigiCert Global Root G2" (in g2.pem) to the trust anchors: it issued "Microsoft Azure RSA TLS Issuing CA 07"',
    );
  });

  it('a self-signed certificate that was sent but is not trusted: trust it (only if you do)', async () => {
    const r = await remedies({ certificates: MS_ROOT, trustAnchors: G2, profile: 'openssl-3' });
    expect(r.analysis.verdict.error?.number).toBe(18);
    expect(r.remedies.map((m) => [m.kind, m.certificate?.subject])).toEqual([
      ['add-anchor', 'CN=Microsoft RSA Root Certificate Authority 2017,O=Microsoft Corporation,C=US'],
    ]);
  });

  it('an expired leaf: the window in which every certificate on the path is valid', async () => {
    const r = await remedies({
      certificates: LEAF + CA07_MS,
      trustAnchors: MS_ROOT,
      profile: 'webpki',
      time: new Date('2025-01-15T00:00:00Z'),
    });
    expect(r.remedies).toEqual([
      expect.objectContaining({
        kind: 'validity-window',
        path: 0,
        validBetween: { notBefore: '2023-09-14T17:24:20.000Z', notAfter: '2024-09-08T17:24:20.000Z' },
      }),
    ]);
  });

  it('a host-name mismatch: the names the leaf holds (and the window when it is expired too)', async () => {
    const r = await remedies({
      certificates: LEAF + CA07_MS,
      trustAnchors: MS_ROOT,
      hostname: 'example.org',
      profile: 'openssl-3',
      time: new Date('2025-01-15T00:00:00Z'),
    });
    expect(r.remedies.map((m) => m.kind)).toEqual(['validity-window', 'use-listed-name']);
    expect(r.remedies[1]?.names).toContain('DNS:www.microsoft.com');
  });

  it('Let’s Encrypt 2021 under OpenSSL 1.0.2: stop sending the cross-signed ISRG Root X1', async () => {
    const le = (f: string) => fixture(`letsencrypt/${f}`);
    const r = await remedies({
      certificates:
        le('int_r3_by-isrg-root-x1.pem') + le('int_isrg-root-x1_by-dst-root-ca-x3_crosssigned.pem'),
      trustAnchors: le('root_isrg-root-x1_selfsigned.pem') + le('root_dst-root-ca-x3_expired-2021.pem'),
      purpose: 'any',
      profile: 'openssl-1.0.2',
      time: new Date('2021-10-15T00:00:00Z'),
    });
    expect(r.analysis.verdict.valid).toBe(false);
    const drop = r.remedies.find((m) => m.kind === 'stop-sending');
    expect(drop?.certificate?.subject).toBe('CN=ISRG Root X1,O=Internet Security Research Group,C=US');
    expect(drop?.message).toMatch(
      /^stop sending "ISRG Root X1" \(certificate 2 of the 2 sent\): openssl-1\.0\.2 builds its chain through it/,
    );
    // Plain data: crosses the worker boundary.
    expect(structuredClone(r.remedies)).toEqual(r.remedies);
  });
});

const cnOf = (c: { subject: { rfc4514: string } }) => /CN=([^,]+)/.exec(c.subject.rfc4514)?.[1];

describe('pathProblems: every problem on the path the client tried (the Chain Lab verdict card)', () => {
  it('Azure, 2026-11-27, trusting only DigiCert Global Root G2: the Microsoft root to add, and the leaf expired in 2024', async () => {
    const sample = findSample('azure-cross-sign')!;
    const served = (await parseCertificates(sample.served)).certificates;
    const anchors = (await parseCertificates(sample.anchors)).certificates.filter(
      (c) => cnOf(c) === 'DigiCert Global Root G2',
    );
    expect(anchors).toHaveLength(1);
    const analysis = await analyzeChain({
      certificates: served,
      trustAnchors: anchors,
      time: new Date('2026-11-27T12:00:00Z'),
      hostname: 'www.microsoft.com',
      profile: 'openssl-3',
    });
    expect(analysis.verdict.error?.message).toMatch(/unable to get local issuer certificate/);
    const fixes = whatWouldPass(
      analysis,
      served.map((certificate) => ({ certificate, source: 'served' })),
    );
    expect(fixes.map((r) => r.message).join('\n')).toMatch(/Microsoft RSA Root Certificate Authority 2017/);
    expect(pathProblems(analysis, served).map((p) => p.text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /www\.microsoft\.com.* is valid from \d{4}-\d\d-\d\d to 2024-09-08; the check date 2026-11-27 is after that\.$/,
        ),
      ]),
    );
  });

  it("Let's Encrypt 2021-10-01 under OpenSSL 1.0.2: DST Root CA X3 expired, and the dates the path held", async () => {
    const sample = findSample('letsencrypt-2021')!;
    const analysis = await analyzeChain({
      certificates: sample.served,
      trustAnchors: sample.anchors,
      time: new Date('2021-10-01T12:00:00Z'),
      profile: 'openssl-1.0.2',
    });
    expect(analysis.verdict.valid).toBe(false);
    expect(pathProblems(analysis).map((p) => p.text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /DST Root CA X3" is valid from 2000-09-30 to 2021-09-30; the check date 2021-10-01 is after that\.$/,
        ),
        'Every certificate on this path is valid from 2021-01-20 to 2021-09-30.',
      ]),
    );
  });

  it('a passing verdict has none', async () => {
    const sample = findSample('letsencrypt-2021')!;
    const analysis = await analyzeChain({
      certificates: sample.served,
      trustAnchors: sample.anchors,
      time: new Date('2021-10-01T12:00:00Z'),
      profile: 'openssl-3',
    });
    expect(analysis.verdict.valid).toBe(true);
    expect(pathProblems(analysis)).toEqual([]);
  });
});

describe('verdictAdvice: the Chain Lab card says each fact once', () => {
  it("Let's Encrypt 2021-10-01 under OpenSSL 1.0.2: the tried path's window once, the fix, then its problems", async () => {
    const sample = findSample('letsencrypt-2021')!;
    const served = (await parseCertificates(sample.served)).certificates;
    const analysis = await analyzeChain({
      certificates: served,
      trustAnchors: sample.anchors,
      time: new Date('2021-10-01T12:00:00Z'),
      profile: 'openssl-1.0.2',
    });
    const texts = verdictAdvice(
      analysis,
      served.map((certificate) => ({ certificate, source: 'served' })),
    ).map((a) => a.text);
    expect(texts).toEqual([
      'stop sending "ISRG Root X1" (certificate 2 of the 2 sent): openssl-1.0.2 builds its chain through it, and path 1 (valid by the RFC 5280 checks, with no warning) does not need it',
      '"DST Root CA X3" is valid from 2000-09-30 to 2021-09-30; the check date 2021-10-01 is after that.',
      'Every certificate on this path is valid from 2021-01-20 to 2021-09-30.',
    ]);
  });
});

describe('whatWouldPass: stop sending a certificate only when the path left has no warning', () => {
  it('a path valid by RFC 5280 but for a SHA-1 signature is no reason to stop sending the other certificate', async () => {
    // "inter" twice, one key: by an untrusted root (sent first, which openssl-3 takes: error 20) and by the
    // trusted root with SHA-1 (valid by RFC 5280 with a warning; openssl-3 at level 2 refuses it: error 68).
    const g = await generate({
      roots: ['root t', 'root u'],
      leaf: 'leaf',
      graph: [
        { issuer: 'root u', subject: 'inter' },
        { issuer: 'root t', subject: 'inter', mutate: (t) => (t.sha1 = true) },
        { issuer: 'inter', subject: 'leaf' },
      ],
    });
    const analysis = await analyzeChain({
      certificates: g.leafPem + g.intermediatePems.join(''),
      trustAnchors: g.pem.get('root:root t')!,
      time: T0,
      profile: 'openssl-3',
    });
    expect(analysis.verdict.error?.number).toBe(20);
    expect(analysis.paths.some((p) => p.valid)).toBe(true);
    expect(whatWouldPass(analysis).filter((r) => r.kind === 'stop-sending')).toEqual([]);
  });
});

describe("whatWouldPass: the client's own host-name check (libpq's, in the Chain Lab)", () => {
  it('its failure, alone on an otherwise valid chain, gets the names the certificate holds', async () => {
    const g = await generate({ roots: ['root'], leaf: 'leaf', graph: [{ issuer: 'root', subject: 'leaf' }] });
    const analysis = await analyzeChain({
      certificates: g.leafPem,
      trustAnchors: g.rootPems.join(''),
      time: T0,
      profile: 'openssl-3',
      hostname: 'leaf.example.com',
      hostCheck: () => 'server certificate for "leaf.example.com" does not match host name "x"',
    });
    expect(analysis.verdict.error?.code).toBe('HOST_NAME_MISMATCH');
    expect(analysis.paths.every((p) => p.valid)).toBe(true);
    expect(whatWouldPass(analysis).map((r) => r.kind)).toContain('use-listed-name');
  });
});
