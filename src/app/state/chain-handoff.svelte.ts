/**
 * What the Chain Lab hands the sslmode Lab, in this tab's memory only (never in the URL, never stored, never
 * sent anywhere): the certificates the Chain Lab is showing, as a PostgreSQL server's ssl_cert_file would hold
 * them, and the trust anchor its chosen path ends in, as a client's root certificate file would hold it.
 * It also keeps the user's own inputs, so that leaving the Chain Lab and coming back does not drop them.
 */

export interface HandoffChain {
  /** The leaf's name for labels: its CN, else its subject. */
  readonly leaf: string;
  /** The certificates as the Chain Lab holds them, leaf first, as concatenated PEM. */
  readonly chainPem: string;
  readonly count: number;
  /** The trust anchor of the Chain Lab's chosen path (its CN or subject, and its PEM), when it found one. */
  readonly anchor?: { readonly subject: string; readonly pem: string };
  /** The Chain Lab's validation time (ISO 8601), so that both labs judge at the same moment. */
  readonly time: string;
}

class ChainHandoff {
  chain = $state.raw<HandoffChain | null>(null);
  /** The Chain Lab's own inputs (pasted text or File handles), kept while the tab lives. */
  inputs: readonly { readonly name: string; readonly content: string | Uint8Array | Blob }[] = [];
}

export const chainHandoff = new ChainHandoff();
