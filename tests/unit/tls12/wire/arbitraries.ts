/** fast-check generators for well-formed TLS 1.2 wire structures (every RFC length bound respected). */
import fc from 'fast-check';
import {
  ecdheParamsBytes,
  extensionType,
  type Extension,
  type HandshakeDecodeOptions,
  type HandshakeMessage,
} from '../../../../src/lib/tls12/wire/index.ts';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.nat({ max: 0xffffffff });
const bytes = (minLength: number, maxLength: number) => fc.uint8Array({ minLength, maxLength });
const latin1 = (minLength: number, maxLength: number) =>
  fc.array(u8, { minLength, maxLength }).map((codes) => String.fromCharCode(...codes));

const KNOWN_EXTENSION_TYPES = new Set([0, 5, 10, 11, 13, 16, 23, 35, 0xff01]);

export const extensionArb: fc.Arbitrary<Extension> = fc.oneof(
  fc.record({
    kind: fc.constant('server_name' as const),
    names: fc.array(fc.record({ nameType: u8, hostName: latin1(1, 40) }), { maxLength: 3 }),
  }),
  fc
    .record({
      kind: fc.constant('status_request' as const),
      request: fc.option(
        fc.oneof(
          fc.record({
            statusType: fc.constant(1 as const),
            responderIds: fc.array(bytes(1, 12), { maxLength: 3 }),
            requestExtensions: bytes(0, 12),
          }),
          fc.record({ statusType: u8.filter((t) => t !== 1), data: bytes(0, 12) }),
        ),
        { nil: undefined },
      ),
    })
    .map((e) => (e.request === undefined ? { kind: e.kind } : e)),
  fc.record({
    kind: fc.constant('supported_groups' as const),
    groups: fc.array(u16, { minLength: 1, maxLength: 12 }),
  }),
  fc.record({
    kind: fc.constant('ec_point_formats' as const),
    formats: fc.array(u8, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant('signature_algorithms' as const),
    schemes: fc.array(u16, { minLength: 1, maxLength: 12 }),
  }),
  fc.record({
    kind: fc.constant('alpn' as const),
    protocols: fc.array(latin1(1, 12), { minLength: 1, maxLength: 4 }),
  }),
  fc.constant({ kind: 'extended_master_secret' as const }),
  fc.record({ kind: fc.constant('session_ticket' as const), ticket: bytes(0, 48) }),
  fc.record({ kind: fc.constant('renegotiation_info' as const), renegotiatedConnection: bytes(0, 24) }),
  fc.record({
    kind: fc.constant('unknown' as const),
    type: u16.filter((t) => !KNOWN_EXTENSION_TYPES.has(t)),
    data: bytes(0, 24),
  }),
);

const extensionsArb = fc.option(fc.uniqueArray(extensionArb, { selector: extensionType, maxLength: 8 }), {
  nil: undefined,
});

function withOptionalExtensions<T extends { extensions?: Extension[] | undefined }>(m: T): T {
  if (m.extensions === undefined) delete m.extensions;
  return m;
}

export const clientHelloArb = fc
  .record({
    type: fc.constant('client_hello' as const),
    clientVersion: u16,
    random: bytes(32, 32),
    sessionId: bytes(0, 32),
    cipherSuites: fc.array(u16, { minLength: 1, maxLength: 24 }),
    compressionMethods: fc.array(u8, { minLength: 1, maxLength: 3 }),
    extensions: extensionsArb,
  })
  .map(withOptionalExtensions);

export const serverHelloArb = fc
  .record({
    type: fc.constant('server_hello' as const),
    serverVersion: u16,
    random: bytes(32, 32),
    sessionId: bytes(0, 32),
    cipherSuite: u16,
    compressionMethod: u8,
    extensions: extensionsArb,
  })
  .map(withOptionalExtensions);

const ecdheSkeArb = fc
  .record({ namedCurve: u16, publicKey: bytes(1, 97), signatureScheme: u16, signature: bytes(0, 96) })
  .map((m) => ({
    type: 'server_key_exchange' as const,
    kind: 'ecdhe' as const,
    curveType: 3 as const,
    ...m,
    params: ecdheParamsBytes(m.namedCurve, m.publicKey),
  }));

/** A well-formed handshake message with the options needed to decode it. */
export interface Sample {
  message: HandshakeMessage;
  options: HandshakeDecodeOptions;
}

const plain = (arb: fc.Arbitrary<HandshakeMessage>): fc.Arbitrary<Sample> =>
  arb.map((message) => ({ message, options: {} }));
const ecdhe = (arb: fc.Arbitrary<HandshakeMessage>): fc.Arbitrary<Sample> =>
  arb.map((message) => ({ message, options: { keyExchange: 'ecdhe' } }));

const HANDLED_TYPES = new Set([0, 1, 2, 4, 11, 12, 13, 14, 15, 16, 20]);

export const sampleArb: fc.Arbitrary<Sample> = fc.oneof(
  plain(fc.constant({ type: 'hello_request' as const })),
  plain(clientHelloArb),
  plain(serverHelloArb),
  plain(
    fc.record({
      type: fc.constant('new_session_ticket' as const),
      ticketLifetimeHint: u32,
      ticket: bytes(0, 64),
    }),
  ),
  plain(
    fc.record({
      type: fc.constant('certificate' as const),
      certificates: fc.array(bytes(1, 80), { maxLength: 4 }),
    }),
  ),
  ecdhe(ecdheSkeArb),
  plain(
    fc.record({
      type: fc.constant('server_key_exchange' as const),
      kind: fc.constant('opaque' as const),
      body: bytes(0, 64),
    }),
  ),
  plain(
    fc.record({
      type: fc.constant('certificate_request' as const),
      certificateTypes: fc.array(u8, { minLength: 1, maxLength: 5 }),
      signatureSchemes: fc.array(u16, { minLength: 1, maxLength: 10 }),
      certificateAuthorities: fc.array(bytes(1, 40), { maxLength: 3 }),
    }),
  ),
  plain(fc.constant({ type: 'server_hello_done' as const })),
  plain(
    fc.record({
      type: fc.constant('certificate_verify' as const),
      signatureScheme: u16,
      signature: bytes(0, 96),
    }),
  ),
  ecdhe(
    fc.record({
      type: fc.constant('client_key_exchange' as const),
      kind: fc.constant('ecdhe' as const),
      publicKey: bytes(1, 97),
    }),
  ),
  fc
    .record({
      type: fc.constant('client_key_exchange' as const),
      kind: fc.constant('rsa' as const),
      encryptedPreMasterSecret: bytes(0, 300),
    })
    .map((message) => ({ message, options: { keyExchange: 'rsa' as const } })),
  plain(
    fc.record({
      type: fc.constant('client_key_exchange' as const),
      kind: fc.constant('opaque' as const),
      body: bytes(0, 64),
    }),
  ),
  plain(fc.record({ type: fc.constant('finished' as const), verifyData: bytes(12, 12) })),
  plain(
    fc.record({
      type: fc.constant('unknown' as const),
      msgType: u8.filter((t) => !HANDLED_TYPES.has(t)),
      body: bytes(0, 64),
    }),
  ),
);

export const alertArb = fc.record({ level: u8, description: u8 });
