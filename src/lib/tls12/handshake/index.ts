/**
 * TLS 1.2 handshake engine: rustls-style typed states, no I/O.
 *
 *   newClient(config) / newServer(config) -> state
 *   clientStep(state, input) / serverStep(state, input) -> Promise<{ state, events }>
 *     input:  { kind: 'start' } | { kind: 'bytes', data } | { kind: 'application-data', data } | { kind: 'close' } | { kind: 'end' }
 *     events: { kind: 'send', bytes } plus event log entries (record, message, change_cipher_spec, secret,
 *             alert, application_data, handshake_complete, closed)
 *   runHandshake(scenario) -> { eventLog, ok, summary, alert, ... }   (both sides in memory)
 *   acceptAnyCertificate: CertificateVerifier (the verifier that checks is tls12/pki-verifier.ts)
 *   eventLogToJson / eventLogFromJson, nssKeyLogLine, deterministicRandom
 */
export * from './alerts.ts';
export { clientStep, newClient } from './client.ts';
export { serverStep, newServer } from './server.ts';
export * from './config.ts';
export type { EngineEvent, Received } from './connection.ts';
export { deterministicRandom } from './deterministic-random.ts';
export { nssKeyLogLine } from './secrets.ts';
export { runHandshake, type HandshakeRun, type Scenario } from './run-handshake.ts';
export type * from './states.ts';
export * from './event-log.ts';
export { parseCertificate, type CertificateInfo } from './certificate-info.ts';
export { pemToDer } from '../../bytes/pem.ts';
export { CIPHER_SUITES, DEFAULT_SUITES, cipherSuite, type CipherSuiteInfo } from '../crypto/suites.ts';
