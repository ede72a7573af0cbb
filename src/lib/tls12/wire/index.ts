/**
 * TLS 1.2 wire layer: records, handshake messages and extensions as typed values, decoded with annotation
 * spans and encoded byte-exactly. Pure TypeScript (no DOM, no Node built-ins).
 *
 * Conventions
 * - `decodeX(bytes) -> { message, spans }` decodes exactly one structure and throws `DecodeError` (from
 *   `src/lib/bytes`) on anything else: `kind` is 'truncated' | 'trailing-data' | 'invalid-value' |
 *   'length-mismatch', plus `field` (a field id), `offset` (absolute) and a one-line message. No other
 *   exception escapes a decoder, whatever the input. `tryDecode(() => decodeX(b))` returns a result instead.
 * - `encodeX(message) -> Uint8Array` is the inverse (encode(decode(b)) === b for well-formed input).
 *   Encoders throw RangeError on values that cannot be encoded (a 33-byte session id...).
 * - Handshake codecs take and produce WHOLE handshake messages (4-byte header + body): the transcript bytes.
 *   `readX(reader)` / `writeX(writer, m)` are the body-only codecs, for composition.
 * - Code points are plain numbers; the open enums in code-points.ts name them (`CipherSuite.format(0xc013)`
 *   -> 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', unknown -> 'unknown(0x1a1a)').
 * - Spans: `{ id, label?, start, end, value?, children? }`, offsets from the start of the decoded buffer,
 *   leaves tile it exactly. `shiftSpans(spans, 5)` places a message's spans inside its record. Every id
 *   pattern a decoder can emit is in FIELD_IDS (indices normalised to `[]`).
 *
 * Records (record.ts)
 *   decodeRecord(bytes, {maxFragmentLength?}) / encodeRecord({contentType, version, fragment})
 *   new RecordSplitter().push(chunk) -> {record, bytes, offset}[]   (partial input is buffered; .end())
 *   fragmentIntoRecords(type, version, data, max = 2^14) -> TlsRecord[]
 * Handshake framing (handshake-header.ts, handshake-reassembler.ts, handshake.ts)
 *   new HandshakeReassembler().push(fragment, origin?) -> {msgType, bytes, pieces}[]   (.hasPartial, .end())
 *   decodeHandshake(bytes, {keyExchange?}) -> { message: HandshakeMessage (union on `type`), spans }
 *   decodeHandshakes(bytes, opts) -> several whole messages back to back; encodeHandshake(message) -> Uint8Array
 *   keyExchangeOf(cipherSuite) -> 'ecdhe' | 'rsa' | 'dhe' | undefined
 * Display (record-content.ts)
 *   annotateRecord(bytes, {encrypted?, keyExchange?}) -> { message: {record, content?, contentError?}, spans }
 *   with the decoded handshake/alert/CCS spans nested under `record.fragment` (offsets from record start).
 * Messages (one file each; decodeX/encodeX on whole messages)
 *   ClientHello, ServerHello, Certificate, ServerKeyExchange (ECDHE; `params` = raw ServerECDHParams bytes
 *   for the signature input, see ecdheParamsBytes), CertificateRequest, ServerHelloDone, ClientKeyExchange
 *   (ECDHE point | RSA encrypted pre-master), CertificateVerify, Finished, NewSessionTicket, HelloRequest;
 *   record-content messages: Alert, ChangeCipherSpec.
 * Extensions (extensions.ts): typed server_name, status_request, supported_groups, ec_point_formats,
 *   signature_algorithms, alpn, extended_master_secret, session_ticket, renegotiation_info; everything
 *   else `{ kind: 'unknown', type, data }`. `extensionType(ext)`, `findExtension(list, kind)`.
 */
export * from './alert.ts';
export * from './certificate-request.ts';
export * from './certificate-verify.ts';
export * from './certificate.ts';
export * from './change-cipher-spec.ts';
export * from './client-hello.ts';
export * from './client-key-exchange.ts';
export * from './code-points.ts';
export * from './decoded.ts';
export * from './digitally-signed.ts';
export * from './empty-messages.ts';
export * from './extensions.ts';
export * from './field-ids.ts';
export * from './finished.ts';
export * from './handshake-header.ts';
export * from './handshake-reassembler.ts';
export * from './handshake.ts';
export * from './key-exchange.ts';
export * from './new-session-ticket.ts';
export * from './open-enum.ts';
export * from './random.ts';
export * from './record-content.ts';
export * from './record.ts';
export * from './server-hello.ts';
export * from './server-key-exchange.ts';
export {
  DecodeError,
  fromHex,
  isDecodeError,
  normaliseFieldId,
  shiftSpans,
  spanAt,
  toHex,
  tryDecode,
  type DecodeErrorKind,
  type DecodeResult,
  type Span,
} from '../../bytes/index.ts';
