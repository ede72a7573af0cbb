import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runChainSession } from '../../../src/app/workers/chain-session';
import { adaptAnalysis } from '../../../src/app/views/chain/adapt';
import { noPathText, triedPathKind } from '../../../src/app/model/chain/view-model';
import { clientErrorText, type ProfileName } from '../../../src/lib/pki/index';

const A = 'fixtures/public-ca/azure';
const read = (f: string) => readFileSync(`${A}/${f}`, 'utf8');
const served = [
  read('leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem'),
  read('int_azure-rsa-tls-issuing-ca-07_by-digicert-g2_xsign.pem'),
  read('int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem'),
].join('\n');
const base = {
  sampleServed: '',
  sampleAnchors: '',
  ticked: [],
  time: new Date('2024-01-15T12:00:00Z'),
  purpose: 'serverAuth' as const,
  profile: 'openssl-3' as const,
};

describe('the Chain Lab worker session', () => {
  it('parses, resolves a preset and analyses in one call, sending the page only light data', async () => {
    const result = await runChainSession({
      ...base,
      inputs: [{ name: 'served.pem', content: served }],
      trust: 'azure-postgresql',
    });
    expect(result.report.certificateCount).toBe(3);
    expect(result.pool.map((p) => p.subject.split(',')[0])).toEqual([
      'CN=www.microsoft.com',
      'CN=Microsoft Azure RSA TLS Issuing CA 07',
      'CN=Microsoft Azure RSA TLS Issuing CA 07',
    ]);
    expect(result.analysis?.paths.filter((p) => p.valid)).toHaveLength(2);
    expect('certificates' in result.report).toBe(false);
  });

  it('shows every certificate of a small pool, related to the leaf or not (large pools: see the e2e bulk test)', async () => {
    // Four PKITS certificates after an unrelated leaf: none of them can issue it.
    const pkits = readFileSync('fixtures/pkits/certs/GoodCACert.crt');
    const others = ['ValidCertificatePathTest1EE.crt', 'GoodsubCACert.crt', 'DSACACert.crt'].map((f) =>
      readFileSync(`fixtures/pkits/certs/${f}`),
    );
    const leaf = read('leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem');
    const inputs = [
      { name: 'leaf.pem', content: leaf },
      ...[pkits, ...others].map((b, i) => ({ name: `c${i}.crt`, content: new Uint8Array(b) })),
    ];
    const small = await runChainSession({ ...base, inputs, trust: 'azure-postgresql' });
    // A small pool is shown whole (extra certificates are part of the lesson).
    expect(small.analysis?.certificates).toHaveLength(5);
    expect(small.pool).toHaveLength(5);
  });

  it('reports a clear problem and no analysis for input without certificates', async () => {
    const result = await runChainSession({
      ...base,
      inputs: [{ name: 'junk.txt', content: 'hello' }],
      trust: 'sample',
    });
    expect(result.analysis).toBeNull();
    expect(result.report.certificateCount).toBe(0);
  });

  it('reads a File (a Blob) itself, so the page hands over the file without reading it', async () => {
    const file = new Blob([served], { type: 'application/x-pem-file' });
    const result = await runChainSession({
      ...base,
      inputs: [{ name: 'served.pem', content: file }],
      trust: 'azure-postgresql',
    });
    expect(result.report.certificateCount).toBe(3);
    expect(result.report.blocks.every((b) => b.where.startsWith('served.pem: '))).toBe(true);
    expect(result.analysis?.paths.filter((p) => p.valid)).toHaveLength(2);
  });

  it('says which file could not be read, and why', async () => {
    // A File whose underlying file was deleted or changed after it was chosen: reading it rejects.
    const gone = new Blob(['x']);
    gone.arrayBuffer = () => Promise.reject(new Error('NotReadableError: the file changed on disk'));
    await expect(
      runChainSession({ ...base, inputs: [{ name: 'bundle.pem', content: gone }], trust: 'sample' }),
    ).rejects.toThrow(
      'bundle.pem: the file could not be read (NotReadableError: the file changed on disk); choose it again',
    );
  });

  it('re-analyses a kept parse at another date and host, and parses a changed input again', async () => {
    const input = [{ name: 'served.pem', content: served }];
    const before = await runChainSession({ ...base, inputs: input, trust: 'azure-postgresql' });
    // The same text again (as the page sends it on every control change), after the leaf expired:
    const after = await runChainSession({
      ...base,
      time: new Date('2024-10-01T12:00:00Z'),
      hostname: 'www.microsoft.com',
      inputs: [{ name: 'served.pem', content: `${served}` }],
      trust: 'azure-postgresql',
    });
    expect(before.analysis?.verdict.valid).toBe(true);
    expect(after.analysis?.verdict.valid).toBe(false);
    expect(after.analysis?.verdict.error?.message).toBe('certificate has expired');
    expect(after.report.certificateCount).toBe(3);
    // Another text under the same name is another input: parsed afresh, not served from the kept parse.
    const leafOnly = served.slice(0, served.indexOf('-----END CERTIFICATE-----') + 25);
    const changed = await runChainSession({
      ...base,
      inputs: [{ name: 'served.pem', content: leafOnly }],
      trust: 'azure-postgresql',
    });
    expect(changed.report.certificateCount).toBe(1);
  });
});

describe('the Chain Lab worker session: roles and what would make it pass', () => {
  const leafPem = read('leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem');
  const ca07Ms = read('int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem');
  const mozillaBundle = readFileSync('fixtures/ca-certificates/mozilla.pem', 'utf8');

  it('a CA bundle loaded as the trust store, then a leaf: the verdict is about the leaf', async () => {
    const result = await runChainSession({
      ...base,
      inputs: [
        { name: 'ca-certificates.crt', content: mozillaBundle, role: 'trust' },
        { name: 'leaf.pem', content: leafPem },
        { name: 'ca07.pem', content: ca07Ms, role: 'pool' },
      ],
      trust: 'loaded',
      hostname: 'www.microsoft.com',
    });
    expect(result.analysis?.leaf?.subject.rfc4514).toMatch(/^CN=www\.microsoft\.com,/);
    expect(result.analysis?.verdict.valid).toBe(true);
    // Only the file loaded as the server's chain offers the server's certificate.
    expect(result.pool.filter((p) => p.chain).map((p) => p.subject.split(',')[0])).toEqual([
      'CN=www.microsoft.com',
    ]);
    expect(result.pool.filter((p) => p.trust).length).toBeGreaterThan(100);
  });

  it('a pool file never supplies the server certificate, even when it is the only non-CA', async () => {
    const result = await runChainSession({
      ...base,
      inputs: [
        { name: 'ca07.pem', content: ca07Ms },
        { name: 'more.pem', content: leafPem, role: 'pool' },
      ],
      trust: 'azure-postgresql',
    });
    expect(result.analysis?.leaf?.subject.rfc4514).toMatch(/^CN=Microsoft Azure RSA TLS Issuing CA 07,/);
  });

  it('Azure at 2026-11-27 trusting only DigiCert Global Root G2: add the Microsoft root (in a preset), and the leaf expired in 2024', async () => {
    const result = await runChainSession({
      ...base,
      time: new Date('2026-11-27T12:00:00Z'),
      hostname: 'www.microsoft.com',
      inputs: [
        { name: 'served.pem', content: served },
        { name: 'g2.pem', content: read('root_digicert-global-root-g2.pem'), role: 'trust' },
      ],
      trust: 'loaded',
    });
    expect(result.analysis?.verdict.error?.message).toBe('unable to get local issuer certificate');
    const texts = result.advice.map((r) => r.text);
    expect(texts).toContain(
      'add the root "Microsoft RSA Root Certificate Authority 2017" (in the Mozilla trust store), also in the Azure Database for PostgreSQL trust store, to the trust anchors: it issued "Microsoft Azure RSA TLS Issuing CA 07"',
    );
    expect(texts).toContain(
      '"www.microsoft.com" is valid from 2023-09-14 to 2024-09-08; the check date 2026-11-27 is after that.',
    );
  });
});

describe('the verdict card on a path that is not among the listed paths', () => {
  it('a pass is not said to reach no trust anchor; a leaf Go stops at is said to stop there', async () => {
    // The trust file holds Microsoft's CA 07 and Microsoft's root: the path search stops at the trusted CA 07,
    // OpenSSL goes on to the self-signed root and passes on leaf -> CA 07 -> root.
    const trust = [
      read('int_azure-rsa-tls-issuing-ca-07_by-microsoft-rsa-root-2017.pem'),
      read('root_microsoft-rsa-root-ca-2017.pem'),
    ].join('\n');
    const leaf = read('leaf_www.microsoft.com_by-azure-rsa-tls-issuing-ca-07_2023.pem');
    const run = (profile: ProfileName, hostname?: string) =>
      runChainSession({
        ...base,
        profile,
        ...(hostname ? { hostname } : {}),
        inputs: [
          { name: 'leaf.pem', content: leaf },
          { name: 'trust.pem', content: trust, role: 'trust' },
        ],
        trust: 'loaded',
      });
    const openssl = adaptAnalysis((await run('openssl-3')).analysis!);
    expect(openssl.verdict.valid).toBe(true);
    expect(openssl.verdict.pathIndex).toBeUndefined();
    expect(triedPathKind(openssl)).toBe('used');
    // Go checks the leaf's name before building a chain: the path it reports is the leaf alone.
    const go = adaptAnalysis((await run('go', 'other.example.com')).analysis!);
    expect(go.verdict.valid).toBe(false);

    expect(go.verdict.tried).toHaveLength(1);
    expect(triedPathKind(go)).toBe('stops');
  });
});

describe('the path list on why no path reaches an anchor', () => {
  it('names a bad signature, not a missing issuer (PKITS 4.1.2: the CA certificate its anchor did not sign)', async () => {
    const c = (f: string) => new Uint8Array(readFileSync(`fixtures/pkits/certs/${f}`));
    const result = await runChainSession({
      ...base,
      time: new Date('2020-01-01T12:00:00Z'),
      inputs: [
        { name: 'ee.crt', content: c('InvalidCASignatureTest2EE.crt') },
        { name: 'ca.crt', content: c('BadSignedCACert.crt') },
        { name: 'ta.crt', content: c('TrustAnchorRootCertificate.crt'), role: 'trust' },
      ],
      trust: 'loaded',
    });
    const vm = adaptAnalysis(result.analysis!);
    expect(vm.paths).toHaveLength(0);
    expect(noPathText(vm)).toBe(
      'a certificate with the right issuer name is there but did not sign it (the signature does not verify)',
    );
  });
});

describe("the verdict card's error line", () => {
  it("is the line the CLI prints (OpenSSL's verify format) and names the certificate", async () => {
    const result = await runChainSession({
      ...base,
      time: new Date('2026-01-15T12:00:00Z'),
      inputs: [{ name: 'served.pem', content: served }],
      trust: 'mozilla',
    });
    const vm = adaptAnalysis(result.analysis!);
    expect(vm.verdict.error?.line).toBe('error 10 at 0 depth lookup: certificate has expired');
    expect(vm.verdict.error?.line).toBe(clientErrorText('openssl-3', result.analysis!.verdict.error));
    expect(vm.verdict.error?.certificateId).toBe(result.analysis!.leaf!.id);
  });
});

describe('what this lab cannot check', () => {
  it('a path it cannot check is not called invalid (PKITS 4.8.4: requireExplicitPolicy, policy processing)', async () => {
    const c = (f: string) => new Uint8Array(readFileSync(`fixtures/pkits/certs/${f}`));
    const result = await runChainSession({
      ...base,
      time: new Date('2020-01-01T12:00:00Z'),
      inputs: [
        { name: 'ee.crt', content: c('ValidrequireExplicitPolicyTest4EE.crt') },
        { name: 'subsubsub.crt', content: c('requireExplicitPolicy0subsubsubCACert.crt') },
        { name: 'subsub.crt', content: c('requireExplicitPolicy0subsubCACert.crt') },
        { name: 'sub.crt', content: c('requireExplicitPolicy0subCACert.crt') },
        { name: 'ca.crt', content: c('requireExplicitPolicy0CACert.crt') },
        { name: 'ta.crt', content: c('TrustAnchorRootCertificate.crt'), role: 'trust' },
      ],
      trust: 'loaded',
    });
    const vm = adaptAnalysis(result.analysis!);
    expect(vm.paths.map((p) => p.status)).toEqual(result.analysis!.paths.map((p) => p.status));
    expect(vm.paths.map((p) => p.status)).toContain('unsupported');
  });

  it('an issuer whose signature it cannot check is drawn as neither valid nor invalid', async () => {
    const result = await runChainSession({
      ...base,
      inputs: [{ name: 'served.pem', content: served }],
      trust: 'mozilla',
    });
    const analysis = result.analysis!;
    const [first, ...rest] = analysis.graph.edges;
    const vm = adaptAnalysis({
      ...analysis,
      graph: {
        ...analysis.graph,
        edges: [
          { ...first!, signature: 'unsupported', reason: 'md5WithRSAEncryption is not supported' },
          ...rest,
        ],
      },
    });
    expect(vm.edges[0]).toMatchObject({ valid: false, unsupported: true });
    expect(vm.edges.slice(1).every((e) => !e.unsupported)).toBe(true);
  });
});

describe('what stands for an unreadable leaf', () => {
  const junk = (label: string) => `-----BEGIN ${label}-----\nnot base64 at all!!\n-----END ${label}-----\n`;
  const verdictOf = async (inputs: Parameters<typeof runChainSession>[0]['inputs'], leaf?: string) =>
    (await runChainSession({ ...base, inputs, trust: 'azure-postgresql', ...(leaf ? { leaf } : {}) }))
      .analysis!.verdict;

  it('the first block of what the server sent, when it is meant as a certificate', async () => {
    const v = await verdictOf([{ name: 'sent.pem', content: `${junk('CERTIFICATE')}${served}` }]);
    expect(v.valid).toBe(false);
  });

  it('not a certificate request or a public key pasted first, nor a trust file or a pool, nor a chosen leaf', async () => {
    for (const label of ['CERTIFICATE REQUEST', 'PUBLIC KEY'])
      expect((await verdictOf([{ name: 'sent.pem', content: `${junk(label)}${served}` }])).valid, label).toBe(
        true,
      );
    const trust = await verdictOf([
      { name: 'trust.pem', content: junk('CERTIFICATE'), role: 'trust' },
      { name: 'sent.pem', content: served },
    ]);
    expect(trust.error?.message ?? 'valid').not.toMatch(/could not be parsed/);
    const pool = await verdictOf([
      { name: 'pool.pem', content: junk('CERTIFICATE'), role: 'pool' },
      { name: 'sent.pem', content: served },
    ]);
    expect(pool.valid).toBe(true);
    const leafId = (
      await runChainSession({ ...base, inputs: [{ name: 's', content: served }], trust: 'azure-postgresql' })
    ).analysis!.leaf!.id;
    const chosen = await verdictOf(
      [{ name: 'sent.pem', content: `${junk('CERTIFICATE')}${served}` }],
      leafId.slice(0, 16),
    );
    expect(chosen.valid).toBe(true);
    // A choice pickLeaf does not take (too short a prefix) does not hide the unreadable first block.
    const ignored = await verdictOf(
      [{ name: 'sent.pem', content: `${junk('CERTIFICATE')}${served}` }],
      'abcd',
    );
    expect(ignored.valid).toBe(false);
  });
});

describe('files loaded only as a pool', () => {
  it('give no server certificate to judge', async () => {
    const result = await runChainSession({
      ...base,
      inputs: [{ name: 'pool.pem', content: served, role: 'pool' }],
      trust: 'azure-postgresql',
    });
    expect(result.pool.some((p) => p.chain)).toBe(false);
    expect(result.analysis).toBeNull();
  });
});
