/**
 * Input formats people paste or drop, each produced by the real tool that makes them (OpenSSL CLI):
 * PEM bundles with junk, `openssl s_client -showcerts` output from a live `openssl s_server`, CRLF + BOM,
 * DER, PKCS#7 (crl2pkcs7), PKCS#12 (pkcs12 -export), TRUSTED CERTIFICATE (x509 -trustout), private keys
 * in every common encoding (discarded, never stored), and CRLs.
 */
import { spawn, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCertificates, verifyCrlSignature } from '../../../../src/lib/pki/parse.ts';
import type { ParseReport } from '../../../../src/lib/pki/types.ts';
import { ecPrivateScalar, expectNoSecret, openssl, PKITS, PUBLIC_CA, tempDir } from './helpers.ts';

const LE = (f: string): string => readFileSync(join(PUBLIC_CA, 'letsencrypt', f), 'utf8');
const R10 = LE('int_r10_by-isrg-root-x1.pem');
const X1 = LE('root_isrg-root-x1_selfsigned.pem');
const X2 = LE('root_isrg-root-x2_selfsigned.pem');

/** Lines in a text that ends with a newline. */
function lineCount(text: string): number {
  return text.split('\n').length - 1;
}

function fingerprint(pem: string): string {
  const out = openssl(['x509', '-noout', '-fingerprint', '-sha256'], pem).toString();
  return out.split('=')[1]!.trim().replaceAll(':', '').toLowerCase();
}

/** The report after a structured clone (the Worker boundary) must equal the original. */
function expectCloneable(report: ParseReport): void {
  expect(structuredClone(report)).toEqual(report);
}

let dir = '';
beforeAll(() => {
  dir = tempDir();
  const run = (args: string[]): void => void openssl(args);
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    join(dir, 'ca.key'),
    '-out',
    join(dir, 'ca.pem'),
    '-subj',
    '/CN=Format Test Root',
    '-days',
    '3',
  ]);
  run([
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    join(dir, 'leaf.key'),
    '-out',
    join(dir, 'leaf.csr'),
    '-subj',
    '/CN=localhost',
  ]);
  run([
    'x509',
    '-req',
    '-in',
    join(dir, 'leaf.csr'),
    '-CA',
    join(dir, 'ca.pem'),
    '-CAkey',
    join(dir, 'ca.key'),
    '-CAcreateserial',
    '-out',
    join(dir, 'leaf.pem'),
    '-days',
    '2',
  ]);
});

describe('PEM text', () => {
  it('finds certificates in a bundle with junk before, between and after the blocks', async () => {
    const text = `Here is the chain you asked for:\n\n${R10}\nsome notes; -----  not a marker\n${X1}trailing words without newline`;
    const report = await parseCertificates(text);
    expect(report.problems).toEqual([]);
    expect(report.certificates.map((c) => c.id)).toEqual([fingerprint(R10), fingerprint(X1)]);
    expect(report.blocks.map((b) => b.kind)).toEqual(['PEM CERTIFICATE', 'PEM CERTIFICATE']);
    expect(report.blocks[0]!.where).toMatch(/^lines 3-\d+$/);
    expectCloneable(report);
  });

  it('reads real `openssl s_client -showcerts` output from a live openssl s_server', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer();
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const server = spawn(
      'openssl',
      [
        's_server',
        '-accept',
        `127.0.0.1:${port}`,
        '-cert',
        join(dir, 'leaf.pem'),
        '-key',
        join(dir, 'leaf.key'),
        '-cert_chain',
        join(dir, 'ca.pem'),
        '-naccept',
        '1',
        '-quiet',
      ],
      { stdio: 'ignore' },
    );
    try {
      let output = '';
      for (let attempt = 0; attempt < 50 && !output.includes('BEGIN CERTIFICATE'); attempt++) {
        await new Promise((r) => setTimeout(r, 100));
        try {
          output = execFileSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-showcerts'], {
            input: '',
            stdio: ['pipe', 'pipe', 'pipe'],
            timeout: 5000,
          }).toString();
        } catch {
          output = '';
        }
      }
      expect(output).toContain('Certificate chain');
      const report = await parseCertificates(output);
      expect(report.problems).toEqual([]);
      expect(report.certificates.map((c) => c.subject.rfc4514)).toEqual([
        'CN=localhost',
        'CN=Format Test Root',
      ]);
      expect(report.certificates[0]!.id).toBe(fingerprint(readFileSync(join(dir, 'leaf.pem'), 'utf8')));
    } finally {
      server.kill();
    }
  });

  it('accepts CRLF line ends, a byte-order mark, indentation, trailing spaces and no final newline', async () => {
    const messy = `\uFEFF${R10.trim()
      .split('\n')
      .map((l) => `   ${l}  `)
      .join('\r\n')}`;
    for (const input of [messy, new TextEncoder().encode(messy)]) {
      const report = await parseCertificates(input);
      expect(report.problems).toEqual([]);
      expect(report.certificates.map((c) => c.id)).toEqual([fingerprint(R10)]);
    }
  });

  it('reads PEM from bytes even when the text starts with "0" (as DER would)', async () => {
    const report = await parseCertificates(new TextEncoder().encode(`0 s:CN = R10\n${R10}`));
    expect(report.problems).toEqual([]);
    expect(report.certificates.map((c) => c.id)).toEqual([fingerprint(R10)]);
  });

  it('accepts a certificate quoted in an e-mail reply ("> " and "> > ")', async () => {
    const quoted = `On Monday Bob wrote:\n${R10.split('\n')
      .map((l) => `> > ${l}`)
      .join('\n')}\n> thanks`;
    const report = await parseCertificates(quoted);
    expect(report.problems).toEqual([]);
    expect(report.certificates.map((c) => c.id)).toEqual([fingerprint(R10)]);
  });

  it('says which block and which line has invalid base64, and keeps the good blocks', async () => {
    const lines = X2.trim().split('\n');
    lines[3] = `${lines[3]!.slice(0, 10)}!${lines[3]!.slice(11)}`;
    const text = `${R10}${lines.join('\n')}\n`;
    const r10Lines = R10.trim().split('\n').length;
    const report = await parseCertificates(text);
    expect(report.certificates.map((c) => c.id)).toEqual([fingerprint(R10)]);
    expect(report.problems).toHaveLength(1);
    const start = r10Lines + 1;
    expect(report.problems[0]).toEqual({
      where: `block 2 (PEM CERTIFICATE, lines ${start}-${start + lines.length - 1})`,
      message: `base64 is invalid at line ${start + 3}: character "!" is not base64`,
    });
  });

  it('reports a block without its END line, and a truncated certificate with the byte offset', async () => {
    const noEnd = R10.replace('-----END CERTIFICATE-----', '');
    const r1 = await parseCertificates(noEnd);
    expect(r1.certificates).toEqual([]);
    expect(r1.problems[0]!.message).toMatch(/no "-----END CERTIFICATE-----" line after line 1/);
    const der = openssl(['x509', '-outform', 'DER'], X1);
    const cut = `-----BEGIN CERTIFICATE-----\n${der.subarray(0, 600).toString('base64')}\n-----END CERTIFICATE-----\n`;
    const r2 = await parseCertificates(cut);
    expect(r2.problems).toHaveLength(1);
    expect(r2.problems[0]!.where).toBe('block 1 (PEM CERTIFICATE, lines 1-3)');
    expect(r2.problems[0]!.message).toBe(
      `byte 0: DER length ${der.length - 4} runs past the end of the input (596 bytes available)`,
    );
  });

  it('lists a duplicate once and notes it', async () => {
    const report = await parseCertificates(`${R10}${X1}${R10}`);
    expect(report.certificates).toHaveLength(2);
    expect(report.blocks).toHaveLength(3);
    expect(report.blocks[2]!.certificateIds).toEqual([fingerprint(R10)]);
    expect(report.blocks[2]!.note).toMatch(/^duplicate of the certificate in block 1/);
    expect(report.problems).toEqual([]);
  });

  it('reads OpenSSL TRUSTED CERTIFICATE blocks (x509 -trustout)', async () => {
    const trusted = openssl(
      ['x509', '-trustout', '-addtrust', 'serverAuth', '-setalias', 'root'],
      X1,
    ).toString();
    expect(trusted).toContain('BEGIN TRUSTED CERTIFICATE');
    const report = await parseCertificates(trusted);
    expect(report.problems).toEqual([]);
    expect(report.certificates.map((c) => c.id)).toEqual([fingerprint(X1)]);
    expect(report.blocks[0]!.kind).toBe('PEM TRUSTED CERTIFICATE');
  });

  it('skips other PEM types with a reason (CSR, public key)', async () => {
    const csr = readFileSync(join(dir, 'leaf.csr'), 'utf8');
    const pub = openssl(['pkey', '-in', join(dir, 'leaf.key'), '-pubout']).toString();
    const report = await parseCertificates(`${csr}${pub}`);
    expect(report.certificates).toEqual([]);
    expect(report.problems.map((p) => p.message)).toEqual([
      'a PEM CERTIFICATE REQUEST block is not a certificate, CRL, PKCS#7 or PKCS#12; it was skipped',
      'a PEM PUBLIC KEY block is not a certificate, CRL, PKCS#7 or PKCS#12; it was skipped',
    ]);
  });
});

describe('binary formats', () => {
  it('reads DER (.cer/.der), one or several concatenated', async () => {
    const a = openssl(['x509', '-outform', 'DER'], R10);
    const b = openssl(['x509', '-outform', 'DER'], X2);
    const one = await parseCertificates(new Uint8Array(a));
    expect(one.problems).toEqual([]);
    expect(one.blocks).toEqual([
      { kind: 'DER certificate', where: `bytes 0-${a.length - 1}`, certificateIds: [fingerprint(R10)] },
    ]);
    const two = await parseCertificates(new Uint8Array(Buffer.concat([a, b])));
    expect(two.certificates.map((c) => c.id)).toEqual([fingerprint(R10), fingerprint(X2)]);
    expect(two.blocks[1]!.where).toBe(`bytes ${a.length}-${a.length + b.length - 1}`);
  });

  it('says where truncated DER fails: "bytes 0-N: DER length runs past the end of the input"', async () => {
    const a = openssl(['x509', '-outform', 'DER'], R10);
    const report = await parseCertificates(new Uint8Array(a.subarray(0, 1204)));
    expect(report.certificates).toEqual([]);
    expect(report.problems).toEqual([
      {
        where: 'bytes 0-1203',
        message: `DER length ${a.length - 4} runs past the end of the input (1200 bytes available)`,
      },
    ]);
  });

  it('reads PKCS#7 from openssl crl2pkcs7 -nocrl -certfile, PEM and DER', async () => {
    const bundle = join(dir, 'bundle.pem');
    writeFileSync(bundle, `${R10}${X1}${X2}`);
    const expected = [fingerprint(R10), fingerprint(X1), fingerprint(X2)];
    for (const outform of ['PEM', 'DER']) {
      const p7 = openssl(['crl2pkcs7', '-nocrl', '-certfile', bundle, '-outform', outform]);
      const report = await parseCertificates(outform === 'PEM' ? p7.toString() : new Uint8Array(p7));
      expect(report.problems).toEqual([]);
      expect(report.certificates.map((c) => c.id).sort()).toEqual([...expected].sort());
      expect(report.blocks).toHaveLength(1);
      expect(report.blocks[0]!.kind).toBe(outform === 'PEM' ? 'PEM PKCS7' : 'PKCS#7');
      expect(report.blocks[0]!.certificateIds).toHaveLength(3);
      expectCloneable(report);
    }
  });

  it('reads BER PKCS#7 with indefinite lengths (openssl cms -sign -stream), DER and PEM', async () => {
    writeFileSync(join(dir, 'msg.txt'), 'hello');
    for (const outform of ['DER', 'PEM']) {
      const p7 = openssl([
        'cms',
        '-sign',
        '-in',
        join(dir, 'msg.txt'),
        '-signer',
        join(dir, 'leaf.pem'),
        '-inkey',
        join(dir, 'leaf.key'),
        '-certfile',
        join(dir, 'ca.pem'),
        '-outform',
        outform,
        '-stream',
        '-nodetach',
      ]);
      if (outform === 'DER') expect([p7[0], p7[1]]).toEqual([0x30, 0x80]); // really indefinite-length BER
      const report = await parseCertificates(outform === 'PEM' ? p7.toString() : new Uint8Array(p7));
      expect(report.problems).toEqual([]);
      expect(report.certificates.map((c) => c.subject.rfc4514).sort()).toEqual([
        'CN=Format Test Root',
        'CN=localhost',
      ]);
      expect(report.blocks[0]!.note).toMatch(/^BER with indefinite lengths/);
    }
  });

  describe('PKCS#12 from openssl pkcs12 -export', () => {
    let p12: Uint8Array;
    beforeAll(() => {
      writeFileSync(join(dir, 'chain.pem'), readFileSync(join(dir, 'ca.pem')));
      p12 = new Uint8Array(
        openssl([
          'pkcs12',
          '-export',
          '-in',
          join(dir, 'leaf.pem'),
          '-inkey',
          join(dir, 'leaf.key'),
          '-certfile',
          join(dir, 'chain.pem'),
          '-passout',
          'pass:s3cret pass',
          '-name',
          'leaf',
        ]),
      );
    });

    it('with the right password: the certificates, and the key bag counted and dropped', async () => {
      const report = await parseCertificates(p12, { password: 's3cret pass' });
      expect(report.problems).toEqual([]);
      expect(report.needsPassword).toBeUndefined();
      expect(report.certificates.map((c) => c.subject.rfc4514).sort()).toEqual([
        'CN=Format Test Root',
        'CN=localhost',
      ]);
      expect(report.discardedPrivateKeys).toBe(1);
      expect(report.blocks[0]!.kind).toBe('PKCS#12');
      expect(report.blocks[0]!.note).toMatch(/1 private key bag\(s\) dropped/);
      const secret = ecPrivateScalar(join(dir, 'leaf.key'));
      expectNoSecret(report, secret);
    });

    it('with a wrong password: needsPassword and a clear problem', async () => {
      const report = await parseCertificates(p12, { password: 'wrong' });
      expect(report.needsPassword).toBe(true);
      expect(report.certificates).toEqual([]);
      expect(report.problems[0]!.message).toBe('the PKCS#12 password is wrong (the MAC does not verify)');
    });

    it('legacy PBE (openssl -legacy: RC2-40 certificates, 3DES key): read, the key bag dropped', async () => {
      const legacy = new Uint8Array(
        openssl([
          'pkcs12',
          '-export',
          '-legacy',
          '-in',
          join(dir, 'leaf.pem'),
          '-inkey',
          join(dir, 'leaf.key'),
          '-passout',
          'pass:pw',
        ]),
      );
      const report = await parseCertificates(legacy, { password: 'pw' });
      expect(report.problems).toEqual([]);
      expect(report.certificates.map((c) => c.subject.rfc4514)).toEqual(['CN=localhost']);
      expect(report.discardedPrivateKeys).toBe(1);
    });

    it('unencrypted, without MAC (-certpbe NONE -keypbe NONE -nomac): read without a password', async () => {
      const plain = new Uint8Array(
        openssl([
          'pkcs12',
          '-export',
          '-certpbe',
          'NONE',
          '-keypbe',
          'NONE',
          '-nomac',
          '-in',
          join(dir, 'leaf.pem'),
          '-inkey',
          join(dir, 'leaf.key'),
          '-passout',
          'pass:',
        ]),
      );
      const report = await parseCertificates(plain);
      expect(report.problems).toEqual([]);
      expect(report.certificates.map((c) => c.subject.rfc4514)).toEqual(['CN=localhost']);
      expect(report.discardedPrivateKeys).toBe(1);
      expectNoSecret(report, ecPrivateScalar(join(dir, 'leaf.key')));
    });

    it('without a password: needsPassword', async () => {
      const report = await parseCertificates(p12);
      expect(report.needsPassword).toBe(true);
      expect(report.problems[0]!.message).toBe('the PKCS#12 file is protected by a password; none was given');
      expectCloneable(report);
    });
  });
});

function rsaPrivateExponent(keyFile: string): Uint8Array {
  const text = openssl(['rsa', '-in', keyFile, '-noout', '-text']).toString();
  const m = /privateExponent:\s*\n([\s0-9a-f:]+?)\nprime1:/.exec(text);
  expect(m).not.toBeNull();
  return Buffer.from(m![1]!.replace(/[\s:]/g, ''), 'hex').subarray(1);
}

describe('private keys are recognised, counted and never kept', () => {
  it.each([
    ['PKCS#8 PEM (PRIVATE KEY)', ['pkey', '-in', 'leaf.key'], 'ec'],
    ['SEC1 PEM (EC PRIVATE KEY)', ['ec', '-in', 'leaf.key'], 'ec'],
    ['PKCS#1 PEM (RSA PRIVATE KEY)', ['rsa', '-in', 'ca.key', '-traditional'], 'rsa'],
    [
      'PKCS#8 encrypted PEM (ENCRYPTED PRIVATE KEY)',
      ['pkcs8', '-topk8', '-in', 'leaf.key', '-v2', 'aes256', '-passout', 'pass:x'],
      'ec',
    ],
  ] as const)('%s', async (_name, args, type) => {
    const keyText = openssl(args.map((a) => (a.endsWith('.key') ? join(dir, a) : a))).toString();
    const text = `${R10}${keyText}${X1}`;
    const report = await parseCertificates(text);
    expect(report.discardedPrivateKeys).toBe(1);
    expect(report.problems).toEqual([]);
    expect(report.certificates).toHaveLength(2);
    const keyBlock = report.blocks[1]!;
    expect(keyBlock.kind).toBe('private key (discarded)');
    expect(keyBlock.problem).toBeUndefined();
    expect(keyBlock.certificateIds).toEqual([]);
    const secret =
      type === 'ec' ? ecPrivateScalar(join(dir, 'leaf.key')) : rsaPrivateExponent(join(dir, 'ca.key'));
    expectNoSecret(report, secret);
    // The key's PEM body is nowhere in the report either.
    const body = keyText.split('\n').find((l) => l.length === 64)!;
    expect(JSON.stringify(report)).not.toContain(body);
    expectCloneable(report);
  });

  it('DER PKCS#8 (.der/.key binary) is recognised too', async () => {
    const der = openssl(['pkey', '-in', join(dir, 'leaf.key'), '-outform', 'DER']);
    const report = await parseCertificates(new Uint8Array(der));
    expect(report.discardedPrivateKeys).toBe(1);
    expect(report.blocks).toEqual([
      {
        kind: 'private key (discarded)',
        where: `bytes 0-${der.length - 1}`,
        certificateIds: [],
        note: 'DER: recognised and dropped, never stored',
      },
    ]);
    expectNoSecret(report, ecPrivateScalar(join(dir, 'leaf.key')));
  });
});

describe('CRLs', () => {
  const crlFiles = readdirSync(join(PKITS, 'crls')).sort();

  it('reads a PEM X509 CRL and a DER CRL the way openssl crl reads them', async () => {
    const file = join(
      PKITS,
      'crls',
      crlFiles.find((f) => f.startsWith('GoodCACRL'))!,
    );
    const pem = openssl(['crl', '-inform', 'DER', '-in', file, '-outform', 'PEM']).toString();
    const text = openssl([
      'crl',
      '-inform',
      'DER',
      '-in',
      file,
      '-noout',
      '-text',
      '-nameopt',
      'RFC2253',
    ]).toString();
    const issuer = /Issuer: (.+)/.exec(text)![1]!.trim();
    const last = Date.parse(/Last Update: (.+)/.exec(text)![1]!.trim());
    const next = Date.parse(/Next Update: (.+)/.exec(text)![1]!.trim());
    const serials = [...text.matchAll(/Serial Number: ([0-9A-F]+)/g)].map((m) => m[1]!.toLowerCase());
    for (const input of [pem, new Uint8Array(readFileSync(file))]) {
      const report = await parseCertificates(input);
      expect(report.problems).toEqual([]);
      expect(report.certificates).toEqual([]);
      expect(report.crls).toHaveLength(1);
      const crl = report.crls[0]!;
      expect(crl.issuer.rfc4514).toBe(issuer);
      expect(Date.parse(crl.thisUpdate)).toBe(last);
      expect(Date.parse(crl.nextUpdate!)).toBe(next);
      expect(crl.revokedSerials.map((s) => s.replace(/^0+(?=.)/, ''))).toEqual(
        serials.map((s) => s.replace(/^0+(?=.)/, '')),
      );
      expect(serials.length).toBeGreaterThan(0);
      expectCloneable(report);
    }
  });

  it('verifies a PKITS CRL signature with its issuer and rejects another CA', async () => {
    const crl = (await parseCertificates(new Uint8Array(readFileSync(join(PKITS, 'crls', 'GoodCACRL.crl')))))
      .crls[0]!;
    const good = (
      await parseCertificates(new Uint8Array(readFileSync(join(PKITS, 'certs', 'GoodCACert.crt'))))
    ).certificates[0]!;
    const trust = (
      await parseCertificates(
        new Uint8Array(readFileSync(join(PKITS, 'certs', 'TrustAnchorRootCertificate.crt'))),
      )
    ).certificates[0]!;
    expect(await verifyCrlSignature(crl, good)).toEqual({ ok: true });
    const wrong = await verifyCrlSignature(crl, trust);
    expect(wrong.ok).toBe(false);
  });
});

describe('limits', () => {
  it('refuses input over maxBytes with a clear message and parses nothing', async () => {
    const report = await parseCertificates(R10, { maxBytes: 100 });
    expect(report.certificates).toEqual([]);
    expect(report.problems).toEqual([
      {
        where: 'input',
        message: `the input is ${R10.length} characters, over the limit of 100 bytes: nothing was parsed`,
      },
    ]);
  });

  it('the default limit is 10 MB', async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    const t0 = performance.now();
    const report = await parseCertificates(big);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(report.problems[0]!.message).toBe(
      'the input is 10485761 bytes, over the limit of 10485760 bytes: nothing was parsed',
    );
  });

  it('stops at maxCertificates and says so', async () => {
    const report = await parseCertificates(`${R10}${X1}${X2}`, { maxCertificates: 2 });
    expect(report.certificates).toHaveLength(2);
    expect(report.problems).toEqual([
      {
        where: `block 3 (PEM CERTIFICATE, lines ${lineCount(R10) + lineCount(X1) + 1}-${lineCount(R10) + lineCount(X1) + lineCount(X2)})`,
        message: 'more than 2 certificates: the rest of the input was not read',
      },
    ]);
  });

  it('says so when the input holds nothing it knows', async () => {
    expect((await parseCertificates('hello world')).problems).toEqual([
      { where: 'input', message: 'no PEM block ("-----BEGIN ...-----") was found and the input is not DER' },
    ]);
    expect((await parseCertificates('')).problems).toEqual([
      { where: 'input', message: 'the input is empty' },
    ]);
  });
});
