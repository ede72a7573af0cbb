/**
 * The certificate engine, off the main thread: parsing a 1,000-certificate bundle or building paths against
 * the Mozilla roots never blocks the page. The heavy library (pkijs, for PKCS#12) loads here only.
 */
import { serveRpc } from './rpc';
import { analyzeChain, parseCertificates } from '../../lib/pki/index';
import { getTrustStore } from '../../lib/pki/trust-stores/index';
import { runChainSession } from './chain-session';

export const pkiMethods = {
  parseCertificates,
  analyzeChain,
  getTrustStore,
  runChainSession,
};

export type PkiMethods = typeof pkiMethods;

serveRpc(self as unknown as Parameters<typeof serveRpc>[0], pkiMethods);
