/**
 * verifyCertificateSignature for every algorithm the path builder meets, on certificates OpenSSL signs
 * here and now (the oracle: `openssl verify` agrees on each pair): RSA PKCS#1 v1.5 with SHA-1/256/384/512,
 * RSASSA-PSS, ECDSA P-256/P-384/P-521, Ed25519, Ed448, DSA (bigint, dsa.ts; checked against node:crypto too).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseCertificates, verifyCertificateSignature } from '../../../../src/lib/pki/parse.ts';
import { parseDsaPublicKey, verifyDsa } from '../../../../src/lib/pki/adapter/dsa.ts';
import type { CertView } from '../../../../src/lib/pki/types.ts';
import { openssl, tempDir } from './helpers.ts';

interface Case {
  name: string;
  keygen: string[];
  sign: string[];
  expected: string;
}

const CASES: Case[] = [
  {
    name: 'RSA PKCS#1 v1.5 SHA-1',
    keygen: ['-newkey', 'rsa:2048'],
    sign: ['-sha1'],
    expected: 'sha1WithRSAEncryption',
  },
  {
    name: 'RSA PKCS#1 v1.5 SHA-256',
    keygen: ['-newkey', 'rsa:2048'],
    sign: ['-sha256'],
    expected: 'sha256WithRSAEncryption',
  },
  {
    name: 'RSA PKCS#1 v1.5 SHA-384',
    keygen: ['-newkey', 'rsa:3072'],
    sign: ['-sha384'],
    expected: 'sha384WithRSAEncryption',
  },
  {
    name: 'RSA PKCS#1 v1.5 SHA-512',
    keygen: ['-newkey', 'rsa:2048'],
    sign: ['-sha512'],
    expected: 'sha512WithRSAEncryption',
  },
  {
    name: 'RSASSA-PSS SHA-256',
    keygen: ['-newkey', 'rsa:2048'],
    sign: ['-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'],
    expected: 'rsassa-pss',
  },
  {
    name: 'RSASSA-PSS SHA-384',
    keygen: ['-newkey', 'rsa:2048'],
    sign: ['-sha384', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:48'],
    expected: 'rsassa-pss',
  },
  {
    name: 'ECDSA P-256',
    keygen: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
    sign: ['-sha256'],
    expected: 'ecdsa-with-SHA256',
  },
  {
    name: 'ECDSA P-384',
    keygen: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
    sign: ['-sha384'],
    expected: 'ecdsa-with-SHA384',
  },
  {
    name: 'ECDSA P-521',
    keygen: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521'],
    sign: ['-sha512'],
    expected: 'ecdsa-with-SHA512',
  },
  { name: 'Ed25519', keygen: ['-newkey', 'ed25519'], sign: [], expected: 'ed25519' },
  { name: 'Ed448', keygen: ['-newkey', 'ed448'], sign: [], expected: 'ed448' },
];

let dir = '';
const issued = new Map<string, { root: CertView; leaf: CertView }>();

async function load(file: string): Promise<CertView> {
  const r = await parseCertificates(readFileSync(file, 'utf8'));
  expect(r.problems).toEqual([]);
  return r.certificates[0]!;
}

beforeAll(async () => {
  dir = tempDir();
  for (const [i, c] of CASES.entries()) {
    const root = join(dir, `root${i}`);
    const leaf = join(dir, `leaf${i}`);
    openssl([
      'req',
      '-x509',
      ...c.keygen,
      '-nodes',
      '-keyout',
      `${root}.key`,
      '-out',
      `${root}.pem`,
      '-subj',
      `/CN=Root ${i}`,
      '-days',
      '2',
      ...c.sign,
    ]);
    openssl([
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${leaf}.key`,
      '-out',
      `${leaf}.csr`,
      '-subj',
      `/CN=Leaf ${i}`,
    ]);
    openssl([
      'x509',
      '-req',
      '-in',
      `${leaf}.csr`,
      '-CA',
      `${root}.pem`,
      '-CAkey',
      `${root}.key`,
      '-CAcreateserial',
      '-out',
      `${leaf}.pem`,
      '-days',
      '1',
      ...c.sign,
    ]);
    // The oracle: OpenSSL itself accepts this signature.
    expect(openssl(['verify', '-CAfile', `${root}.pem`, `${leaf}.pem`]).toString()).toContain('OK');
    issued.set(c.name, { root: await load(`${root}.pem`), leaf: await load(`${leaf}.pem`) });
  }
}, 120_000);

describe('verifyCertificateSignature', () => {
  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s: verifies with the issuer, fails with another key and when tampered',
    async (name, c) => {
      const { root, leaf } = issued.get(name)!;
      expect(leaf.signatureAlgorithm.name).toBe(c.expected);
      expect(await verifyCertificateSignature(leaf, root)).toEqual({ ok: true });
      expect(await verifyCertificateSignature(root, root)).toEqual({ ok: true }); // self-signed
      const other = issued.get(name === 'ECDSA P-256' ? 'ECDSA P-384' : 'ECDSA P-256')!.root;
      const wrong = await verifyCertificateSignature(leaf, other);
      expect(wrong.ok).toBe(false);
      if (!wrong.ok) expect(wrong.reason).toMatch(/does not verify|issuer's key is|could not be checked/);
      const der = leaf.der.slice();
      const subjectNode = leaf.asn1.children[0]!.children.find((n) => n.id === 'cert.tbs.subject')!;
      const at = subjectNode.start + subjectNode.headerLength + 12;
      der[at] = der[at]! ^ 0x01;
      const tampered = await verifyCertificateSignature({ ...leaf, der }, root);
      expect(tampered.ok).toBe(false);
    },
  );

  it('EdDSA falls back to @noble/curves where WebCrypto lacks the curve (older browsers)', async () => {
    const real = globalThis.crypto.subtle.importKey.bind(globalThis.crypto.subtle);
    const spy = vi.spyOn(globalThis.crypto.subtle, 'importKey').mockImplementation(((
      ...args: Parameters<SubtleCrypto['importKey']>
    ) => {
      const alg = args[2] as { name?: string } | string;
      const name = typeof alg === 'string' ? alg : alg.name;
      if (name === 'Ed25519' || name === 'Ed448')
        return Promise.reject(new DOMException('Unrecognized name', 'NotSupportedError'));
      return real(...args);
    }) as SubtleCrypto['importKey']);
    try {
      for (const name of ['Ed25519', 'Ed448']) {
        const { root, leaf } = issued.get(name)!;
        expect(await verifyCertificateSignature(leaf, root), name).toEqual({ ok: true });
        const der = leaf.der.slice();
        der[40] = der[40]! ^ 0x01;
        expect((await verifyCertificateSignature({ ...leaf, der }, root)).ok, name).toBe(false);
      }
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('PSS carries its hash in the algorithm parameters', () => {
    expect(issued.get('RSASSA-PSS SHA-384')!.leaf.signatureAlgorithm).toEqual({
      oid: '1.2.840.113549.1.1.10',
      name: 'rsassa-pss',
      hash: 'SHA-384',
    });
  });

  it('DSA (dsa-with-SHA256, 2048/256) verifies like `openssl verify`; tampered TBS or signature fails', async () => {
    const root = join(dir, 'dsa');
    openssl([
      'genpkey',
      '-genparam',
      '-algorithm',
      'DSA',
      '-pkeyopt',
      'dsa_paramgen_bits:2048',
      '-out',
      `${root}.param`,
    ]);
    openssl([
      'req',
      '-x509',
      '-newkey',
      `dsa:${root}.param`,
      '-nodes',
      '-keyout',
      `${root}.key`,
      '-out',
      `${root}.pem`,
      '-subj',
      '/CN=DSA',
      '-days',
      '1',
      '-sha256',
    ]);
    expect(openssl(['verify', '-CAfile', `${root}.pem`, `${root}.pem`]).toString()).toContain('OK');
    const cert = await load(`${root}.pem`);
    expect(cert.publicKey).toMatchObject({ algorithm: 'DSA', bits: 2048 });
    expect(cert.signatureAlgorithm.name).toBe('dsa-with-SHA256');
    expect(await verifyCertificateSignature(cert, cert)).toEqual({ ok: true });
    const tbs = cert.der.slice();
    tbs[40] = tbs[40]! ^ 0x01;
    expect(await verifyCertificateSignature({ ...cert, der: tbs }, cert)).toEqual({
      ok: false,
      reason:
        "the dsa-with-SHA256 signature does not verify with the issuer's DSA key (issuer candidate CN=DSA)",
    });
    // The last byte of the DER is the last byte of s.
    const sig = cert.der.slice();
    sig[sig.length - 1] = sig[sig.length - 1]! ^ 0x01;
    expect((await verifyCertificateSignature({ ...cert, der: sig }, cert)).ok).toBe(false);
  }, 60_000);
});

describe('dsa.ts (FIPS 186-4 §4.7)', () => {
  // 2048/224 with SHA-256 and SHA-512: the digest is truncated to its leftmost N = 224 bits.
  const { publicKey, privateKey } = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 224 });
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  const { y, params } = parseDsaPublicKey(spki);
  const msg = new TextEncoder().encode('TLS Lab DSA');

  it('agrees with OpenSSL (node:crypto) on SHA-1/224/256/384/512, digest truncated to N bits', () => {
    expect(params).toBeDefined();
    expect(params!.q.toString(2)).toHaveLength(224);
    for (const [ours, node] of [
      ['SHA-1', 'sha1'],
      ['SHA-224', 'sha224'],
      ['SHA-256', 'sha256'],
      ['SHA-384', 'sha384'],
      ['SHA-512', 'sha512'],
    ] as const) {
      const signature = new Uint8Array(sign(node, msg, { key: privateKey, dsaEncoding: 'der' }));
      expect(verifyDsa(ours, msg, signature, y, params!), ours).toBe(true);
      expect(verifyDsa(ours, msg.subarray(1), signature, y, params!), ours).toBe(false);
      expect(verifyDsa(ours === 'SHA-1' ? 'SHA-256' : 'SHA-1', msg, signature, y, params!), ours).toBe(false);
    }
  });

  it('r and s outside (0, q) do not verify; malformed keys, parameters and signatures throw clearly', () => {
    const { q } = params!;
    const der = (r: bigint, s2: bigint): Uint8Array => {
      const int = (v: bigint): number[] => {
        let h = v.toString(16);
        if (h.length % 2) h = `0${h}`;
        const b = [...Buffer.from(h, 'hex')];
        if (b[0]! & 0x80) b.unshift(0);
        return [0x02, b.length, ...b];
      };
      const body = [...int(r), ...int(s2)];
      return new Uint8Array([0x30, body.length, ...body]);
    };
    expect(verifyDsa('SHA-256', msg, der(0n, 1n), y, params!)).toBe(false);
    expect(verifyDsa('SHA-256', msg, der(1n, q), y, params!)).toBe(false);
    expect(verifyDsa('SHA-256', msg, der(q, 1n), y, params!)).toBe(false);
    expect(() =>
      verifyDsa('SHA-256', msg, new Uint8Array([0x30, 0x06, 2, 1, 0xff, 2, 1, 1]), y, params!),
    ).toThrow('the DSA signature r is negative');
    expect(() =>
      verifyDsa('SHA-256', msg, new Uint8Array([0x30, 0x07, 2, 2, 0, 1, 2, 1, 1]), y, params!),
    ).toThrow('not minimally encoded');
    expect(() => verifyDsa('SHA-256', msg, new Uint8Array([...der(1n, 1n), 0]), y, params!)).toThrow(
      'the DSA signature has trailing bytes',
    );
    expect(() => verifyDsa('MD5', msg, der(1n, 1n), y, params!)).toThrow('DSA with MD5 is not supported');
    expect(() => verifyDsa('SHA-256', msg, der(1n, 1n), params!.p, params!)).toThrow('1 < y < p');
    expect(() => verifyDsa('SHA-256', msg, der(1n, 1n), y, { ...params!, g: 1n })).toThrow('1 < g < p');
    expect(() => verifyDsa('SHA-256', msg, der(1n, 1n), y, { ...params!, q: params!.q + 2n })).toThrow(
      'q does not divide p - 1',
    );
    expect(() => verifyDsa('SHA-256', msg, der(1n, 1n), y, { ...params!, p: 2n ** 511n + 1n })).toThrow(
      'the DSA prime p has 512 bits',
    );
    expect(() => parseDsaPublicKey(spki.subarray(0, spki.length - 1))).toThrow();
  });
});
