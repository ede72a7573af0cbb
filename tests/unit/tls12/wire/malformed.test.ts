/** Malformed messages are rejected with errors that say what, where and why. */
import { describe, expect, it } from 'vitest';
import { DecodeError, fromHex, toHex } from '../../../../src/lib/bytes/index.ts';
import {
  decodeAlert,
  decodeChangeCipherSpec,
  decodeClientHello,
  decodeFinished,
  decodeHandshake,
  decodeRecord,
  decodeServerHello,
  decodeServerHelloDone,
  decodeServerKeyExchange,
  encodeClientHello,
  type ClientHello,
} from '../../../../src/lib/tls12/wire/index.ts';
import { fragmentOf } from './fixtures.ts';

function decodeError(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('expected a DecodeError, nothing was thrown');
}

const hello: ClientHello = {
  clientVersion: 0x0303,
  random: new Uint8Array(32),
  sessionId: new Uint8Array(0),
  cipherSuites: [0xc02f, 0xc030],
  compressionMethods: [0],
};

/** A ClientHello whose body is exactly `body` (hex). */
function helloWithBody(body: string): Uint8Array {
  const b = fromHex(body);
  return new Uint8Array([1, 0, b.length >> 8, b.length & 0xff, ...b]);
}

const VERSION_RANDOM = '0303' + '00'.repeat(32);

describe('ClientHello', () => {
  it('rejects an odd cipher_suites length, naming the field and the offset of the length', () => {
    const e = decodeError(() =>
      decodeClientHello(helloWithBody(VERSION_RANDOM + '00' + '0007' + 'c02fc030c013c0' + '0100')),
    );
    expect(e.message).toBe('ClientHello.cipher_suites.length: length 7 is odd (offset 39)');
    expect(e.kind).toBe('invalid-value');
    expect(e.field).toBe('client_hello.cipher_suites.length');
  });

  it('rejects an empty cipher suite list and a session id over 32 bytes', () => {
    expect(
      decodeError(() => decodeClientHello(helloWithBody(VERSION_RANDOM + '00' + '0000' + '0100'))).message,
    ).toBe('ClientHello.cipher_suites.length: length 0 is below the minimum 2 (offset 39)');
    expect(
      decodeError(() => decodeClientHello(helloWithBody(VERSION_RANDOM + '21' + '00'.repeat(33)))).message,
    ).toBe('ClientHello.session_id.length: length 33 exceeds the maximum 32 (offset 38)');
  });

  it('rejects a duplicate extension (RFC 5246 §7.4.1.4)', () => {
    const ems = { kind: 'extended_master_secret' } as const;
    const bytes = encodeClientHello({ ...hello, extensions: [ems, ems] });
    const e = decodeError(() => decodeClientHello(bytes));
    expect(e.message).toMatch(
      /^Extension\.extended_master_secret\.type: duplicate extension extended_master_secret \(offset \d+\)$/,
    );
  });

  it('rejects an extension whose inner length overruns the extension', () => {
    // server_name extension of 5 bytes holding a list that claims 16
    const bytes = encodeClientHello({
      ...hello,
      extensions: [{ kind: 'unknown', type: 0, data: fromHex('0010000003') }],
    });
    const e = decodeError(() => decodeClientHello(bytes));
    expect(e.kind).toBe('length-mismatch');
    expect(e.field).toBe('extension.server_name.server_name_list');
    expect(e.reason).toBe('needs 16 bytes but only 3 remain inside extension.server_name');
  });

  it('rejects a non-empty extended_master_secret (RFC 7627 §5.1)', () => {
    const bytes = encodeClientHello({
      ...hello,
      extensions: [{ kind: 'unknown', type: 23, data: fromHex('00') }],
    });
    expect(decodeError(() => decodeClientHello(bytes)).reason).toBe('must be empty, has 1 bytes');
  });

  it('rejects a handshake length that disagrees with the input', () => {
    const good = encodeClientHello(hello);
    expect(decodeError(() => decodeClientHello(good.subarray(0, good.length - 1))).message).toBe(
      'ClientHello: needs 43 bytes, only 42 left (offset 4)',
    );
    expect(decodeError(() => decodeClientHello(new Uint8Array([...good, 0]))).kind).toBe('trailing-data');
  });

  it('rejects a message of another type', () => {
    expect(decodeError(() => decodeClientHello(fragmentOf('serverhello'))).message).toBe(
      'Handshake.header.msg_type: expected client_hello (1), got server_hello (2) (offset 0)',
    );
  });
});

describe('GREASE and unknown code points (RFC 8701)', () => {
  it('a ClientHello full of GREASE values decodes, names them unknown(0x..), and round-trips', () => {
    const grease: ClientHello = {
      ...hello,
      cipherSuites: [0x1a1a, 0xc02f],
      extensions: [
        { kind: 'unknown', type: 0x2a2a, data: new Uint8Array(0) },
        { kind: 'supported_groups', groups: [0x3a3a, 29] },
        { kind: 'unknown', type: 0x4a4a, data: fromHex('00') },
      ],
    };
    const bytes = encodeClientHello(grease);
    const { message, spans } = decodeClientHello(bytes);
    expect(message).toEqual(grease);
    const values: (string | number | undefined)[] = [];
    const walk = (s: typeof spans): void =>
      s.forEach((x) => (values.push(x.value), x.children && walk(x.children)));
    walk(spans);
    expect(values).toContain('unknown(0x1a1a)');
    expect(values).toContain('unknown(0x2a2a)');
    expect(values).toContain('unknown(0x3a3a)');
    expect(values).toContain('x25519');
  });
});

describe('other messages', () => {
  it('ServerHello with a truncated extension block', () => {
    const bytes = fragmentOf('serverhello').slice();
    bytes[3] = bytes[3]! - 1; // handshake length one short: the extensions block overruns the body
    const e = decodeError(() => decodeServerHello(bytes.subarray(0, bytes.length - 1)));
    expect(e.kind).toBe('length-mismatch');
    expect(e.field).toBe('server_hello.extensions');
    expect(e.reason).toBe('needs 5 bytes but only 4 remain inside server_hello');
  });

  it('ServerKeyExchange with explicit curve parameters is refused', () => {
    const bytes = fragmentOf('serverkeyexchange').slice();
    bytes[4] = 1; // curve_type explicit_prime
    expect(decodeError(() => decodeServerKeyExchange(bytes, 'ecdhe')).message).toBe(
      'ServerKeyExchange.curve_type: explicit_prime (1) is not supported, only named_curve (3) (offset 4)',
    );
  });

  it('ServerHelloDone with a body, Finished of 11 bytes, CCS of 2, alert of 1', () => {
    expect(decodeError(() => decodeServerHelloDone(fromHex('0e00000100'))).reason).toBe(
      'server_hello_done must have an empty body, got 1 bytes',
    );
    expect(decodeError(() => decodeFinished(fromHex('1400000b' + '00'.repeat(11)))).reason).toBe(
      'verify_data must be 12 bytes, got 11',
    );
    expect(decodeError(() => decodeChangeCipherSpec(fromHex('02'))).message).toBe(
      'ChangeCipherSpec.type: must be 1, got 2 (offset 0)',
    );
    expect(decodeError(() => decodeAlert(fromHex('02'))).kind).toBe('truncated');
  });

  it('an unknown handshake type is kept opaque and round-trips', () => {
    const bytes = fromHex('16000003abcdef'); // certificate_status (22), not decoded structurally
    const { message, spans } = decodeHandshake(bytes);
    expect(message).toEqual({ type: 'unknown', msgType: 22, body: fromHex('abcdef') });
    expect(spans[0]?.id).toBe('handshake');
  });

  it('records longer than the ciphertext limit are refused', () => {
    const e = decodeError(() => decodeRecord(fromHex('1703034801')));
    expect(e.message).toBe(
      'Record.header.length: length 18433 exceeds the maximum 18432 (record_overflow) (offset 3)',
    );
    expect(toHex(decodeRecord(fromHex('1703030000')).message.fragment)).toBe('');
  });
});
