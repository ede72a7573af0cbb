/** The server after its ServerHello: its encrypted flight, the client's answer, then the established phase. */
import type { PrivateKey } from '../../tls12/crypto/keys.ts';
import { TlsAlert } from '../../tls12/handshake/alerts.ts';
import { parseCertificate, type CertificateInfo } from '../../tls12/handshake/certificate-info.ts';
import { acceptAnyCertificate } from '../../tls12/handshake/config.ts';
import { bytesEqual, concatBytes } from '../../bytes/index.ts';
import { hashSync } from '../../tls12/crypto/hash.ts';
import type { Tls13Suite } from '../suites.ts';
import {
  encodeHandshake13,
  findExtension13,
  type ClientHello13,
  type Extension13,
  type Handshake13,
} from '../wire/index.ts';
import type { Received13 } from './connection.ts';
import { expect } from './client-flight.ts';
import {
  checkCertificateVerify,
  established13,
  signCertificateVerify,
  signTranscript,
  summarise13,
} from './common.ts';
import { applicationSecrets, checkFinished, finishedFor, protection } from './secrets.ts';
import type { Negotiated13, Server13State } from './states.ts';

type State<N extends Server13State['name']> = Extract<Server13State, { name: N }>;

export function serverBase(s: Server13State) {
  return { side: 'server' as const, conn: s.conn, config: s.config, resolved: s.resolved };
}

type FlightChoice = { suite: Tls13Suite; scheme: number; chain: Uint8Array[]; key: PrivateKey };

/**
 * EncryptedExtensions, CertificateRequest? and Certificate: what the server sends before its CertificateVerify
 * (RFC 8446 §4.3-§4.4.2), and the ALPN protocol it picked. @throws TlsAlert no_application_protocol.
 */
function flightBeforeSignature(
  state: State<'ExpectClientHello'>,
  hello: ClientHello13,
  choice: FlightChoice,
): { messages: Handshake13[]; alpn: string | undefined } {
  const { config, resolved } = state;
  const extensions: Extension13[] = [];
  const offeredAlpn = findExtension13(hello.extensions, 'alpn')?.protocols;
  const alpn = resolved.alpn.find((p) => offeredAlpn?.includes(p));
  if (offeredAlpn && resolved.alpn.length > 0 && alpn === undefined)
    throw new TlsAlert(
      'no_application_protocol',
      `no ALPN protocol in common (client offered ${offeredAlpn.join(', ')})`,
    );
  if (alpn !== undefined) extensions.push({ kind: 'alpn', protocols: [alpn] });
  const laidOut = config.extensionLayout?.('encrypted_extensions', extensions) ?? extensions;
  const messages: Handshake13[] = [{ type: 'encrypted_extensions', message: { extensions: laidOut } }];
  if (config.requestClientCertificate) {
    messages.push({
      type: 'certificate_request',
      message: {
        certificateRequestContext: REQUEST_CONTEXT,
        extensions: [{ kind: 'signature_algorithms', schemes: resolved.signatureSchemes }],
      },
    });
  }
  messages.push({
    type: 'certificate',
    message: {
      certificateRequestContext: new Uint8Array(0),
      certificateList: choice.chain.map((certData) => ({ certData, extensions: [] })),
    },
  });
  return { messages, alpn };
}

/** The server's certificate_request_context: empty (one request, during the handshake). */
const REQUEST_CONTEXT = new Uint8Array(0);

/** A CertificateVerify signature started before its transcript was sent, and the transcript hash it signs. */
export interface EarlySignature {
  transcriptHash: Uint8Array;
  signature: Promise<Uint8Array>;
}

/**
 * Starts the CertificateVerify signature as soon as the ServerHello is known: it signs the transcript up to our
 * Certificate, which does not depend on the (EC)DHE shared secret, so WebCrypto computes both side by side instead
 * of one after the other. Only for fresh runs (a deterministic run signs in JS, drawing from the seeded source in
 * its usual order); undefined when the flight would fail (ALPN). `sendServerFlight` uses it only when the
 * transcript it reaches has this hash.
 */
export function startSignature(
  state: State<'ExpectClientHello'>,
  hello: ClientHello13,
  choice: FlightChoice,
  serverHello: Handshake13,
): EarlySignature | undefined {
  if (state.resolved.deterministic) return undefined;
  let messages: Handshake13[];
  try {
    messages = flightBeforeSignature(state, hello, choice).messages;
  } catch {
    return undefined;
  }
  const { conn } = state;
  const sent = [serverHello, ...messages].map(encodeHandshake13);
  const transcriptHash = hashSync(choice.suite.hash, concatBytes(...conn.transcript, ...sent));
  const signature = signTranscript(conn, transcriptHash, choice.key, choice.scheme, false);
  signature.catch(() => undefined); // awaited in sendServerFlight, or dropped with the handshake
  return { transcriptHash, signature };
}

/** RFC 8446 §4.3-§4.4: EncryptedExtensions, CertificateRequest?, Certificate, CertificateVerify, Finished. */
export async function sendServerFlight(
  state: State<'ExpectClientHello'>,
  hs0: Negotiated13,
  hello: ClientHello13,
  choice: FlightChoice,
  early?: EarlySignature,
): Promise<Server13State> {
  const { conn, config, resolved } = state;
  const suite = hs0.suite;
  const { messages, alpn } = flightBeforeSignature(state, hello, choice);
  for (const message of messages) conn.sendHandshake(message);
  const requestContext = REQUEST_CONTEXT;
  let hs: Negotiated13 = { ...hs0, signatureScheme: choice.scheme, ...(alpn !== undefined ? { alpn } : {}) };
  const signature = (
    await (early && bytesEqual(early.transcriptHash, conn.transcriptHash(suite))
      ? early.signature
      : signCertificateVerify(conn, hs, choice.key, choice.scheme, resolved.deterministic))
  ).slice();
  const tamperCv = config.tamper === 'certificate-verify';
  if (tamperCv) signature[signature.length - 1]! ^= 0x01;
  conn.sendHandshake(
    { type: 'certificate_verify', message: { signatureScheme: choice.scheme, signature } },
    { tampered: tamperCv },
  );
  const verifyData = (await finishedFor(conn, suite, 'server', hs.serverHandshakeSecret)).slice();
  if (config.tamper === 'finished') verifyData[0]! ^= 0x01;
  conn.sendHandshake(
    { type: 'finished', message: { verifyData } },
    { tampered: config.tamper === 'finished' },
  );
  const { traffic, keyLog } = await applicationSecrets(conn, hs);
  conn.setWrite(await protection(conn, suite, 'server_application_traffic_secret_0', traffic.server.secret));
  hs = { ...hs, keyLog };
  if (config.requestClientCertificate)
    return { ...serverBase(state), name: 'ExpectCertificate', hs, traffic, requestContext };
  return { ...serverBase(state), name: 'ExpectFinished', hs, traffic };
}

export async function onClientFlight(
  state: Exclude<Server13State, { name: 'ExpectClientHello' }>,
  item: Received13,
): Promise<Server13State> {
  const { conn } = state;
  switch (state.name) {
    case 'ExpectCertificate':
      return onClientCertificate(state, item);
    case 'ExpectCertificateVerify': {
      const h = expect(item, 'certificate_verify', 'CertificateVerify');
      if (h.message.type !== 'certificate_verify') throw new Error('unreachable');
      const cv = h.message.message;
      await checkCertificateVerify(conn, state.hs, state.leaf.publicKey, state.resolved.signatureSchemes, cv);
      conn.transcript.push(h.bytes);
      const hs = { ...state.hs, clientSignatureScheme: cv.signatureScheme };
      return { ...serverBase(state), name: 'ExpectFinished', hs, traffic: state.traffic };
    }
    case 'ExpectFinished': {
      const h = expect(item, 'finished', 'Finished');
      if (h.message.type !== 'finished') throw new Error('unreachable');
      const { hs, traffic } = state;
      await checkFinished(conn, hs.suite, hs.clientHandshakeSecret, h.message.message.verifyData);
      conn.transcript.push(h.bytes);
      conn.setRead(
        await protection(conn, hs.suite, 'client_application_traffic_secret_0', traffic.client.secret),
      );
      conn.emit({ kind: 'handshake_complete', from: 'server', summary: summarise13(hs, hs.keyLog ?? []) });
      sendTickets(state);
      return { ...serverBase(state), name: 'Established', hs, traffic };
    }
    case 'Established': {
      const r = await established13(conn, state.hs, state.traffic, item);
      return typeof r === 'string'
        ? { ...serverBase(state), name: 'Closed', reason: r }
        : { ...state, traffic: r };
    }
    case 'Closed':
    case 'Tls12':
      return state;
  }
}

/** RFC 8446 §4.4.2: the client's Certificate; empty means none (certificate_required if we require one). */
async function onClientCertificate(
  state: State<'ExpectCertificate'>,
  item: Received13,
): Promise<Server13State> {
  const { conn, config, resolved } = state;
  const h = expect(item, 'certificate', 'Certificate');
  if (h.message.type !== 'certificate') throw new Error('unreachable');
  const m = h.message.message;
  const context = state.requestContext;
  if (m.certificateRequestContext.length !== context.length)
    throw new TlsAlert(
      'illegal_parameter',
      'the client Certificate has a different certificate_request_context (RFC 8446 §4.4.2)',
    );
  conn.transcript.push(h.bytes);
  if (m.certificateList.length === 0) {
    if (config.requireClientCertificate)
      throw new TlsAlert(
        'certificate_required',
        'the client sent no certificate, and this server requires one (RFC 8446 §4.4.2.4)',
      );
    return { ...serverBase(state), name: 'ExpectFinished', hs: state.hs, traffic: state.traffic };
  }
  const chain = m.certificateList.map((e) => e.certData);
  let leaf: CertificateInfo;
  try {
    leaf = parseCertificate(chain[0]!);
  } catch (e) {
    throw new TlsAlert('bad_certificate', `cannot parse the client certificate: ${(e as Error).message}`);
  }
  const verdict = await (config.clientVerifier ?? acceptAnyCertificate)({ chain, now: resolved.now() });
  if (!verdict.ok) throw new TlsAlert(verdict.alert, verdict.reason);
  const hs = { ...state.hs, clientCertificates: chain };
  return { ...serverBase(state), name: 'ExpectCertificateVerify', hs, traffic: state.traffic, leaf };
}

/** An opaque ticket's length: we never read tickets back (no resumption), so its bytes are random. */
const TICKET_LENGTH = 192;

/**
 * RFC 8446 §4.6.1: tickets are offered (we never resume with them; a client may show them). ticket_nonce is
 * an 8-byte counter, unique per ticket on the connection.
 */
function sendTickets(state: State<'ExpectFinished'>): void {
  const { conn, config, resolved } = state;
  for (let i = 0; i < (config.tickets ?? 0); i++) {
    const ageAdd = new DataView(resolved.random(4).buffer);
    const ticketNonce = new Uint8Array(8);
    new DataView(ticketNonce.buffer).setUint32(4, i);
    conn.sendHandshake(
      {
        type: 'new_session_ticket',
        message: {
          ticketLifetime: 7200,
          ticketAgeAdd: ageAdd.getUint32(0),
          ticketNonce,
          ticket: resolved.random(TICKET_LENGTH),
          extensions: [],
        },
      },
      { transcript: false },
    );
  }
}
