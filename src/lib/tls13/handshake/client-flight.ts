/**
 * The client after ServerHello: the server's encrypted flight (RFC 8446 §4.3-§4.4), our answer, and the
 * established connection.
 */
import { TlsAlert } from '../../tls12/handshake/alerts.ts';
import { privateKeyFromPkcs8 } from '../../tls12/crypto/keys.ts';
import { parseCertificate, type CertificateInfo } from '../../tls12/handshake/certificate-info.ts';
import { findExtension13 } from '../wire/index.ts';
import type { Received13 } from './connection.ts';
import {
  checkCertificateVerify,
  established13,
  schemeFitsKey13,
  signCertificateVerify,
  summarise13,
} from './common.ts';
import { applicationSecrets, checkFinished, finishedFor, protection } from './secrets.ts';
import type { CertificateRequestSeen, Client13State, Negotiated13 } from './states.ts';

export function base13(s: Client13State) {
  return { side: 'client' as const, conn: s.conn, config: s.config, resolved: s.resolved };
}

export function describe(item: Received13): string {
  return item.kind === 'handshake' ? item.message.type : item.kind;
}

type State<N extends Client13State['name']> = Extract<Client13State, { name: N }>;

export function expect<T extends string>(item: Received13, type: T, what: string) {
  if (item.kind !== 'handshake' || item.message.type !== type)
    throw new TlsAlert('unexpected_message', `expected ${what}, got ${describe(item)}`);
  return item as Extract<Received13, { kind: 'handshake' }> & { message: { type: T } };
}

export async function onServerFlight(state: Client13State, item: Received13): Promise<Client13State> {
  const { conn } = state;
  switch (state.name) {
    case 'ClientStart':
    case 'ExpectServerHello':
    case 'AnswerHelloRetryRequest':
      throw new TlsAlert('unexpected_message', `unexpected ${describe(item)} before ServerHello`);
    case 'ExpectEncryptedExtensions': {
      const h = expect(item, 'encrypted_extensions', 'EncryptedExtensions');
      conn.transcript.push(h.bytes);
      if (h.message.type !== 'encrypted_extensions') throw new Error('unreachable');
      const alpn = findExtension13(h.message.message.extensions, 'alpn')?.protocols[0];
      if (alpn !== undefined && !state.resolved.alpn.includes(alpn))
        throw new TlsAlert('illegal_parameter', `the server chose ALPN "${alpn}", which we did not offer`);
      const hs = { ...state.hs, ...(alpn !== undefined ? { alpn } : {}) };
      return { ...base13(state), name: 'ExpectCertificateOrCertificateRequest', hs };
    }
    case 'ExpectCertificateOrCertificateRequest':
      if (item.kind === 'handshake' && item.message.type === 'certificate_request') {
        conn.transcript.push(item.bytes);
        const m = item.message.message;
        const schemes = findExtension13(m.extensions, 'signature_algorithms')?.schemes;
        if (!schemes)
          throw new TlsAlert(
            'missing_extension',
            'CertificateRequest without signature_algorithms (RFC 8446 §4.3.2)',
          );
        const request = { context: m.certificateRequestContext, signatureSchemes: schemes };
        return { ...base13(state), name: 'ExpectCertificate', hs: state.hs, request };
      }
      return onCertificate(state, item, undefined);
    case 'ExpectCertificate':
      return onCertificate(state, item, state.request);
    case 'ExpectCertificateVerify': {
      const h = expect(item, 'certificate_verify', 'CertificateVerify');
      if (h.message.type !== 'certificate_verify') throw new Error('unreachable');
      const cv = h.message.message;
      const signature = checkCertificateVerify(
        conn,
        state.hs,
        state.leaf.publicKey,
        state.resolved.signatureSchemes,
        cv,
      );
      signature.catch(() => undefined); // awaited below, after the chain's verdict (its alert comes first)
      const verdict = await state.verdict;
      if (!verdict.ok) throw new TlsAlert(verdict.alert, verdict.reason);
      await signature;
      conn.transcript.push(h.bytes);
      const hs = { ...state.hs, signatureScheme: cv.signatureScheme };
      return {
        ...base13(state),
        name: 'ExpectFinished',
        hs,
        ...(state.request ? { request: state.request } : {}),
      };
    }
    case 'ExpectFinished':
      return onFinished(state, item);
    case 'Established': {
      const r = await established13(conn, state.hs, state.traffic, item);
      return typeof r === 'string'
        ? { ...base13(state), name: 'Closed', reason: r }
        : { ...state, traffic: r };
    }
    case 'Closed':
    case 'Tls12':
      return state;
  }
}

/** RFC 8446 §4.4.2 server Certificate, checked by the injected verifier. */
async function onCertificate(
  state: State<'ExpectCertificateOrCertificateRequest' | 'ExpectCertificate'>,
  item: Received13,
  request: CertificateRequestSeen | undefined,
): Promise<Client13State> {
  const h = expect(item, 'certificate', request ? 'Certificate' : 'Certificate or CertificateRequest');
  if (h.message.type !== 'certificate') throw new Error('unreachable');
  const m = h.message.message;
  if (m.certificateRequestContext.length !== 0)
    throw new TlsAlert(
      'illegal_parameter',
      'the server Certificate has a non-empty certificate_request_context (RFC 8446 §4.4.2)',
    );
  if (m.certificateList.length === 0)
    throw new TlsAlert('decode_error', 'the server sent an empty Certificate (RFC 8446 §4.4.2.4)');
  const chain = m.certificateList.map((e) => e.certData);
  let leaf: CertificateInfo;
  try {
    leaf = parseCertificate(chain[0]!);
  } catch (e) {
    throw new TlsAlert('bad_certificate', `cannot parse the server certificate: ${(e as Error).message}`);
  }
  const { config, resolved, conn } = state;
  // Checked while the CertificateVerify arrives (the verifier and the signature check run side by side); the
  // verifier's alert still comes before any about the signature.
  const verdict = config.verifier({
    chain,
    ...(config.serverName ? { serverName: config.serverName } : {}),
    now: resolved.now(),
  });
  verdict.catch(() => undefined);
  conn.transcript.push(h.bytes);
  const hs = { ...state.hs, serverCertificates: chain };
  return {
    ...base13(state),
    name: 'ExpectCertificateVerify',
    hs,
    leaf,
    verdict,
    ...(request ? { request } : {}),
  };
}

/** RFC 8446 §4.4.4 the server Finished, then our flight and the application traffic keys. */
async function onFinished(state: State<'ExpectFinished'>, item: Received13): Promise<Client13State> {
  const { conn, config, resolved } = state;
  const h = expect(item, 'finished', 'Finished');
  if (h.message.type !== 'finished') throw new Error('unreachable');
  let hs: Negotiated13 = state.hs;
  const suite = hs.suite;
  await checkFinished(conn, suite, hs.serverHandshakeSecret, h.message.message.verifyData);
  conn.transcript.push(h.bytes);
  const { traffic, keyLog } = await applicationSecrets(conn, hs);
  if (resolved.middleboxCompat && !conn.sentChangeCipherSpec) conn.sendChangeCipherSpec();
  conn.useHeldWrite();
  if (state.request) hs = await sendClientCertificate(state, hs, state.request);
  const verifyData = (await finishedFor(conn, suite, 'client', hs.clientHandshakeSecret)).slice();
  if (config.tamper === 'finished') verifyData[0]! ^= 0x01;
  conn.sendHandshake(
    { type: 'finished', message: { verifyData } },
    { tampered: config.tamper === 'finished' },
  );
  const names = ['server_application_traffic_secret_0', 'client_application_traffic_secret_0'];
  conn.setRead(await protection(conn, suite, names[0]!, traffic.server.secret));
  conn.setWrite(await protection(conn, suite, names[1]!, traffic.client.secret));
  conn.emit({ kind: 'handshake_complete', from: 'client', summary: summarise13(hs, keyLog) });
  return { ...base13(state), name: 'Established', hs, traffic };
}

/** RFC 8446 §4.4.2-§4.4.3: our Certificate (empty when we have none) and CertificateVerify. */
async function sendClientCertificate(
  state: State<'ExpectFinished'>,
  hs: Negotiated13,
  request: CertificateRequestSeen,
): Promise<Negotiated13> {
  const { conn, config, resolved } = state;
  const chain = config.certificateChain && config.privateKey ? config.certificateChain : [];
  conn.sendHandshake({
    type: 'certificate',
    message: {
      certificateRequestContext: request.context,
      certificateList: chain.map((certData) => ({ certData, extensions: [] })),
    },
  });
  if (chain.length === 0) return { ...hs, clientCertificates: [] };
  const key = privateKeyFromPkcs8(config.privateKey!);
  const scheme = resolved.signatureSchemes.find(
    (s) => request.signatureSchemes.includes(s) && schemeFitsKey13(key, s),
  );
  if (scheme === undefined)
    throw new TlsAlert(
      'handshake_failure',
      'no signature scheme in the CertificateRequest fits our client key',
    );
  const signature = (await signCertificateVerify(conn, hs, key, scheme, resolved.deterministic)).slice();
  if (config.tamper === 'certificate-verify') signature[signature.length - 1]! ^= 0x01;
  conn.sendHandshake({ type: 'certificate_verify', message: { signatureScheme: scheme, signature } });
  return { ...hs, clientCertificates: chain, clientSignatureScheme: scheme };
}
