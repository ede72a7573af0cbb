/**
 * The Illustrated TLS 1.3 Connection, byte-exact through the 1.3 codecs: every handshake message (the two
 * hellos from their records, the rest from the decrypted TLSInnerPlaintext files in caps/) decodes, its spans
 * cover every byte with known, explained field ids, and re-encoding gives the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { concatBytes, walkSpans, type Span } from '../../../src/lib/bytes/index.ts';
import { parseCertificate } from '../../../src/lib/tls12/handshake/certificate-info.ts';
import { verifyWithScheme } from '../../../src/lib/tls12/crypto/signatures.ts';
import { certificateVerifyContent } from '../../../src/lib/tls13/signed-content.ts';
import { explainField } from '../../../src/content/tls12/fields.ts';
import { createCryptoProvider, toHex } from '../../../src/lib/tls12/crypto/index.ts';
import { FIELD_IDS } from '../../../src/lib/tls12/wire/field-ids.ts';
import { decodeRecord, encodeRecord } from '../../../src/lib/tls12/wire/record.ts';
import { decodeInnerPlaintext } from '../../../src/lib/tls13/record-protection.ts';
import {
  decodeHandshake13,
  encodeHandshake13,
  FIELD_IDS_13,
  findExtension13,
  HELLO_RETRY_REQUEST_RANDOM,
  isHelloRetryRequest,
} from '../../../src/lib/tls13/wire/index.ts';
import { spanProblems } from '../tls12/wire/span-check.ts';
import { cap13 } from './illustrated-fixture.ts';

const KNOWN = new Set([...FIELD_IDS, ...FIELD_IDS_13]);
const PLAINTEXTS = [
  'serverextensions',
  'servercert',
  'servercertverify',
  'serverfinished',
  'clientfinished',
  'serverticket1',
  'serverticket2',
];

function idsOf(spans: readonly Span[]): string[] {
  const ids: string[] = [];
  walkSpans(spans, (s) => ids.push(s.id.replace(/\[\d+\]/g, '[]')));
  return ids;
}

function roundTrip(bytes: Uint8Array) {
  const { message, spans } = decodeHandshake13(bytes);
  expect(spanProblems(spans, 0, bytes.length)).toEqual([]);
  expect(idsOf(spans).filter((id) => !KNOWN.has(id))).toEqual([]);
  expect(idsOf(spans).filter((id) => !explainField(id))).toEqual([]);
  expect(encodeHandshake13(message)).toEqual(bytes);
  return message;
}

describe('The Illustrated TLS 1.3 Connection: wire codecs', () => {
  it('ClientHello: supported_versions, key_share, psk_key_exchange_modes, server_name; re-encodes', () => {
    const record = decodeRecord(cap13('clienthello')).message;
    expect(encodeRecord(record)).toEqual(cap13('clienthello'));
    const m = roundTrip(record.fragment);
    if (m.type !== 'client_hello') throw new Error(m.type);
    const hello = m.message;
    expect(hello.legacyVersion).toBe(0x0303);
    expect(hello.legacySessionId.length).toBe(32);
    expect(findExtension13(hello.extensions, 'supported_versions')).toEqual({
      kind: 'supported_versions',
      versions: [0x0304],
    });
    const share = findExtension13(hello.extensions, 'key_share');
    expect(share && 'clientShares' in share && share.clientShares[0]?.group).toBe(0x001d);
    expect(findExtension13(hello.extensions, 'psk_key_exchange_modes')?.modes).toEqual([1]);
    expect(findExtension13(hello.extensions, 'server_name')?.names[0]?.hostName).toBe('example.ulfheim.net');
  });

  it('ServerHello: selected_version and server_share; not a HelloRetryRequest', () => {
    const m = roundTrip(decodeRecord(cap13('serverhello')).message.fragment);
    if (m.type !== 'server_hello') throw new Error(m.type);
    expect(isHelloRetryRequest(m.message)).toBe(false);
    expect(m.message.cipherSuite).toBe(0x1302);
    expect(findExtension13(m.message.extensions, 'supported_versions')).toEqual({
      kind: 'supported_versions',
      selectedVersion: 0x0304,
    });
    const share = findExtension13(m.message.extensions, 'key_share');
    expect(share && 'serverShare' in share && share.serverShare.keyExchange.length).toBe(32);
  });

  it.each(PLAINTEXTS)('%s: TLSInnerPlaintext and the message inside decode and re-encode', (name) => {
    const bytes = cap13(name);
    const inner = decodeInnerPlaintext(bytes);
    expect(spanProblems(inner.spans, 0, bytes.length)).toEqual([]);
    expect(idsOf(inner.spans).filter((id) => !explainField(id))).toEqual([]);
    expect(inner.message.contentType).toBe(22);
    roundTrip(inner.message.content);
  });

  it.each(['clientccs', 'serverccs'])(
    '%s: the middlebox-compatibility ChangeCipherSpec record re-encodes',
    (name) => {
      const { message, spans } = decodeRecord(cap13(name));
      expect(spanProblems(spans, 0, cap13(name).length)).toEqual([]);
      expect([message.contentType, ...message.fragment]).toEqual([20, 1]);
      expect(encodeRecord(message)).toEqual(cap13(name));
    },
  );

  it('the Certificate carries one entry with empty per-entry extensions', () => {
    const m = decodeHandshake13(decodeInnerPlaintext(cap13('servercert')).message.content).message;
    if (m.type !== 'certificate') throw new Error(m.type);
    expect(m.message.certificateRequestContext.length).toBe(0);
    expect(m.message.certificateList.map((e) => [e.certData[0], e.extensions.length])).toEqual([[0x30, 0]]);
  });

  it('the HelloRetryRequest random is SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3)', async () => {
    const digest = await createCryptoProvider().digest(
      'sha256',
      new TextEncoder().encode('HelloRetryRequest'),
    );
    expect(toHex(digest)).toBe(toHex(HELLO_RETRY_REQUEST_RANDOM));
  });
});

describe('The Illustrated TLS 1.3 Connection: the server CertificateVerify', () => {
  it('verifies (rsa_pss_rsae_sha256) over RFC 8446 §4.4.3 content with the certificate’s key; a changed hash does not', async () => {
    const provider = createCryptoProvider();
    const handshake = (name: string) => decodeInnerPlaintext(cap13(name)).message.content;
    const transcript = [
      decodeRecord(cap13('clienthello')).message.fragment,
      decodeRecord(cap13('serverhello')).message.fragment,
      handshake('serverextensions'),
      handshake('servercert'),
    ];
    const hash = await provider.digest('sha384', concatBytes(...transcript));
    const cert = decodeHandshake13(handshake('servercert')).message;
    const cv = decodeHandshake13(handshake('servercertverify')).message;
    if (cert.type !== 'certificate' || cv.type !== 'certificate_verify')
      throw new Error('unexpected messages');
    expect(cv.message.signatureScheme).toBe(0x0804);
    const key = parseCertificate(cert.message.certificateList[0]!.certData).publicKey;
    const content = certificateVerifyContent('server', hash);
    expect(await verifyWithScheme(key, 0x0804, content, cv.message.signature)).toBe(true);
    hash[0]! ^= 1;
    const wrong = certificateVerifyContent('server', hash);
    expect(await verifyWithScheme(key, 0x0804, wrong, cv.message.signature)).toBe(false);
  });
});
