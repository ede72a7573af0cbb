/**
 * TLS 1.2, the front door (as `pki/index.ts` and `sslmode/index.ts` are theirs): the client and server engines
 * (`handshake/`), the codec (`wire/`), what a run records (`recording.ts`) and the passive observer that turns a
 * captured connection and a key log into the same event log (`observe.ts`). The app and the CLI import TLS from
 * here; tests may reach inside. The one certificate verifier, `pki-verifier.ts`, is imported on its own by the
 * worker and the CLI: it brings in the path builder, which the views must not load.
 */
export * from './handshake/index.ts';
export * from './wire/index.ts';
export * from './recording.ts';
export * from './observe.ts';
export {
  keyLogLineName,
  parseKeyLog,
  KeyLogParseError,
  TLS13_KEY_LOG_LABELS,
  type KeyLogEntry,
  type KeyLogLineRef,
} from './crypto/index.ts';
