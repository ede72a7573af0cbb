/**
 * scanPem (bytes/pem.ts) where PEM's own line ends were lost: a file concatenated onto one without a final newline
 * (`cat a.pem b.pem`: END and the next BEGIN on one line, which OpenSSL's reader refuses with "bad end line"), and
 * PEM inside a JSON or YAML string with escaped line ends. Both blocks are read, at the text's own line numbers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pemToDer, scanPem } from '../../../src/lib/bytes/pem.ts';
import { parseCertificates } from '../../../src/lib/pki/index.ts';

const ecdsa = readFileSync('fixtures/demo-pki/server-ecdsa.crt', 'utf8').trim();
const rsa = readFileSync('fixtures/demo-pki/server-rsa.crt', 'utf8').trim();
const lines = (pem: string) => pem.split('\n').length;

describe('scanPem', () => {
  it('reads the block whose BEGIN follows an END on the same line, and says so', async () => {
    const text = `${ecdsa}${rsa}\n`;
    const { blocks } = scanPem(text);
    expect(blocks.map((b) => [b.startLine, b.endLine, b.result.ok, b.sharesLineWithEnd])).toEqual([
      [1, lines(ecdsa), true, undefined],
      [lines(ecdsa), lines(ecdsa) + lines(rsa) - 1, true, true],
    ]);
    expect(pemToDer(text, 'CERTIFICATE')).toEqual([
      ...pemToDer(ecdsa, 'CERTIFICATE'),
      ...pemToDer(rsa, 'CERTIFICATE'),
    ]);
    const report = await parseCertificates(text);
    expect(report.certificates).toHaveLength(2);
    expect(report.problems).toEqual([
      {
        where: `block 2 (PEM CERTIFICATE, lines ${lines(ecdsa)}-${lines(ecdsa) + lines(rsa) - 1})`,
        message: expect.stringContaining(`follows the END of the block before it on line ${lines(ecdsa)}`),
      },
    ]);
  });

  it('reads PEM inside a JSON string, with escaped line ends', () => {
    const json = JSON.stringify({ ca: `${ecdsa}\n`, cert: `${rsa}\r\n` }, null, 2);
    const { blocks } = scanPem(json);
    expect(blocks.map((b) => [b.label, b.startLine, b.endLine, b.result.ok])).toEqual([
      ['CERTIFICATE', 2, 2, true],
      ['CERTIFICATE', 3, 3, true],
    ]);
    expect(pemToDer(json, 'CERTIFICATE')).toEqual([
      ...pemToDer(ecdsa, 'CERTIFICATE'),
      ...pemToDer(rsa, 'CERTIFICATE'),
    ]);
  });
});
