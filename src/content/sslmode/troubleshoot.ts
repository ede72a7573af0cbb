/**
 * The troubleshooter's words around a diagnosis, the same in the sslmode Lab (views/sslmode/Troubleshooter) and in
 * `tls-lab sslmode --diagnose`: what a reproduction's match means, and when no sslmode setting is the answer.
 */
import type { Troubleshooting } from '../../lib/sslmode/index.ts';

export const NOT_SSLMODE = 'Not an sslmode matter: no sslmode, root file or certificate change fixes this.';

/** What the reproduction's match says about it (`troubleshoot()`'s `match`). */
export const MATCH_TEXT: Record<Troubleshooting['match'], string> = {
  exact: 'It prints your text (host names, ports and paths aside).',
  partial:
    'It prints every line you pasted, and more: the client prints the rest too, or you left a line out.',
  different:
    'The scenario this text suggests prints something else, so it is not offered as a reproduction. The explanation above still applies.',
  none: 'No scenario here produces this exact text. The explanation above still applies.',
};
