/**
 * Errors of the crypto layer. One class, a string-literal `kind`, and where it maps onto a TLS alert the
 * alert's name (RFC 5246 §7.2.2) so the handshake layer can send it without guessing.
 */

export type CryptoErrorKind =
  /** Record authentication failed: AEAD tag, CBC padding or CBC MAC. Deliberately one kind (RFC 5246 §6.2.3.2). */
  | 'bad-record-mac'
  /** A ciphertext longer than 2^14 + 2048 bytes (RFC 5246 §6.2.3). */
  | 'record-overflow'
  /** Input of the wrong length or shape: key, nonce, public point, DER structure. */
  | 'invalid-input'
  /** An algorithm, group, scheme or key type this layer does not implement. */
  | 'unsupported'
  /** An ECDH result that must be rejected (all-zero X25519 output, RFC 8422 §5.11). */
  | 'invalid-shared-secret'
  /** A sequence number would wrap (RFC 5246 §6.1). */
  | 'sequence-overflow';

const ALERT_OF: Record<CryptoErrorKind, string | undefined> = {
  'bad-record-mac': 'bad_record_mac',
  'record-overflow': 'record_overflow',
  'invalid-input': 'illegal_parameter',
  unsupported: 'handshake_failure',
  'invalid-shared-secret': 'illegal_parameter',
  'sequence-overflow': undefined,
};

export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  readonly kind: CryptoErrorKind;
  /** The TLS alert description this error calls for, if any (e.g. 'bad_record_mac'). */
  readonly alert: string | undefined;

  constructor(kind: CryptoErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.alert = ALERT_OF[kind];
  }
}

export function isCryptoError(value: unknown, kind?: CryptoErrorKind): value is CryptoError {
  return value instanceof CryptoError && (kind === undefined || value.kind === kind);
}
