/**
 * Parsing big inputs (moved here from the timed assertions of tests/interop/pki/parse/hostile.test.ts), ours vs
 * Node's crypto.X509Certificate (OpenSSL's d2i_X509 underneath) in the same process on the same certificates:
 * 1. a 10 MB DER stream repeating one certificate (ours: one certificate, every copy a duplicate block; the peer
 *    decodes each copy);
 * 2. a 5 MB bundle of 3,000 PEM blocks (ours from the text; the peer on each PEM block).
 * Ratios only; medians of several runs.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCertificates } from '../src/lib/pki/parse.ts';
import { median } from './_median.ts';

const PEM_R10 = readFileSync(
  fileURLToPath(new URL('../fixtures/public-ca/letsencrypt/int_r10_by-isrg-root-x1.pem', import.meta.url)),
  'utf8',
);

export default {
  name: 'parse',
  peer: 'node:crypto X509Certificate (OpenSSL d2i_X509)',
  async run() {
    const der = (await parseCertificates(PEM_R10)).certificates[0]?.der;
    if (!der) throw new Error('the R10 fixture did not parse');
    const copies = Math.floor((10 * 1024 * 1024) / der.length);
    const stream = new Uint8Array(copies * der.length);
    for (let i = 0; i < copies; i++) stream.set(der, i * der.length);
    let blocks = 0;
    const dup_ours = await median(3, async () => {
      blocks = (await parseCertificates(stream)).blocks.length;
    });
    const dup_peer = await median(3, () => {
      for (let i = 0; i < copies; i++)
        new X509Certificate(stream.subarray(i * der.length, (i + 1) * der.length));
    });

    const bundle = PEM_R10.repeat(3000);
    const pems = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? [];
    let pemBlocks = 0;
    const pem_ours = await median(3, async () => {
      pemBlocks = (await parseCertificates(bundle)).blocks.length;
    });
    const pem_peer = await median(3, () => {
      for (const p of pems) new X509Certificate(p);
    });

    return [
      {
        name: `parse: 10 MB DER stream of ${copies} copies of one certificate`,
        ours_ms: dup_ours,
        peer_ms: dup_peer,
        ratio: dup_ours / dup_peer,
        ours_blocks: blocks,
      },
      {
        name: `parse: 5 MB bundle of ${pems.length} PEM blocks`,
        ours_ms: pem_ours,
        peer_ms: pem_peer,
        ratio: pem_ours / pem_peer,
        ours_blocks: pemBlocks,
      },
    ];
  },
};
