/**
 * The certificate's ASN.1 tree: spans tile their parent exactly (no byte unexplained, none twice), the main
 * TBSCertificate fields have stable ids, and the bytes under each named node are what OpenSSL says they are.
 */
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCertificates } from '../../../../src/lib/pki/parse.ts';
import type { Asn1Node, CertView } from '../../../../src/lib/pki/types.ts';
import { PKITS, PUBLIC_CA, publicCaFiles } from './helpers.ts';

function end(n: Asn1Node): number {
  return n.start + n.headerLength + n.length;
}

/** Checks tiling recursively; returns every node. */
function checkTiling(n: Asn1Node, der: Uint8Array, out: Asn1Node[] = []): Asn1Node[] {
  out.push(n);
  expect(end(n)).toBeLessThanOrEqual(der.length);
  if (n.children.length > 0) {
    let p = n.start + n.headerLength;
    for (const c of n.children) {
      expect(c.start, `${c.id} starts where its previous sibling ended`).toBe(p);
      p = end(c);
      checkTiling(c, der, out);
    }
    expect(p, `${n.id}: children end where the parent ends`).toBe(end(n));
  }
  return out;
}

function byId(cert: CertView): Map<string, Asn1Node> {
  const all = checkTiling(cert.asn1, cert.der);
  const map = new Map(all.map((n) => [n.id, n]));
  expect(map.size, 'ids are unique').toBe(all.length);
  return map;
}

function bytes(cert: CertView, n: Asn1Node, contentsOnly = false): Buffer {
  return Buffer.from(cert.der.subarray(contentsOnly ? n.start + n.headerLength : n.start, end(n)));
}

async function allCerts(): Promise<CertView[]> {
  const out: CertView[] = [];
  for (const f of publicCaFiles())
    out.push(...(await parseCertificates(readFileSync(join(PUBLIC_CA, f), 'utf8'))).certificates);
  for (const f of readdirSync(join(PKITS, 'certs'))) {
    out.push(
      ...(await parseCertificates(new Uint8Array(readFileSync(join(PKITS, 'certs', f))))).certificates,
    );
  }
  return out;
}

const MAIN_IDS = [
  'cert',
  'cert.tbs',
  'cert.tbs.serialNumber',
  'cert.tbs.signature',
  'cert.tbs.issuer',
  'cert.tbs.validity',
  'cert.tbs.validity.notBefore',
  'cert.tbs.validity.notAfter',
  'cert.tbs.subject',
  'cert.tbs.subjectPublicKeyInfo',
  'cert.tbs.subjectPublicKeyInfo.algorithm',
  'cert.tbs.subjectPublicKeyInfo.subjectPublicKey',
  'cert.signatureAlgorithm',
  'cert.signatureValue',
];

describe('certificate ASN.1 tree', () => {
  it('spans tile their parent exactly and cover the whole DER, for all public-CA and PKITS certificates', async () => {
    const certs = await allCerts();
    expect(certs.length).toBe(publicCaFiles().length + 405);
    for (const cert of certs) {
      expect(cert.asn1.start).toBe(0);
      expect(end(cert.asn1)).toBe(cert.der.length);
      const ids = byId(cert);
      for (const id of MAIN_IDS) expect(ids.has(id), `${cert.subject.rfc4514}: ${id}`).toBe(true);
      if (cert.version === 3) {
        expect(ids.get('cert.tbs.version')?.label).toBe('Version');
        expect(ids.has('cert.tbs.extensions')).toBe(true);
        const list = ids.get('cert.tbs.extensions.list')!;
        expect(list.children).toHaveLength(cert.extensions.length);
        list.children.forEach((e, k) => {
          expect(e.id).toBe(`cert.tbs.extensions.${k}`);
          expect(ids.get(`cert.tbs.extensions.${k}.extnValue`)).toBeDefined();
        });
      }
    }
  });

  it('named nodes hold the bytes OpenSSL reports for those fields', async () => {
    const pemText = readFileSync(join(PUBLIC_CA, 'letsencrypt', 'int_r10_by-isrg-root-x1.pem'), 'utf8');
    const cert = (await parseCertificates(pemText)).certificates[0]!;
    const node = new X509Certificate(pemText);
    const ids = byId(cert);
    expect(
      bytes(cert, ids.get('cert.tbs.serialNumber')!, true).toString('hex').toUpperCase().replace(/^00/, ''),
    ).toBe(node.serialNumber);
    expect(bytes(cert, ids.get('cert.tbs.subject')!).toString('hex')).toBe(cert.subject.derHex);
    expect(bytes(cert, ids.get('cert.tbs.issuer')!).toString('hex')).toBe(cert.issuer.derHex);
    expect(
      bytes(cert, ids.get('cert.tbs.subjectPublicKeyInfo')!).equals(
        node.publicKey.export({ type: 'spki', format: 'der' }),
      ),
    ).toBe(true);
    const notAfter = bytes(cert, ids.get('cert.tbs.validity.notAfter')!, true).toString('latin1');
    expect(Date.parse(node.validTo)).toBe(
      Date.UTC(
        2000 + Number(notAfter.slice(0, 2)),
        Number(notAfter.slice(2, 4)) - 1,
        Number(notAfter.slice(4, 6)),
        Number(notAfter.slice(6, 8)),
        Number(notAfter.slice(8, 10)),
        Number(notAfter.slice(10, 12)),
      ),
    );
    expect(ids.get('cert.tbs.validity.notAfter')!.tag).toBe('UTCTime');
    expect(ids.get('cert.tbs.validity')!.label).toBe('Validity');
    expect(ids.get('cert.signatureValue')!.tag).toBe('BIT STRING');
    expect(ids.get('cert.tbs.extensions')!.tag).toBe('[3]');
  });
});
