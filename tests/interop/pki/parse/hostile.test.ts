/**
 * Hostile input (property tests with fast-check): random bytes, random text, and valid DER/PEM mutated by
 * byte flips, truncations and length-field changes. The parser must never throw, never hang (the test timeout
 * is the bound), and every failure must be a problem that says where and why. How long the big inputs take is
 * measured in bench/parse.ts against Node's X509Certificate, as a ratio: no timed assertion here.
 */
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCertificates } from '../../../../src/lib/pki/parse.ts';
import type { Asn1Node, ParseReport } from '../../../../src/lib/pki/types.ts';
import { openssl, PKITS, PUBLIC_CA, tempDir } from './helpers.ts';

const PEM_R10 = readFileSync(join(PUBLIC_CA, 'letsencrypt', 'int_r10_by-isrg-root-x1.pem'), 'utf8');
const DER_EE = new Uint8Array(readFileSync(join(PKITS, 'certs', 'ValidCertificatePathTest1EE.crt')));
const DER_CRL = new Uint8Array(readFileSync(join(PKITS, 'crls', 'GoodCACRL.crl')));

async function parseChecked(input: string | Uint8Array): Promise<ParseReport> {
  const report = await parseCertificates(input);
  for (const p of report.problems) {
    expect(p.where.length).toBeGreaterThan(0);
    expect(p.message.length).toBeGreaterThan(0);
    expect(p.message).not.toMatch(/undefined|\[object Object\]|internal error/);
  }
  for (const b of report.blocks) {
    expect(b.where.length).toBeGreaterThan(0);
    if (b.problem !== undefined) expect(b.problem.length).toBeGreaterThan(0);
  }
  // Something was either found or explained.
  expect(
    report.certificates.length + report.crls.length + report.problems.length + report.discardedPrivateKeys,
  ).toBeGreaterThan(0);
  expect(structuredClone(report)).toEqual(report);
  return report;
}

/** All length octets positions in a DER tree (the byte after the identifier). */
function lengthPositions(n: Asn1Node, out: number[] = []): number[] {
  out.push(n.start + 1);
  n.children.forEach((c) => lengthPositions(c, out));
  return out;
}

const cert = async (): Promise<Asn1Node> => (await parseCertificates(DER_EE)).certificates[0]!.asn1;

describe('hostile input never throws, never hangs, always explains', () => {
  it('random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 3000 }), async (bytes) => {
        await parseChecked(bytes);
      }),
      { numRuns: 400 },
    );
  });

  it('random bytes that start like DER (0x30)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 3000 }), async (bytes) => {
        const b = new Uint8Array(bytes.length + 1);
        b[0] = 0x30;
        b.set(bytes, 1);
        await parseChecked(b);
      }),
      { numRuns: 400 },
    );
  });

  it('random text, including PEM markers and base64 soup', async () => {
    const marker = fc.constantFrom(
      '-----BEGIN CERTIFICATE-----',
      '-----END CERTIFICATE-----',
      '-----BEGIN PKCS7-----',
      '-----BEGIN X509 CRL-----',
      '-----END X509 CRL-----',
      '-----BEGIN PRIVATE KEY-----',
      '-----END PRIVATE KEY-----',
      'MIIB',
      '\n',
      '\r\n',
      '> ',
      '=',
      'Proc-Type: 4,ENCRYPTED\n',
    );
    const text = fc
      .array(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }), marker), {
        minLength: 1,
        maxLength: 60,
      })
      .map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        if (t.length === 0) return;
        await parseChecked(t);
      }),
      { numRuns: 400 },
    );
  });

  it('valid DER with bytes flipped: still a report, and any certificate kept is self-consistent', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(DER_EE, DER_CRL),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }),
        async (base, flips) => {
          const b = base.slice();
          for (const [pos, x] of flips) b[pos % b.length] = b[pos % b.length]! ^ x;
          const report = await parseChecked(b);
          for (const c of report.certificates) expect(c.der.length).toBe(c.asn1.headerLength + c.asn1.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('valid DER truncated anywhere says which bytes and why', async () => {
    for (let cut = 1; cut < DER_EE.length; cut += 7) {
      const report = await parseChecked(DER_EE.subarray(0, cut));
      expect(report.certificates).toEqual([]);
      expect(report.problems).toHaveLength(1);
      expect(report.problems[0]!.where).toMatch(/^bytes 0-\d+$/);
    }
  });

  it('length fields changed (any TLV of the certificate, any new length byte)', async () => {
    const positions = lengthPositions(await cert());
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...positions),
        fc.integer({ min: 0, max: 255 }),
        async (pos, value) => {
          const b = DER_EE.slice();
          b[pos] = value;
          await parseChecked(b);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('mutated PEM (characters replaced, lines dropped or duplicated)', async () => {
    const lines = PEM_R10.split('\n');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('drop', 'dup', 'char')), { minLength: 1, maxLength: 5 }),
        fc.string({ minLength: 1, maxLength: 1 }),
        async (edits, ch) => {
          const ls = [...lines];
          for (const [n, kind] of edits) {
            const i = n % ls.length;
            if (kind === 'drop') ls.splice(i, 1);
            else if (kind === 'dup') ls.splice(i, 0, ls[i]!);
            else {
              const l = ls[i]!;
              const k = n % Math.max(1, l.length);
              ls[i] = l.slice(0, k) + ch + l.slice(k + 1);
            }
          }
          await parseChecked(ls.join('\n'));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('mutated PKCS#12, PKCS#7 and BER PKCS#7 (made by openssl) with bytes flipped or truncated', async () => {
    const dir = tempDir();
    openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      join(dir, 'k.pem'),
      '-out',
      join(dir, 'c.pem'),
      '-subj',
      '/CN=hostile',
      '-days',
      '1',
    ]);
    const p12 = new Uint8Array(
      openssl([
        'pkcs12',
        '-export',
        '-in',
        join(dir, 'c.pem'),
        '-inkey',
        join(dir, 'k.pem'),
        '-passout',
        'pass:pw',
      ]),
    );
    const p7 = new Uint8Array(
      openssl(['crl2pkcs7', '-nocrl', '-certfile', join(dir, 'c.pem'), '-outform', 'DER']),
    );
    writeFileSync(join(dir, 'm.txt'), 'x');
    const ber = new Uint8Array(
      openssl([
        'cms',
        '-sign',
        '-in',
        join(dir, 'm.txt'),
        '-signer',
        join(dir, 'c.pem'),
        '-inkey',
        join(dir, 'k.pem'),
        '-outform',
        'DER',
        '-stream',
        '-nodetach',
      ]),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(p12, p7, ber),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
        fc.nat(),
        async (base, flips, cut) => {
          const b = base.slice(0, base.length - (cut % 40));
          for (const [pos, x] of flips) b[pos % b.length] = b[pos % b.length]! ^ x;
          const report = await parseCertificates(b, { password: 'pw' });
          for (const p of report.problems) expect(p.where.length * p.message.length).toBeGreaterThan(0);
          expect(structuredClone(report)).toEqual(report);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('deeply nested SEQUENCEs (60,000 levels) do not overflow the stack', async () => {
    let inner = new Uint8Array([0x05, 0x00]);
    for (let i = 0; i < 60000; i++) {
      const len = inner.length;
      const header = [0x30, 0x84, (len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff];
      const next = new Uint8Array(header.length + len);
      next.set(header);
      next.set(inner, header.length);
      inner = next;
      if (inner.length > 400_000) break;
    }
    const report = await parseChecked(inner);
    expect(report.certificates).toEqual([]);
    expect(report.problems[0]!.message).toBe(
      'the DER element is not a certificate, CRL, PKCS#7, PKCS#12 or private key',
    );
  });

  it('junk that would make millions of blocks stops after 1,000 problems with a clear message', async () => {
    const emptySequences = new Uint8Array(10 * 1024 * 1024).map((_, i) => (i % 2 === 0 ? 0x30 : 0x00));
    const report = await parseCertificates(emptySequences);
    expect(report.problems).toHaveLength(1001);
    expect(report.problems[1000]).toEqual({
      where: 'byte 2000',
      message: 'more than 1000 problems: the rest of the input was not read',
    });
    const badPem = '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n'.repeat(100_000);
    const r2 = await parseCertificates(badPem);
    expect(r2.problems).toHaveLength(1001);
    expect(r2.problems[1000]!.message).toBe('more than 1000 problems: the rest of the input was not read');
  });

  it('a 10 MB DER stream repeating one certificate is recognised as duplicates', async () => {
    const der = (await parseCertificates(PEM_R10)).certificates[0]!.der;
    const copies = Math.floor((10 * 1024 * 1024) / der.length);
    expect(copies).toBeLessThan(10_000); // under the block limit (5,000 certificates + 5,000 other blocks)
    const stream = new Uint8Array(copies * der.length);
    for (let i = 0; i < copies; i++) stream.set(der, i * der.length);
    const report = await parseCertificates(stream);
    expect(report.certificates).toHaveLength(1);
    expect(report.problems).toEqual([]);
    expect(report.blocks).toHaveLength(copies);
  });

  it('a 5 MB bundle of 3,000 PEM blocks parses to one certificate and 3,000 blocks', async () => {
    const big = PEM_R10.repeat(3000);
    const report = await parseCertificates(big);
    expect(report.certificates).toHaveLength(1);
    expect(report.blocks).toHaveLength(3000);
  });
});
