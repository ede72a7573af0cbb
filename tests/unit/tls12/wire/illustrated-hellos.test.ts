import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/lib/bytes/index.ts';
import {
  CipherSuite,
  decodeClientHello,
  decodeRecord,
  decodeServerHello,
  encodeClientHello,
  encodeRecord,
  encodeServerHello,
  NamedGroup,
} from '../../../../src/lib/tls12/wire/index.ts';
import { cap, expected, fragmentOf } from './fixtures.ts';

describe('Illustrated TLS 1.2 ClientHello (syncsynchalt/illustrated-tls12 caps/clienthello)', () => {
  it('decodes the record and the message with the documented values', () => {
    const record = decodeRecord(cap('clienthello')).message;
    expect(record.contentType).toBe(22);
    expect(record.version).toBe(0x0301);
    const { message } = decodeClientHello(record.fragment);
    expect(message.clientVersion).toBe(0x0303);
    expect(toHex(message.random)).toBe(expected.client_random);
    expect(message.sessionId.length).toBe(0);
    expect(message.cipherSuites.slice(0, 3)).toEqual([0xcca8, 0xcca9, 0xc02f]);
    expect(message.cipherSuites).toContain(CipherSuite.values.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA);
    expect(message.compressionMethods).toEqual([0]);
    const kinds = message.extensions?.map((e) => e.kind);
    expect(kinds).toEqual([
      'server_name',
      'status_request',
      'supported_groups',
      'ec_point_formats',
      'signature_algorithms',
      'renegotiation_info',
      'unknown', // 0x0012 signed_certificate_timestamp, kept raw
    ]);
    const sni = message.extensions?.find((e) => e.kind === 'server_name');
    expect(sni).toEqual({ kind: 'server_name', names: [{ nameType: 0, hostName: 'example.ulfheim.net' }] });
    const groups = message.extensions?.find((e) => e.kind === 'supported_groups');
    expect(groups).toEqual({
      kind: 'supported_groups',
      groups: [
        NamedGroup.values.x25519,
        NamedGroup.values.secp256r1,
        NamedGroup.values.secp384r1,
        NamedGroup.values.secp521r1,
      ],
    });
  });

  it('re-encodes byte for byte', () => {
    const bytes = cap('clienthello');
    const record = decodeRecord(bytes).message;
    const hello = decodeClientHello(record.fragment).message;
    const again = encodeRecord({ ...record, fragment: encodeClientHello(hello) });
    expect(toHex(again)).toBe(toHex(bytes));
  });
});

describe('Illustrated TLS 1.2 ServerHello (caps/serverhello)', () => {
  it('decodes suite 0xC013, the server random and renegotiation_info, and re-encodes byte for byte', () => {
    const { message } = decodeServerHello(fragmentOf('serverhello'));
    expect(message.serverVersion).toBe(0x0303);
    expect(toHex(message.random)).toBe(expected.server_random);
    expect(message.cipherSuite).toBe(0xc013);
    expect(CipherSuite.format(message.cipherSuite)).toBe('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA');
    expect(message.extensions).toEqual([
      { kind: 'renegotiation_info', renegotiatedConnection: new Uint8Array(0) },
    ]);
    expect(toHex(encodeServerHello(message))).toBe(toHex(fragmentOf('serverhello')));
  });
});
