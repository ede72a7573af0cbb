/**
 * The sslmode Lab's way into the Handshake Lab for a TLS 1.3 connection: where the outcome says TLSv1.3 was
 * negotiated (`outcomeFacts`: the connection's protocol, or the version a failed attempt's TLS step completed),
 * a link to the same handshake run live (`#/handshake?tls=1.3`) with the same PostgreSQL framing (SSLRequest, or
 * PostgreSQL 17's direct TLS when libpq used sslnegotiation=direct) and, when the server rejected the client's
 * certificate for its CA, the TLS 1.3 fault preset that stages it.
 */
import { outcomeFacts, type ConnectionOutcome } from '../../../lib/sslmode/index';
import type { FaultId } from '../../../content/handshake/faults';

/** The Handshake Lab address for this outcome's TLS 1.3 handshake, or undefined when it negotiated no TLS 1.3. */
export function tls13HandshakeLink(outcome: ConnectionOutcome): string | undefined {
  if (outcomeFacts(outcome).protocol !== 'TLSv1.3') return undefined;
  const direct = outcome.steps.some((s) => s.rule === 'libpq.sslnegotiation.direct');
  const params = new URLSearchParams({ tls: '1.3', pg: direct ? 'direct' : 'sslrequest' });
  const fault: FaultId | undefined =
    outcome.clientCertificate?.verdict === 'rejected' && /alert unknown ca/.test(outcome.error ?? '')
      ? 'tls13-client-cert-unknown-ca'
      : undefined;
  if (fault) params.set('fault', fault);
  return `#/handshake?${params}`;
}
