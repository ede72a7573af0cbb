/**
 * remedies(): every failing verdict says what would make it pass and lists every problem on the path the client
 * tried. Real public chains (the Chain Lab's samples): Azure's CA 07 trusted only through DigiCert Global Root G2
 * late in 2026, and Let's Encrypt's 2021 cliff under OpenSSL 1.0.2.
 */
import { describe, expect, it } from 'vitest';
import { analyzeChain, parseCertificates } from '../../../src/lib/pki/index';
import { remedies } from '../../../src/lib/pki/remedies';
import { findSample } from '../../../src/content/chain/samples';

async function certs(pem: string) {
  return (await parseCertificates(pem)).certificates;
}
const cn = (c: { subject: { rfc4514: string } }) => /CN=([^,]+)/.exec(c.subject.rfc4514)?.[1];

describe('remedies', () => {
  it('Azure, 2026-11-27, trusting only DigiCert Global Root G2: add the Microsoft root, and the leaf expired', async () => {
    const sample = findSample('azure-cross-sign')!;
    const served = await certs(sample.served);
    const anchors = (await certs(sample.anchors)).filter((c) => cn(c) === 'DigiCert Global Root G2');
    expect(anchors).toHaveLength(1);
    const analysis = await analyzeChain({
      certificates: served,
      trustAnchors: anchors,
      time: new Date('2026-11-27T12:00:00Z'),
      hostname: 'www.microsoft.com',
      profile: 'openssl-3',
    });
    expect(analysis.verdict.valid).toBe(false);
    expect(analysis.verdict.error?.message).toMatch(/unable to get local issuer certificate/);
    const texts = remedies(analysis, served).map((r) => `${r.kind}: ${r.text}`);
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^missing-intermediate: .*CN=Microsoft RSA Root Certificate Authority 2017/),
        expect.stringMatching(/^validity: .*www\.microsoft\.com.* is valid from \d{4}-\d\d-\d\d to 2024-/),
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
    const out = remedies(analysis);
    expect(out.map((r) => r.text)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /DST Root CA X3" is valid from 2000-09-30 to 2021-09-30; the check date 2021-10-01 is after that/,
        ),
        expect.stringMatching(/^Every certificate on this path is valid from 2021-01-20 to 2021-09-30\.$/),
      ]),
    );
  });

  it('a passing verdict needs nothing', async () => {
    const sample = findSample('letsencrypt-2021')!;
    const analysis = await analyzeChain({
      certificates: sample.served,
      trustAnchors: sample.anchors,
      time: new Date('2021-10-01T12:00:00Z'),
      profile: 'openssl-3',
    });
    expect(analysis.verdict.valid).toBe(true);
    expect(remedies(analysis)).toEqual([]);
  });

  it('an untrusted self-signed root at the top: trust it', async () => {
    const sample = findSample('letsencrypt-2021')!;
    const analysis = await analyzeChain({
      certificates: sample.served + sample.anchors,
      trustAnchors: [],
      time: new Date('2021-06-01T12:00:00Z'),
      profile: 'openssl-3',
    });
    expect(analysis.verdict.valid).toBe(false);
    expect(remedies(analysis)[0]?.kind).toBe('add-anchor');
  });
});
