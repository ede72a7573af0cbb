/**
 * The sslmode Lab's way into the Handshake Lab for a TLS 1.3 connection: where the outcome says TLSv1.3 was
 * negotiated (`outcomeFacts`: the connection's protocol, or the version a failed attempt's TLS step completed),
 * a link to the same handshake run live (`#/handshake?tls=1.3`) with the same PostgreSQL framing (SSLRequest, or
 * PostgreSQL 17's direct TLS when libpq used sslnegotiation=direct). A failing verify links the preset that stages
 * it in a TLS 1.3 run (`stagingPreset`); where none does, the view says the linked run completes.
 */
import { outcomeFacts, type ConnectionOutcome } from '../../../lib/sslmode/index';
import { opensslVerifyAlert } from '../../../lib/pki/openssl-alerts';
import { faultForAlert, type FaultId } from '../../../content/handshake/faults';
import { faultChoices } from '../handshake/scenario';

/** The Handshake Lab address for this outcome's TLS 1.3 handshake, or undefined when it negotiated no TLS 1.3. */
export function tls13HandshakeLink(outcome: ConnectionOutcome): string | undefined {
  const failure = tls13Failure(outcome);
  if (outcomeFacts(outcome).protocol !== 'TLSv1.3' && !chainFailure(outcome)) return undefined;
  const params = new URLSearchParams({ tls: '1.3', pg: framing(outcome) });
  const staged = failure && stagingPreset(failure);
  if (staged?.both) params.set('tls', 'both'); // its side shown first is TLS 1.3 (`side`'s default)
  if (staged) params.set('fault', staged.id);
  return `#/handshake?${params}`;
}

/**
 * Whether this outcome's TLS 1.3 handshake failed with an alert no preset of the Handshake Lab stages (an expired
 * client certificate, say): its link then opens the same handshake without the failure, and must say so.
 */
export function tls13FailureUnstaged(outcome: ConnectionOutcome): boolean {
  const failure = tls13Failure(outcome);
  return failure !== undefined && !stagingPreset(failure);
}

/**
 * The alert a failed TLS 1.3 handshake ended in: the client's, over the server's chain libpq rejected (its step's
 * `protocol` and `verifyError`, OpenSSL's X509_V_ERR code, whose alert `opensslVerifyAlert` gives), or the server's,
 * over the client certificate it rejected (the failed `client-cert` step's `verifyError`).
 */
function tls13Failure(outcome: ConnectionOutcome): { alert: string; from: 'client' | 'server' } | undefined {
  const chain = chainFailure(outcome);
  if (chain?.verifyError !== undefined)
    return { alert: opensslVerifyAlert(chain.verifyError).name, from: 'client' };
  const rejected = outcome.steps.find(
    (s) => s.kind === 'client-cert' && s.status === 'fail' && s.verifyError !== undefined,
  );
  return rejected?.verifyError !== undefined && outcomeFacts(outcome).protocol === 'TLSv1.3'
    ? { alert: opensslVerifyAlert(rejected.verifyError).name, from: 'server' }
    : undefined;
}

/** The server chain libpq rejected in a TLS 1.3 handshake (a failed attempt's TLS step completed that version). */
function chainFailure(outcome: ConnectionOutcome) {
  return outcome.steps.find((s) => s.kind === 'chain' && s.status === 'fail' && s.protocol === 'TLSv1.3');
}

/**
 * The preset that stages this failure in a TLS 1.3 run: a TLS 1.3 preset ending in its alert, else a certificate
 * preset the lab stages in both versions (tls=both: an expired server certificate is one).
 */
function stagingPreset(failure: {
  alert: string;
  from: 'client' | 'server';
}): { id: FaultId; both: boolean } | undefined {
  const own = faultForAlert(failure.alert, '1.3', failure.from);
  if (own) return { id: own.id, both: false };
  const both = faultChoices('both').find(
    (f) => f.id !== 'none' && f.alert === failure.alert && f.alertFrom === failure.from,
  );
  return both ? { id: both.id, both: true } : undefined;
}

/** How the connection started TLS: PostgreSQL 17's direct TLS when libpq used sslnegotiation=direct, else SSLRequest. */
function framing(outcome: ConnectionOutcome): 'direct' | 'sslrequest' {
  return outcome.steps.some((s) => s.rule === 'libpq.sslnegotiation.direct') ? 'direct' : 'sslrequest';
}

/** The Handshake Lab address for this outcome's TLS steps: its TLS 1.3 handshake, else TLS 1.2 with the same framing. */
export function handshakeLabLink(outcome: ConnectionOutcome): string {
  return tls13HandshakeLink(outcome) ?? `#/handshake?pg=${framing(outcome)}`;
}
