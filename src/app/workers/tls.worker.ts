/**
 * The Handshake Lab's worker: serves tls-lab.ts (a whole handshake, run before the first step is shown) and
 * capture-session.ts (capture files read, parsed and observed here, never on the page).
 */
import { serveRpc } from './rpc';
import { tlsMethods } from './tls-lab';

export type { TlsMethods } from './tls-lab';

serveRpc(self as unknown as Parameters<typeof serveRpc>[0], tlsMethods);
