import type { InputRole } from '../../workers/chain-session';

/** What a loaded file is, as the load report says it. */
export const ROLE_LABELS: Readonly<Record<InputRole, string>> = {
  chain: "the server's chain (its certificate and intermediates)",
  pool: 'intermediates the client may use (never the server’s certificate)',
  trust: 'the trust store (roots the client trusts)',
};

/** The loading control's options: short, so a select is never wider than the side column; ROLE_LABELS explains. */
export const ROLE_CHOICES: Readonly<Record<InputRole, string>> = {
  chain: "the server's chain",
  pool: 'an intermediates pool',
  trust: 'the trust store',
};
