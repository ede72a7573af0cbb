import type { InputRole } from '../../workers/chain-session';

/** What a loaded file is, as the loading control and the load report say it. */
export const ROLE_LABELS: Readonly<Record<InputRole, string>> = {
  chain: "the server's chain (its certificate and intermediates)",
  pool: 'intermediates the client may use (never the server’s certificate)',
  trust: 'the trust store (roots the client trusts)',
};
