/**
 * Byte-exact round trips of every record of "The Illustrated TLS 1.2 Connection"
 * (syncsynchalt/illustrated-tls12, MIT; copied to fixtures/tls12-vectors/illustrated-tls12), with key
 * fields checked against expected-values.json and keys/server.crt from the same source.
 */
import { createVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../src/lib/bytes/index.ts';
import {
  annotateRecord,
  decodeCertificate,
  decodeChangeCipherSpec,
  decodeClientKeyExchange,
  decodeFinished,
  decodeHandshake,
  decodeRecord,
  decodeServerHelloDone,
  decodeServerKeyExchange,
  ecdheParamsBytes,
  encodeCertificate,
  encodeChangeCipherSpec,
  encodeClientKeyExchange,
  encodeFinished,
  encodeHandshake,
  encodeRecord,
  encodeServerHelloDone,
  encodeServerKeyExchange,
  keyExchangeOf,
  NamedGroup,
  SignatureScheme,
} from '../../../../src/lib/tls12/wire/index.ts';
import { cap, expected, fragmentOf } from './fixtures.ts';
import { spanProblems } from './span-check.ts';

const PLAINTEXT_HANDSHAKE = [
  'clienthello',
  'serverhello',
  'servercert',
  'serverkeyexchange',
  'serverhellodone',
  'clientkeyexchange',
];
const ALL_RECORDS = [
  ...PLAINTEXT_HANDSHAKE,
  'clientccs',
  'serverccs',
  'clientfinished',
  'serverfinished',
  'clientdata',
  'serverdata',
  'clientalert',
];

function pemToDer(pem: string): Uint8Array {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

describe('every Illustrated TLS 1.2 record', () => {
  it.each(ALL_RECORDS)('%s decodes as one record and re-encodes byte for byte', (name) => {
    const bytes = cap(name);
    const { message, spans } = decodeRecord(bytes);
    expect(message.fragment.length).toBe(bytes.length - 5);
    expect(toHex(encodeRecord(message))).toBe(toHex(bytes));
    expect(spanProblems(spans, 0, bytes.length)).toEqual([]);
  });

  it.each(PLAINTEXT_HANDSHAKE)(
    '%s: decodeHandshake/encodeHandshake round-trip the fragment exactly',
    (name) => {
      const fragment = fragmentOf(name);
      const { message, spans } = decodeHandshake(fragment, { keyExchange: 'ecdhe' });
      expect(message.type).not.toBe('unknown');
      expect(toHex(encodeHandshake(message))).toBe(toHex(fragment));
      expect(spanProblems(spans, 0, fragment.length)).toEqual([]);
    },
  );

  it.each([...PLAINTEXT_HANDSHAKE, 'clientccs', 'serverccs'])(
    '%s: annotateRecord nests the content spans and covers every byte',
    (name) => {
      const bytes = cap(name);
      const { message, spans } = annotateRecord(bytes, { keyExchange: 'ecdhe' });
      expect(message.contentError).toBeUndefined();
      expect(message.content).toBeDefined();
      expect(spanProblems(spans, 0, bytes.length)).toEqual([]);
      const fragment = spans[0]?.children?.[1];
      expect(fragment?.id).toBe('record.fragment');
      expect(fragment?.children?.[0]?.start).toBe(5);
    },
  );

  it('encrypted records stay opaque in annotateRecord', () => {
    const { message, spans } = annotateRecord(cap('clientfinished'), { encrypted: true });
    expect(message.content).toBeUndefined();
    expect(spans[0]?.children?.[1]).toMatchObject({ id: 'record.fragment', start: 5, end: 69 });
  });
});

describe('Illustrated TLS 1.2 server flight', () => {
  it('Certificate carries the one server certificate of keys/server.crt', () => {
    const { message } = decodeCertificate(fragmentOf('servercert'));
    const pem = readFileSync(
      fileURLToPath(
        new URL('../../../../fixtures/tls12-vectors/illustrated-tls12/keys/server.crt', import.meta.url),
      ),
      'utf8',
    );
    expect(message.certificates).toHaveLength(1);
    expect(toHex(message.certificates[0]!)).toBe(toHex(pemToDer(pem)));
    expect(toHex(encodeCertificate(message))).toBe(toHex(fragmentOf('servercert')));
  });

  it('ServerKeyExchange: x25519 named curve, the server ephemeral public key, rsa_pkcs1_sha256 signature', () => {
    expect(keyExchangeOf(0xc013)).toBe('ecdhe');
    const fragment = fragmentOf('serverkeyexchange');
    const { message } = decodeServerKeyExchange(fragment, 'ecdhe');
    if (message.kind !== 'ecdhe') throw new Error('expected ECDHE');
    expect(message.namedCurve).toBe(NamedGroup.values.x25519);
    expect(toHex(message.publicKey)).toBe(expected.server_ephemeral_public);
    expect(SignatureScheme.format(message.signatureScheme)).toBe('rsa_pkcs1_sha256');
    expect(message.signature).toHaveLength(256);
    // The raw params are header-relative bytes 4..40: 03 001d 20 <32-byte key>
    expect(toHex(message.params)).toBe(toHex(fragment.subarray(4, 4 + 1 + 2 + 1 + 32)));
    expect(toHex(ecdheParamsBytes(message.namedCurve, message.publicKey))).toBe(toHex(message.params));
    expect(toHex(encodeServerKeyExchange(message))).toBe(toHex(fragment));
  });

  it('ServerKeyExchange signature verifies over client_random + server_random + the raw params (RFC 5246 §7.4.3)', () => {
    const { message } = decodeServerKeyExchange(fragmentOf('serverkeyexchange'), 'ecdhe');
    if (message.kind !== 'ecdhe') throw new Error('expected ECDHE');
    const pem = readFileSync(
      fileURLToPath(
        new URL('../../../../fixtures/tls12-vectors/illustrated-tls12/keys/server.crt', import.meta.url),
      ),
      'utf8',
    );
    const signed = Buffer.concat([
      fromHex(expected.client_random),
      fromHex(expected.server_random),
      message.params,
    ]);
    expect(createVerify('sha256').update(signed).verify(pem, message.signature)).toBe(true);
  });

  it('ServerKeyExchange without the key exchange stays opaque and still round-trips', () => {
    const fragment = fragmentOf('serverkeyexchange');
    const { message } = decodeServerKeyExchange(fragment);
    expect(message.kind).toBe('opaque');
    expect(toHex(encodeServerKeyExchange(message))).toBe(toHex(fragment));
  });

  it('ServerHelloDone is an empty body', () => {
    expect(decodeServerHelloDone(fragmentOf('serverhellodone')).message).toEqual({});
    expect(toHex(encodeServerHelloDone())).toBe('0e000000');
  });
});

describe('Illustrated TLS 1.2 client flight', () => {
  it('ClientKeyExchange carries the client x25519 public key', () => {
    const fragment = fragmentOf('clientkeyexchange');
    const { message } = decodeClientKeyExchange(fragment, 'ecdhe');
    expect(message).toEqual({ kind: 'ecdhe', publicKey: fromHex(expected.client_ephemeral_public) });
    expect(toHex(encodeClientKeyExchange(message))).toBe(toHex(fragment));
  });

  it('ChangeCipherSpec records hold the single byte 1', () => {
    for (const name of ['clientccs', 'serverccs']) {
      const record = decodeRecord(cap(name)).message;
      expect(record.contentType).toBe(20);
      expect(decodeChangeCipherSpec(record.fragment).message).toEqual({ type: 1 });
      expect(encodeChangeCipherSpec()).toEqual(record.fragment);
    }
  });

  it('decrypted Finished messages carry the verify_data of expected-values.json', () => {
    const client = cap('clientfinishedplain');
    const decoded = decodeFinished(client);
    expect(toHex(decoded.message.verifyData)).toBe(expected.client_verify_data);
    expect(toHex(encodeFinished(decoded.message))).toBe(toHex(client));
    // serverfinishedplain is the 16-byte Finished followed by the record MAC and padding.
    const server = cap('serverfinishedplain').subarray(0, 16);
    expect(toHex(decodeFinished(server).message.verifyData)).toBe(expected.server_verify_data);
  });
});
