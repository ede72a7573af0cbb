/**
 * TLS 1.3, the front door (as `tls12/index.ts` is 1.2's): the handshake engines (`handshake/`), the codec
 * (`wire/`), the key schedule, record protection and the suites. The app and the CLI import TLS 1.3 from here.
 */
export * from './handshake/index.ts';
export * from './wire/index.ts';
export * from './key-schedule.ts';
export * from './record-protection.ts';
export * from './signed-content.ts';
export * from './suites.ts';
