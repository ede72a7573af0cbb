/** The TLS 1.3 engines: client and server state machines, their event log, the downgrade sentinel. */
export { client13Step, newClient13 } from './client.ts';
export * from './config.ts';
export { Connection13, type Received13, type Protection } from './connection.ts';
export * from './downgrade.ts';
export * from './on-path.ts';
export * from './event-log.ts';
export type * from './states.ts';
export { schemeFitsKey13 } from './common.ts';
export { newServer13, server13Step } from './server.ts';
export { runHandshake13, type HandshakeRun13, type Scenario13 } from './run-handshake.ts';
