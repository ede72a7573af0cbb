/**
 * The sslmode Lab's way into the Handshake Lab for a TLS 1.3 connection: where the outcome says TLSv1.3 was
 * negotiated (`outcomeFacts`: the connection's protocol, or the version a failed attempt's TLS step completed),
 * a link to the same handshake run live (`#/handshake?tls=1.3`) with the same PostgreSQL framing (SSLRequest, or
 * PostgreSQL 17's direct TLS when libpq used sslnegotiation=direct). A failing verify links the TLS 1.3 fault
 * preset that stages it: the server chain libpq rejected in a TLSv1.3 handshake (its step's `protocol` and
 * `verifyError`, OpenSSL's X509_V_ERR code, whose alert `opensslVerifyAlert` gives), or the client certificate
 * the server rejected (its failed `client-cert` step's `verifyError`: the alert the server's OpenSSL sent).
 */
import { outcomeFacts, type ConnectionOutcome } from '../../../lib/sslmode/index';
import { opensslVerifyAlert } from '../../../lib/pki/openssl-alerts';
import { faultForAlert, type FaultId } from '../../../content/handshake/faults';

/** The Handshake Lab address for this outcome's TLS 1.3 handshake, or undefined when it negotiated no TLS 1.3. */
export function tls13HandshakeLink(outcome: ConnectionOutcome): string | undefined {
  const chainFailure = outcome.steps.find(
    (s) => s.kind === 'chain' && s.status === 'fail' && s.protocol === 'TLSv1.3',
  );
  if (outcomeFacts(outcome).protocol !== 'TLSv1.3' && !chainFailure) return undefined;
  const params = new URLSearchParams({ tls: '1.3', pg: framing(outcome) });
  const rejected = outcome.steps.find(
    (s) => s.kind === 'client-cert' && s.status === 'fail' && s.verifyError !== undefined,
  );
  // Who sent the alert: the client, over the server's chain; the server, over the client's certificate.
  const [code, from] = chainFailure
    ? [chainFailure.verifyError, 'client' as const]
    : [rejected?.verifyError, 'server' as const];
  const fault: FaultId | undefined = faultForAlert(code && opensslVerifyAlert(code).name, '1.3', from)?.id;
  if (fault) params.set('fault', fault);
  return `#/handshake?${params}`;
}

/** How the connection started TLS: PostgreSQL 17's direct TLS when libpq used sslnegotiation=direct, else SSLRequest. */
function framing(outcome: ConnectionOutcome): 'direct' | 'sslrequest' {
  return outcome.steps.some((s) => s.rule === 'libpq.sslnegotiation.direct') ? 'direct' : 'sslrequest';
}

/** The Handshake Lab address for this outcome's TLS steps: its TLS 1.3 handshake, else TLS 1.2 with the same framing. */
export function handshakeLabLink(outcome: ConnectionOutcome): string {
  return tls13HandshakeLink(outcome) ?? `#/handshake?pg=${framing(outcome)}`;
}
