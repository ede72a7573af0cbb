/**
 * pickLeaf: a CA bundle loaded before the server's certificate does not become "the server's certificate".
 * Public certificates from fixtures/public-ca (Azure's chain for www.microsoft.com, Let's Encrypt roots).
 */
import { describe, expect, it } from 'vitest';
import { parseCertificates } from '../../../src/lib/pki/index';
import { leafFirst, pickLeaf } from '../../../src/lib/pki/leaf';
import { findSample } from '../../../src/content/chain/samples';

const parse = async (pem: string) => (await parseCertificates(pem)).certificates;
const cn = (c: { subject: { rfc4514: string } } | undefined) =>
  c && /CN=([^,]+)/.exec(c.subject.rfc4514)?.[1];

describe('pickLeaf', () => {
  it('roots and intermediates first, the server certificate last: the server certificate is picked', async () => {
    const azure = findSample('azure-cross-sign')!;
    const le = findSample('letsencrypt-2021')!;
    const certs = await parse([le.anchors, azure.anchors, azure.served].join('\n'));
    expect(cn(certs[0])).not.toBe('www.microsoft.com');
    expect(cn(pickLeaf(certs))).toBe('www.microsoft.com');
    expect(cn(pickLeaf(certs, { hostname: 'www.microsoft.com' }))).toBe('www.microsoft.com');
    expect(cn(leafFirst(certs, pickLeaf(certs))[0])).toBe('www.microsoft.com');
    expect(leafFirst(certs, pickLeaf(certs))).toHaveLength(certs.length);
  });

  it("the user's choice wins, by id prefix; an unknown choice falls back", async () => {
    const azure = findSample('azure-cross-sign')!;
    const certs = await parse(azure.served);
    const ca07 = certs[2]!;
    expect(pickLeaf(certs, { chosen: ca07.id.slice(0, 16) })?.id).toBe(ca07.id);
    expect(cn(pickLeaf(certs, { chosen: '0000000000000000' }))).toBe('www.microsoft.com');
  });

  it('only CA certificates: the first one (an intermediate checked as the end of a chain)', async () => {
    const le = findSample('letsencrypt-2021')!;
    const certs = await parse(le.served);
    expect(pickLeaf(certs)?.id).toBe(certs[0]!.id);
    expect(pickLeaf([])).toBeUndefined();
  });
});
