/**
 * Client certificates, both ends: what the client loads (certificate file, key file, do they belong together),
 * what the server does with it when it has ssl_ca_file (CertificateRequest, OpenSSL verification with purpose
 * sslclient, the alert a rejected certificate earns), and the names pg_hba's clientcert=verify-full / cert
 * compare with the user name.
 *
 * S: src/interfaces/libpq/fe-secure-openssl.c initialize_SSL() (client files); src/backend/libpq/
 * be-secure-openssl.c be_tls_init() (ssl_ca_file -> SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE), be_tls_open_server()
 * (peer_cn, peer_dn in RFC 2253 form, peer_cert_valid); openssl ssl/statem/statem_lib.c ssl_x509err2alert().
 * Key matching is pki's matchKeyToCert (X509_check_private_key); no secret is kept.
 */

import {
  analyzeChain,
  matchKeyToCert,
  opensslVerifyAlert,
  parseCertificates,
  type CertView,
} from '../pki/index.ts';
import type { RuleId } from './rules.ts';
import type { StepLog } from './steps.ts';
import { memo } from './verify.ts';

/** A client certificate as the server sees it after a successful handshake. */
export interface PeerCertificate {
  /** port->peer_cn: the subject's first CN, or null when it has none. */
  readonly cn: string | null;
  /** port->peer_dn: the subject in RFC 2253 form ("CN=alice,O=Example"). */
  readonly dn: string;
}

export interface ClientCertFile {
  readonly cert: CertView;
  /** Every certificate of the file, leaf first (libpq sends them all: SSL_CTX_use_certificate_chain_file). */
  readonly pem: string;
}

/** The certificate file's first certificate, or an explanation when it has none. */
export async function readClientCertFile(pem: string): Promise<ClientCertFile | { error: string }> {
  const report = await parseCertificates(pem);
  const cert = report.certificates[0];
  if (!cert) {
    const why = report.problems[0]?.message ?? 'no certificate in the file';
    return { error: why };
  }
  return { cert, pem };
}

export function peerOf(cert: CertView): PeerCertificate {
  let cn: string | null = null;
  for (const rdn of cert.subject.rdns)
    for (const a of rdn) if (a.oid === '2.5.4.3' && cn === null) cn = a.value;
  return { cn, dn: cert.subject.rfc4514 };
}

/**
 * The reason text the client's OpenSSL prints for the alert the server sends (ssl/ssl_err.c: the "SSL alert
 * number" reasons 1000 + alert). The alert itself comes from pki's copy of ssl_x509err2alert.
 */
export const ALERT_REASONS: Readonly<Record<number, string>> = {
  40: 'sslv3 alert handshake failure',
  42: 'sslv3 alert bad certificate',
  43: 'sslv3 alert unsupported certificate',
  44: 'sslv3 alert certificate revoked',
  45: 'sslv3 alert certificate expired',
  46: 'sslv3 alert certificate unknown',
  48: 'tlsv1 alert unknown ca',
  51: 'tlsv1 alert decrypt error',
  80: 'tlsv1 alert internal error',
};

export interface ClientChainVerdict {
  readonly trusted: boolean;
  readonly error?: { readonly code: string; readonly message: string };
  /** TLS alert number the server sends when it rejects the certificate. */
  readonly alert?: number;
  /** OpenSSL's reason text for that alert, as the client prints it. */
  readonly alertReason?: string;
  readonly path: readonly string[];
}

/** The server's OpenSSL verifying the client's certificate file against ssl_ca_file (purpose sslclient). */
export async function verifyClientChain(input: {
  readonly chainPem: string;
  readonly caPem: string;
  readonly time: Date;
}): Promise<ClientChainVerdict> {
  const analysis = await analyzeChain({
    certificates: input.chainPem,
    trustAnchors: input.caPem,
    time: input.time,
    purpose: 'clientAuth',
    profile: 'openssl-3',
  });
  const subjectOf = new Map(
    [...analysis.certificates, ...analysis.anchors].map((c) => [c.id, c.subject.rfc4514] as const),
  );
  const path = (analysis.verdict.path ?? []).map((id) => subjectOf.get(id) ?? id);
  if (analysis.verdict.valid) return { trusted: true, path };
  const e = analysis.verdict.error;
  const alert = opensslVerifyAlert(e?.code).number;
  return {
    trusted: false,
    ...(e ? { error: { code: e.code, message: e.message } } : {}),
    alert,
    alertReason: ALERT_REASONS[alert] ?? `SSL alert number ${alert}`,
    path,
  };
}

/**
 * Node's err.message for an alert the peer sent, without the leading thread id OpenSSL 3 puts there
 * ("80DC41393D7F0000:"): ERR_error_string_n() of SSL reason 1000 + alert, raised in ssl3_read_bytes() of the
 * OpenSSL Node 20 bundles (rec_layer_s3.c line 1601), then "SSL alert number N" and a newline.
 */
export function nodeAlertMessage(alert: number): string {
  const reason = ALERT_REASONS[alert] ?? `ssl alert ${alert}`;
  const code = (0x0a000000 + 1000 + alert).toString(16).toUpperCase().padStart(8, '0');
  return `error:${code}:SSL routines:ssl3_read_bytes:${reason}:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number ${alert}\n`;
}

/** What the client will offer when the server asks (libpq initialize_SSL(), before the handshake). */
export type LoadedClientCert =
  | { readonly kind: 'none'; readonly detail: string }
  | { readonly kind: 'error'; readonly text: string; readonly detail: string }
  | {
      readonly kind: 'loaded';
      readonly file: ClientCertFile;
      readonly peer: PeerCertificate;
      readonly detail: string;
    };

/**
 * A file libpq reads in initialize_SSL(): the option's value as written (an empty value is unset), else
 * `name` under $HOME/.postgresql, printed with HOME expanded. libpq expands no `~`: a value starting with it
 * names a directory "~" in the working directory, which the lab never holds (psql 15:
 * `root certificate file "~/.postgresql/root.crt" does not exist`). The scenario's key `~/.postgresql/<name>` is
 * the file in $HOME, found by the default and by its absolute path.
 */
export function libpqFile(
  files: Readonly<Record<string, string>>,
  home: string,
  value: string | undefined,
  name: string,
): { readonly path: string; readonly pem: string | undefined } {
  const path = value ?? `${home}/.postgresql/${name}`;
  if (path.startsWith('~')) return { path, pem: undefined };
  const homeKey = path.startsWith(`${home}/`) ? `~/${path.slice(home.length + 1)}` : undefined;
  return { path, pem: files[path] ?? (homeKey === undefined ? undefined : files[homeKey]) };
}

/**
 * libpq initialize_SSL(): the certificate file, then the key file, then whether they belong together.
 * `home` prints the default paths the way libpq does (the expanded HOME).
 */
export async function loadLibpqClientCert(input: {
  readonly sslcert: string | undefined;
  readonly sslkey: string | undefined;
  readonly sslcertmode: string | undefined;
  readonly home: string;
  readonly files: Readonly<Record<string, string>>;
}): Promise<LoadedClientCert> {
  if (input.sslcertmode === 'disable')
    return { kind: 'none', detail: 'sslcertmode=disable: no client certificate is sent.' };
  const { path: certPath, pem: certPem } = libpqFile(
    input.files,
    input.home,
    input.sslcert,
    'postgresql.crt',
  );
  if (certPem === undefined) {
    return {
      kind: 'none',
      detail: `No client certificate file ${certPath}: libpq goes on without one (no error${input.sslcert ? ', even though sslcert names it' : ''}).`,
    };
  }
  const file = await readClientCertFile(certPem);
  if ('error' in file) {
    // Oracle H6 (OpenSSL 3.0) for a file that is not PEM; other contents may give another OpenSSL reason.
    return {
      kind: 'error',
      text: `could not read certificate file "${certPath}": no start line`,
      detail: `${certPath} holds no certificate (${file.error}).`,
    };
  }
  const { path: keyPath, pem: keyPem } = libpqFile(input.files, input.home, input.sslkey, 'postgresql.key');
  if (keyPem === undefined) {
    return {
      kind: 'error',
      text: `certificate present, but not private key file "${keyPath}"`,
      detail: `The certificate ${certPath} is there but its key file ${keyPath} is not.`,
    };
  }
  const match = await matchKeyToCert(keyPem, file.cert);
  const subject = file.cert.subject.rfc4514;
  if (match.kind === 'mismatch') {
    return {
      kind: 'error',
      text: `could not load private key file "${keyPath}": key values mismatch`,
      detail: `${keyPath} is not the key of the certificate ${subject} (OpenSSL X509_check_private_key while loading it).`,
    };
  }
  if (match.kind === 'unreadable') {
    // Oracle H6 (OpenSSL 3.0) for a file that is not PEM; other contents may give another OpenSSL reason.
    return {
      kind: 'error',
      text: `could not load private key file "${keyPath}": unsupported`,
      detail: `${keyPath} holds no readable private key (${match.why}).`,
    };
  }
  const caveat =
    match.kind === 'unknown' ? ` The engine could not compare the key (${match.why}); assumed to match.` : '';
  return {
    kind: 'loaded',
    file,
    peer: peerOf(file.cert),
    detail: `Client certificate ${subject} (${certPath}) with its key ${keyPath}.${caveat}`,
  };
}

export type ClientCertJudgement =
  | { readonly kind: 'not-requested'; readonly detail: string }
  | { readonly kind: 'none-sent'; readonly detail: string }
  | { readonly kind: 'accepted'; readonly peer: PeerCertificate; readonly detail: string }
  | {
      readonly kind: 'rejected';
      readonly alert: number;
      /** The server's OpenSSL verify error on the certificate (`X509_V_ERR_…`), when verification gave one. */
      readonly verifyError?: string;
      readonly reason: string;
      readonly detail: string;
    };

const verifyMemo = memo(
  (a: { chainPem: string; caPem: string; time: Date }) => verifyClientChain(a),
  (a) => `${a.time.getTime()}\u0000${a.caPem}\u0000${a.chainPem}`,
);

/** The server's side of the client certificate (be-secure-openssl.c): request, verify, alert. */
export async function serverJudgesClientCert(
  caFile: string | undefined,
  cert: { readonly file: ClientCertFile; readonly peer: PeerCertificate } | null,
  time: Date,
): Promise<ClientCertJudgement> {
  if (!caFile) {
    return {
      kind: 'not-requested',
      detail: cert
        ? 'The server has no ssl_ca_file, so it sends no CertificateRequest: the client certificate stays unsent.'
        : 'The server has no ssl_ca_file: no CertificateRequest.',
    };
  }
  if (!cert) {
    return {
      kind: 'none-sent',
      detail:
        'CertificateRequest received (ssl_ca_file is set); the client has no certificate and sends an empty one. The server accepts that at the TLS level.',
    };
  }
  const v = await verifyMemo({ chainPem: cert.file.pem, caPem: caFile, time });
  if (v.trusted) {
    return {
      kind: 'accepted',
      peer: cert.peer,
      detail: `CertificateRequest received; sent ${cert.file.cert.subject.rfc4514}; the server verified it against ssl_ca_file: ${v.path.join(' -> ')}.`,
    };
  }
  const why = v.error ? `${v.error.message} (${v.error.code})` : 'untrusted';
  return {
    kind: 'rejected',
    alert: v.alert ?? 42,
    ...(v.error ? { verifyError: v.error.code } : {}),
    reason: v.alertReason ?? 'sslv3 alert bad certificate',
    detail: `CertificateRequest received; sent ${cert.file.cert.subject.rfc4514}; the server's OpenSSL rejects it (${why}) and sends the alert "${v.alertReason}".`,
  };
}

/** The failed `client-cert` step of a rejection, with the server's verify error as its fact when it has one. */
export function logRejection(
  log: StepLog,
  attempt: number,
  j: ClientCertJudgement & { kind: 'rejected' },
  rule: RuleId,
): void {
  log.push(
    attempt,
    'client-cert',
    'fail',
    j.detail,
    rule,
    j.verifyError ? { verifyError: j.verifyError } : {},
  );
}

/** A fix for the client-certificate failures, or null when the error is about something else. */
export function clientCertFix(error: string): string | null {
  if (error.includes('client certificates can only be checked'))
    return 'Set ssl_ca_file on the server (the CA that issues client certificates) and reload, or drop clientcert=/cert from the pg_hba.conf line.';
  if (error.includes('connection requires a valid client certificate'))
    return "Give the client a certificate from a CA in the server's ssl_ca_file: sslcert=/sslkey= (or ~/.postgresql/postgresql.crt and postgresql.key).";
  if (error.includes('certificate authentication failed') || error.includes('"trust" authentication failed'))
    return "The certificate's CN (or DN with clientname=DN) must equal the user name: connect as that user, reissue the certificate, or map names with pg_ident.conf (map=).";
  if (error.includes('private key file'))
    return 'Put the private key that belongs to the certificate next to it (sslkey=, or ~/.postgresql/postgresql.key, mode 0600).';
  if (/alert (unknown ca|certificate expired|bad certificate|unsupported certificate)/.test(error))
    return "The server rejected the client certificate: it must chain to a CA in the server's ssl_ca_file, be within its validity period and allow client authentication (EKU clientAuth).";
  return null;
}
