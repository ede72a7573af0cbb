/**
 * Every field id pattern the wire decoders can emit, with list indices normalised to `[]`
 * (`client_hello.cipher_suites[3]` -> `client_hello.cipher_suites[]`). Content writers key prose by these;
 * a test checks that decoders emit nothing outside this list and that every entry is emitted by some input.
 *
 * Conventions: an opaque vector `x` is a node `x` with leaves `x.length` and `x.value`; a list `x` is a node
 * with `x.length` and items `x[]`; an extension is a node `extension.<kind>` with `.type`, `.length` and
 * its fields; a whole handshake message is a node named after it with the `handshake.header` node first.
 */

const vec = (id: string): string[] => [id, `${id}.length`, `${id}.value`];
const list = (id: string): string[] => [id, `${id}.length`, `${id}[]`];
const vecList = (id: string): string[] => [...list(id), ...vec(`${id}[]`).slice(1)];
const ext = (kind: string, ...fields: string[]): string[] => [
  `extension.${kind}`,
  `extension.${kind}.type`,
  `extension.${kind}.length`,
  ...fields,
];

const RECORD = [
  'record',
  'record.header',
  'record.header.content_type',
  'record.header.version',
  'record.header.length',
  'record.fragment',
];

const HANDSHAKE = [
  'handshake',
  'handshake.header',
  'handshake.header.msg_type',
  'handshake.header.length',
  'handshake.body',
];

const EXTENSIONS = [
  ...ext(
    'server_name',
    ...list('extension.server_name.server_name_list'),
    'extension.server_name.name_type',
    ...vec('extension.server_name.host_name'),
  ),
  ...ext(
    'status_request',
    'extension.status_request.status_type',
    'extension.status_request.request',
    ...vecList('extension.status_request.responder_id_list'),
    ...vec('extension.status_request.request_extensions'),
  ),
  ...ext('supported_groups', ...list('extension.supported_groups.named_group_list')),
  ...ext('ec_point_formats', ...list('extension.ec_point_formats.ec_point_format_list')),
  ...ext('signature_algorithms', ...list('extension.signature_algorithms.supported_signature_algorithms')),
  ...ext('alpn', ...vecList('extension.alpn.protocol_name_list')),
  ...ext('extended_master_secret'),
  ...ext('session_ticket', 'extension.session_ticket.ticket'),
  ...ext('renegotiation_info', ...vec('extension.renegotiation_info.renegotiated_connection')),
  ...ext('unknown', 'extension.unknown.data'),
];

const HELLOS = [
  'client_hello',
  'client_hello.client_version',
  'client_hello.random',
  ...vec('client_hello.session_id'),
  ...list('client_hello.cipher_suites'),
  ...list('client_hello.compression_methods'),
  'client_hello.extensions',
  'client_hello.extensions.length',
  'server_hello',
  'server_hello.server_version',
  'server_hello.random',
  ...vec('server_hello.session_id'),
  'server_hello.cipher_suite',
  'server_hello.compression_method',
  'server_hello.extensions',
  'server_hello.extensions.length',
];

const OTHER_MESSAGES = [
  'hello_request',
  'server_hello_done',
  'certificate',
  ...vecList('certificate.certificate_list'),
  'server_key_exchange',
  'server_key_exchange.params',
  'server_key_exchange.curve_type',
  'server_key_exchange.named_curve',
  ...vec('server_key_exchange.public'),
  'server_key_exchange.signature_algorithm',
  ...vec('server_key_exchange.signature'),
  'server_key_exchange.body',
  'certificate_request',
  ...list('certificate_request.certificate_types'),
  ...list('certificate_request.supported_signature_algorithms'),
  ...vecList('certificate_request.certificate_authorities'),
  'client_key_exchange',
  ...vec('client_key_exchange.public'),
  ...vec('client_key_exchange.encrypted_pre_master_secret'),
  'client_key_exchange.body',
  'certificate_verify',
  'certificate_verify.signature_algorithm',
  ...vec('certificate_verify.signature'),
  'finished',
  'finished.verify_data',
  'new_session_ticket',
  'new_session_ticket.ticket_lifetime_hint',
  ...vec('new_session_ticket.ticket'),
  'alert',
  'alert.level',
  'alert.description',
  'change_cipher_spec',
  'change_cipher_spec.type',
];

/** All field id patterns, in a stable order (record, handshake framing, hellos, extensions, other messages). */
export const FIELD_IDS: readonly string[] = Object.freeze([
  ...RECORD,
  ...HANDSHAKE,
  ...HELLOS,
  ...EXTENSIONS,
  ...OTHER_MESSAGES,
]);

export type FieldId = (typeof FIELD_IDS)[number];

const FIELD_ID_SET = new Set(FIELD_IDS);

/** True if `id` (raw or normalised) is one of FIELD_IDS. */
export function isKnownFieldId(id: string): boolean {
  return FIELD_ID_SET.has(id.replace(/\[\d+\]/g, '[]'));
}
