/**
 * redactPrivateKeys (bytes/pem.ts): what the Chain Lab keeps of pasted text. Every private key block loses its
 * contents, keeps its BEGIN and END lines (so parsing still counts a key discarded, at the same lines), and the rest
 * of the text, certificates included, is unchanged.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { redactPrivateKeys } from '../../../src/lib/bytes/pem.ts';
import { parseCertificates } from '../../../src/lib/pki/index.ts';

const cert = readFileSync('fixtures/demo-pki/server-ecdsa.crt', 'utf8');
const key = readFileSync('fixtures/demo-pki/server-ecdsa.key', 'utf8');
const rsaKey = readFileSync('fixtures/demo-pki/server-rsa.key', 'utf8');
const keyBody = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----'));

describe('redactPrivateKeys', () => {
  it('keeps no line of a key, keeps the certificates and the line numbers, and parsing still counts the keys', async () => {
    const text = `openssl output\n${key}\n${cert}\n> ${rsaKey.replace(/\n/g, '\n> ')}`;
    const redacted = redactPrivateKeys(text);
    for (const line of [...keyBody(key), ...keyBody(rsaKey)]) expect(redacted).not.toContain(line);
    expect(redacted).toContain(cert.trim());
    expect(redacted.split('\n')).toHaveLength(text.split('\n').length);
    const before = await parseCertificates(text);
    const after = await parseCertificates(redacted);
    expect(after.discardedPrivateKeys).toBe(2);
    expect(after.certificates.map((c) => c.id)).toEqual(before.certificates.map((c) => c.id));
    expect(after.blocks.map((b) => b.where)).toEqual(before.blocks.map((b) => b.where));
  });

  it('CRLF text, a key without its END line, and a key on its BEGIN line', () => {
    const crlf = `${key.replace(/\n/g, '\r\n')}`;
    for (const line of keyBody(key)) expect(redactPrivateKeys(crlf)).not.toContain(line);
    const cut = key.split('\n').slice(0, 3).join('\n');
    for (const line of keyBody(cut)) expect(redactPrivateKeys(cut)).not.toContain(line);
    const oneLine = `-----BEGIN PRIVATE KEY-----${keyBody(key).join('')}`;
    expect(redactPrivateKeys(oneLine)).toBe('-----BEGIN PRIVATE KEY-----');
  });

  it('leaves text without a key as it is', () => {
    expect(redactPrivateKeys(cert)).toBe(cert);
  });
});

describe('redactPrivateKeys where the key is not on lines of its own', () => {
  const cases: [string, string][] = [
    ['after a certificate END on the same line', `${cert.trim()}${key}`],
    ['inside a JSON string with escaped line ends', JSON.stringify({ tls: { key, cert } })],
    ['in a one-line YAML value', `key: "${key.trim().replace(/\n/g, '\\n')}"\n`],
  ];
  for (const [what, text] of cases)
    it(`${what}: no line of the key stays, and parsing counts one key discarded`, async () => {
      const redacted = redactPrivateKeys(text);
      for (const line of keyBody(key)) expect(redacted).not.toContain(line);
      expect(redacted.split('\n')).toHaveLength(text.split('\n').length);
      expect((await parseCertificates(redacted)).discardedPrivateKeys).toBe(1);
      expect((await parseCertificates(text)).discardedPrivateKeys).toBe(1);
    });
});
