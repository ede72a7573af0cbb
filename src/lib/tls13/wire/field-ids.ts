/**
 * The field ids the TLS 1.3 decoders add to tls12/wire's FIELD_IDS (same conventions: `x` vector -> `x`,
 * `x.length`, `x.value`; list -> `x`, `x.length`, `x[]`). Record, handshake header, CertificateVerify,
 * Finished and the extensions both versions share keep their 1.2 ids.
 */
const vec = (id: string): string[] => [id, `${id}.length`, `${id}.value`];
const list = (id: string): string[] => [id, `${id}.length`, `${id}[]`];
const block = (owner: string): string[] => [`${owner}.extensions`, `${owner}.extensions.length`];
const ext = (kind: string, ...fields: string[]): string[] => [
  `extension.${kind}`,
  `extension.${kind}.type`,
  `extension.${kind}.length`,
  ...fields,
];

export const FIELD_IDS_13: readonly string[] = Object.freeze([
  'client_hello.legacy_version',
  ...vec('client_hello.legacy_session_id'),
  ...list('client_hello.legacy_compression_methods'),
  'server_hello.legacy_version',
  ...vec('server_hello.legacy_session_id_echo'),
  'server_hello.legacy_compression_method',
  ...ext(
    'supported_versions',
    ...list('extension.supported_versions.versions'),
    'extension.supported_versions.selected_version',
  ),
  ...ext(
    'key_share',
    ...list('extension.key_share.client_shares'),
    'extension.key_share.server_share',
    'extension.key_share.group',
    ...vec('extension.key_share.key_exchange'),
    'extension.key_share.selected_group',
  ),
  ...ext('psk_key_exchange_modes', ...list('extension.psk_key_exchange_modes.ke_modes')),
  ...ext('cookie', ...vec('extension.cookie.cookie')),
  'encrypted_extensions',
  ...block('encrypted_extensions'),
  ...vec('certificate_request.certificate_request_context'),
  ...block('certificate_request'),
  ...vec('certificate.certificate_request_context'),
  ...vec('certificate.cert_data'),
  ...block('certificate.entry'),
  'new_session_ticket.ticket_lifetime',
  'new_session_ticket.ticket_age_add',
  ...vec('new_session_ticket.ticket_nonce'),
  ...block('new_session_ticket'),
  'key_update',
  'key_update.request_update',
  'end_of_early_data',
  'tls_inner_plaintext',
  'tls_inner_plaintext.content',
  'tls_inner_plaintext.type',
  'tls_inner_plaintext.zeros',
]);
