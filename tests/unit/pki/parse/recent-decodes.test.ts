/**
 * decodeCertificate keeps its last few views by SHA-256: the same bytes give the same (read-only) view, the input
 * can change afterwards without reaching it, and different bytes are decoded afresh.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeCertificate } from '../../../../src/lib/pki/adapter/certificate.ts';
import { toHex } from '../../../../src/lib/bytes/index.ts';
import { pemToDer } from '../../../../src/lib/tls12/handshake/index.ts';

const demo = (name: string) => pemToDer(readFileSync(`fixtures/demo-pki/${name}`, 'utf8'), 'CERTIFICATE')[0]!;

describe('decodeCertificate: recent views', () => {
  it('gives the same view for the same bytes, however they arrive', () => {
    const der = demo('server-rsa.crt');
    const first = decodeCertificate(der);
    expect(decodeCertificate(der.slice())).toBe(first);
    der[der.length - 1] = der.at(-1)! ^ 1; // the caller's buffer changes: the view keeps its own copy
    expect(toHex(first.der)).not.toBe(toHex(der));
    expect(decodeCertificate(demo('server-rsa.crt'))).toBe(first);
  });

  it('decodes different bytes afresh, and an older view is decoded again once it has left', () => {
    const a = decodeCertificate(demo('server-rsa.crt'));
    const b = decodeCertificate(demo('root.crt'));
    expect(b).not.toBe(a);
    expect(b.subject.rfc4514).not.toBe(a.subject.rfc4514);
    const flipped = demo('server-rsa.crt');
    flipped[flipped.length - 1] = flipped.at(-1)! ^ 1; // still decodes: the signature's last byte
    const c = decodeCertificate(flipped);
    expect(c).not.toBe(a);
    expect(c.id).not.toBe(a.id);
    for (let i = 0; i < 40; i++) {
      const other = demo('root.crt');
      other[other.length - 1] = i; // 40 distinct certificates push the first one out
      decodeCertificate(other);
    }
    const again = decodeCertificate(demo('server-rsa.crt'));
    expect(again).not.toBe(a);
    expect(again).toEqual(a);
  });
});
