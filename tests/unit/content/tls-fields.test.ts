import { describe, expect, it } from 'vitest';
import { FIELD_IDS } from '../../../src/lib/tls12/wire/field-ids';
import { FIELD_IDS_13 } from '../../../src/lib/tls13/wire/field-ids';
import { explainField, fieldExplanations } from '../../../src/content/tls12/fields';
import { tls13Overrides } from '../../../src/content/tls13/fields';
import { HandshakeType, messageTitle } from '../../../src/lib/tls12/wire/code-points';
import { decodeHandshake13 } from '../../../src/lib/tls13/wire/index';

describe('TLS field explanations', () => {
  it('explain every field id the wire layer can emit', () => {
    const missing = FIELD_IDS.filter((id) => !explainField(id));
    expect(missing).toEqual([]);
  });

  it('explain every field id the TLS 1.3 wire layer adds', () => {
    expect(FIELD_IDS_13.length).toBeGreaterThan(40);
    expect(FIELD_IDS_13.filter((id) => !explainField(id))).toEqual([]);
  });

  it('explain every field id the TLS 1.3 observer emits for a real capture (tls13-lo.pcap + its key log)', async () => {
    const { readFileSync } = await import('node:fs');
    const { openCapture, tlsConnections } = await import('../../../src/lib/pcap/index');
    const { observeConnection } = await import('../../../src/lib/tls12/observe');
    const { walkSpans } = await import('../../../src/lib/bytes/spans');
    const opened = openCapture(new Uint8Array(readFileSync('fixtures/pcap/tls13-lo.pcap')));
    const seen = await observeConnection(tlsConnections(opened)[0]!.chunks, {
      keyLog: readFileSync('fixtures/pcap/tls13.keys.log', 'utf8'),
    });
    const ids = new Set<string>();
    for (const e of seen.eventLog)
      if (e.kind === 'record' || e.kind === 'message' || e.kind === 'postgres')
        walkSpans(e.spans, (s) => ids.add(s.id));
    expect([...ids]).toEqual(expect.arrayContaining(['certificate.cert_data', 'encrypted_extensions']));
    expect([...ids].filter((id) => !explainField(id))).toEqual([]);
  });

  it('resolve raw ids with list indices to their pattern', () => {
    expect(explainField('client_hello.cipher_suites[3]')).toBe(
      fieldExplanations['client_hello.cipher_suites[]'],
    );
  });

  it('explain length prefixes and vector contents through their parent', () => {
    expect(explainField('server_hello.session_id.length')).toMatch(/Length prefix of the session id/);
    expect(explainField('server_hello.session_id.value')).toBe(fieldExplanations['server_hello.session_id']);
    expect(explainField('extension.alpn.type')).toMatch(/alpn/);
  });

  it('TLS 1.3 bytes get 1.3 meanings for the ids both versions share (a review found 1.2 text on 1.3 bytes)', () => {
    // Each override is an id the wire layers emit, and says something else than the 1.2 entry.
    const ids = new Set([...FIELD_IDS, ...FIELD_IDS_13]);
    for (const [id, text] of Object.entries(tls13Overrides)) {
      expect(ids.has(id), id).toBe(true);
      expect(explainField(id, '1.3'), id).toBe(text);
      expect(explainField(id, '1.2'), id).not.toBe(text);
    }
    expect(explainField('finished.verify_data', '1.3')).toMatch(/^Hash\.length bytes .*HMAC\(finished_key/);
    expect(explainField('finished.verify_data')).toMatch(/^12 bytes: PRF\(master_secret/);
    expect(explainField('certificate_verify.signature', '1.3')).toMatch(
      /^The sender's signature over 64 bytes of 0x20/,
    );
    expect(explainField('server_hello.random', '1.3')).toContain('CF 21 AD 74 E5 9A 61 11');
    expect(explainField('record.header.length', '1.3')).toContain('2^14 + 256');
    expect(explainField('client_hello.cipher_suites[2]', '1.3')).toBe(
      tls13Overrides['client_hello.cipher_suites[]'],
    );
    // An id 1.3 reads as 1.2 does keeps the shared text.
    expect(explainField('client_hello.session_id', '1.3')).toBe(fieldExplanations['client_hello.session_id']);
  });

  it('name every handshake message type the wire layers decode in the msg_type text (a review found HelloRequest and NewSessionTicket missing from 1.2)', () => {
    const types = Object.entries(HandshakeType.values);
    const missing = (names: string[], version: '1.2' | '1.3') => {
      const text = explainField('handshake.header.msg_type', version) ?? '';
      expect(names.length, version).toBeGreaterThan(8);
      return names.filter(
        (name) =>
          !text.includes(
            `${HandshakeType.values[name as keyof typeof HandshakeType.values]} ${messageTitle(name)}`,
          ),
      );
    };
    // 1.2: the message ids the wire layer annotates; 1.3: the types its decoder takes (any other is "not a TLS 1.3 handshake message").
    const decodes13 = (code: number) => {
      try {
        decodeHandshake13(Uint8Array.of(code, 0, 0, 0));
        return true;
      } catch (error) {
        return !String(error).includes('is not a TLS 1.3 handshake message');
      }
    };
    expect(
      missing(
        types.filter(([name]) => FIELD_IDS.includes(name)).map(([name]) => name),
        '1.2',
      ),
    ).toEqual([]);
    expect(
      missing(
        types.filter(([, code]) => decodes13(code)).map(([name]) => name),
        '1.3',
      ),
    ).toEqual([]);
  });

  it('say nothing rather than something wrong for an id they do not know', () => {
    expect(explainField('no_such_message.field')).toBeUndefined();
  });
});

describe('PostgreSQL field explanations', () => {
  it('explain every field of the framing the Handshake Lab shows', async () => {
    const pg = await import('../../../src/lib/pgwire/index');
    const { walkSpans } = await import('../../../src/lib/bytes/spans');
    const startup = pg.encodeStartupMessage({ user: 'app', database: 'app', application_name: 'tls-lab' });
    const samples = [
      pg.decodeSslRequest(pg.encodeSslRequest()).spans,
      pg.decodeSslResponse(new Uint8Array([0x53])).spans,
      pg.decodeStartupMessage(startup).spans,
      pg.decodeBackendMessage(new Uint8Array([0x52, 0, 0, 0, 8, 0, 0, 0, 0])).spans,
      pg.decodeBackendMessage(new Uint8Array([0x5a, 0, 0, 0, 5, 0x49])).spans,
    ];
    const ids = new Set<string>();
    for (const spans of samples) walkSpans(spans, (s) => ids.add(s.id));
    expect(ids.size).toBeGreaterThan(8);
    expect([...ids].filter((id) => !explainField(id))).toEqual([]);
  });
});
