/**
 * The TLS 1.2 client (RFC 5246 §7.3 full handshake, ECDHE per RFC 8422, RSA key transport), in spec order:
 *
 *   ClientHello  ->
 *                <-  ServerHello, Certificate, ServerKeyExchange*, CertificateRequest*, ServerHelloDone
 *   Certificate*, ClientKeyExchange, CertificateVerify*, [ChangeCipherSpec], Finished  ->
 *                <-  [ChangeCipherSpec], Finished
 */
import { concatBytes } from '../../bytes/index.ts';
import { CipherSuite, NamedGroup, SignatureScheme, versionName } from '../wire/code-points.ts';
import { findExtension, type Extension } from '../wire/extensions.ts';
import type { HandshakeMessage } from '../wire/handshake.ts';
import { parseCertificate, type CertificateInfo } from './certificate-info.ts';
import { privateKeyFromPkcs8 } from '../crypto/keys.ts';
import { generateEphemeral, sharedSecret } from '../crypto/ecdhe.ts';
import { rsaesPkcs1Encrypt } from '../crypto/rsa-pkcs1.ts';
import { keyMatchesScheme, signWithScheme, verifyWithScheme } from '../crypto/signatures.ts';
import { cipherSuite } from '../crypto/suites.ts';
import { TlsAlert } from './alerts.ts';
import { resolveCommon, TLS12, type ClientConfig } from './config.ts';
import {
  checkPeerFinished,
  establishKeys,
  established,
  expectHandshake,
  onAlert,
  stepSide,
  summarise,
  unexpected,
  type Side,
} from './common.ts';
import { Connection, type Received } from './connection.ts';
import { finishedVerifyData } from './secrets.ts';
import type { ClientState, Input, Keys, Negotiated, StepResult } from './states.ts';
import { downgradeProblem } from '../../tls13/handshake/downgrade.ts';

const SCSV = CipherSuite.values.TLS_EMPTY_RENEGOTIATION_INFO_SCSV;

export function newClient(config: ClientConfig): ClientState {
  const resolved = resolveCommon(config);
  return {
    side: 'client',
    name: 'ClientStart',
    conn: new Connection('client', resolved.random, config.tamper),
    config,
    resolved,
  };
}

/**
 * A TLS 1.2 client that continues a connection whose ClientHello another engine sent: the TLS 1.3 client, when
 * it offered 1.2 as well and the server chose it. The transcript starts with that ClientHello (`id` client:0).
 */
export function clientAfterHello(
  config: ClientConfig,
  hello: { bytes: Uint8Array; clientRandom: Uint8Array; offeredExtensions: readonly string[] },
): ClientState {
  const start = newClient(config);
  start.conn.handshakeMessages.push(hello.bytes);
  start.conn.recordVersion = TLS12;
  start.conn.countSent(1);
  return {
    ...base(start),
    name: 'ExpectServerHello',
    clientRandom: hello.clientRandom,
    offeredExtensions: new Set(hello.offeredExtensions),
  };
}

export function clientStep(state: ClientState, input: Input): Promise<StepResult<ClientState>> {
  return stepSide(state, input, SIDE);
}

const SIDE: Side<ClientState> = {
  start(state) {
    if (state.name !== 'ClientStart')
      throw new Error(`start: the client already started (state ${state.name})`);
    return sendClientHello(state);
  },
  closed: (state, reason) => ({ ...base(state), name: 'Closed', reason }),
  handleItem,
};

function base(s: ClientState) {
  return { side: 'client' as const, conn: s.conn, config: s.config, resolved: s.resolved };
}

/** RFC 5246 §7.4.1.2 ClientHello, with the extensions the brief names. */
function sendClientHello(state: Extract<ClientState, { name: 'ClientStart' }>): ClientState {
  const { config, resolved, conn } = state;
  const clientRandom = resolved.random(32);
  const extensions: Extension[] = [];
  const serverName = config.serverName;
  if (serverName && !/^[\d.]+$/.test(serverName) && !serverName.includes(':')) {
    extensions.push({ kind: 'server_name', names: [{ nameType: 0, hostName: serverName }] }); // RFC 6066 §3
  }
  if (config.statusRequest) {
    extensions.push({
      kind: 'status_request',
      request: { statusType: 1, responderIds: [], requestExtensions: new Uint8Array(0) },
    });
  }
  extensions.push({ kind: 'supported_groups', groups: resolved.groups }); // RFC 8422 §5.1.1
  extensions.push({ kind: 'ec_point_formats', formats: [0] }); // RFC 8422 §5.1.2: uncompressed
  extensions.push({ kind: 'signature_algorithms', schemes: resolved.signatureSchemes }); // RFC 5246 §7.4.1.4.1
  if (resolved.alpn.length > 0) extensions.push({ kind: 'alpn', protocols: resolved.alpn }); // RFC 7301
  if (resolved.extendedMasterSecret) extensions.push({ kind: 'extended_master_secret' }); // RFC 7627
  if (config.sessionTicket !== false) extensions.push({ kind: 'session_ticket', ticket: new Uint8Array(0) }); // RFC 5077
  const scsv = config.renegotiationSignal === 'scsv';
  if (!scsv) extensions.push({ kind: 'renegotiation_info', renegotiatedConnection: new Uint8Array(0) }); // RFC 5746
  const hello: HandshakeMessage = {
    type: 'client_hello',
    clientVersion: Math.min(resolved.maxVersion, TLS12),
    random: clientRandom,
    sessionId: new Uint8Array(0),
    cipherSuites: scsv ? [...resolved.suites, SCSV] : resolved.suites,
    compressionMethods: [0],
    extensions,
  };
  conn.sendHandshake(hello);
  conn.recordVersion = TLS12;
  return {
    ...base(state),
    name: 'ExpectServerHello',
    clientRandom,
    offeredExtensions: new Set(extensions.map((e) => e.kind)),
  };
}

async function handleItem(state: ClientState, item: Received): Promise<ClientState> {
  if (item.kind === 'alert') {
    const reason = onAlert(state.conn, item);
    return { ...base(state), name: 'Closed', reason };
  }
  // Hash(handshake_messages) covers every message; a Finished joins it only after it is checked.
  if (
    item.kind === 'handshake' &&
    item.message.type !== 'finished' &&
    item.message.type !== 'hello_request'
  ) {
    state.conn.handshakeMessages.push(item.bytes);
  }
  switch (state.name) {
    case 'ClientStart':
      throw unexpected('nothing before ClientHello', item);
    case 'ExpectServerHello':
      return onServerHello(state, expectHandshake(item, 'server_hello', 'ServerHello'));
    case 'ExpectCertificate':
      return onCertificate(state, expectHandshake(item, 'certificate', 'Certificate'));
    case 'ExpectServerKeyExchange':
      return onServerKeyExchange(state, expectHandshake(item, 'server_key_exchange', 'ServerKeyExchange'));
    case 'ExpectServerHelloDoneOrCertificateRequest': {
      if (item.kind === 'handshake' && item.message.type === 'certificate_request') {
        return {
          ...base(state),
          name: 'ExpectServerHelloDone',
          hs: state.hs,
          leaf: state.leaf,
          ...(state.serverPublic ? { serverPublic: state.serverPublic } : {}),
          ...(state.ephemeral ? { ephemeral: state.ephemeral } : {}),
          certificateRequest: { signatureSchemes: item.message.signatureSchemes },
        };
      }
      expectHandshake(item, 'server_hello_done', 'ServerHelloDone or CertificateRequest');
      return onServerHelloDone(state, undefined);
    }
    case 'ExpectServerHelloDone':
      expectHandshake(item, 'server_hello_done', 'ServerHelloDone');
      return onServerHelloDone(state, state.certificateRequest);
    case 'ExpectNewSessionTicket':
      // RFC 5077 §3.3: we keep no session cache, so the ticket is shown but not stored.
      expectHandshake(item, 'new_session_ticket', 'NewSessionTicket');
      return { ...base(state), name: 'ExpectChangeCipherSpec', hs: state.hs, keys: state.keys };
    case 'ExpectChangeCipherSpec':
      if (item.kind !== 'change_cipher_spec') throw unexpected('ChangeCipherSpec', item);
      state.conn.activateRead(state.keys.serverWrite);
      return { ...base(state), name: 'ExpectFinished', hs: state.hs, keys: state.keys };
    case 'ExpectFinished': {
      await checkPeerFinished(state.conn, 'client', state.hs, state.keys, item);
      state.conn.emit({
        kind: 'handshake_complete',
        from: 'client',
        summary: summarise(state.hs, state.keys),
      });
      return { ...base(state), name: 'Established', hs: state.hs, keys: state.keys };
    }
    case 'Established': {
      const r = established(state.conn, item);
      return r === 'open' ? state : { ...base(state), name: 'Closed', reason: r };
    }
    case 'Closed':
      return state;
  }
}

/** RFC 5246 §7.4.1.3 ServerHello. */
function onServerHello(
  state: Extract<ClientState, { name: 'ExpectServerHello' }>,
  m: Extract<HandshakeMessage, { type: 'server_hello' }>,
): ClientState {
  const { resolved, conn } = state;
  if (
    m.serverVersion !== TLS12 ||
    m.serverVersion < resolved.minVersion ||
    m.serverVersion > resolved.maxVersion
  ) {
    throw new TlsAlert(
      'protocol_version',
      `the server chose ${versionName(m.serverVersion)}; we speak TLS 1.2 only (configured ${versionName(resolved.minVersion)}..${versionName(resolved.maxVersion)})`,
    );
  }
  // RFC 8446 §4.1.3: a client that offered TLS 1.3 too must not find the downgrade sentinel.
  const downgrade = downgradeProblem(m.random, state.config.offeredTls13 === true);
  if (downgrade) throw new TlsAlert('illegal_parameter', downgrade);
  const suite = cipherSuite(m.cipherSuite);
  if (!suite || !resolved.suites.includes(m.cipherSuite)) {
    throw new TlsAlert(
      'illegal_parameter',
      `the server chose ${CipherSuite.format(m.cipherSuite)}, which we did not offer`,
    );
  }
  if (m.compressionMethod !== 0)
    throw new TlsAlert('illegal_parameter', `compression method ${m.compressionMethod} was not offered`);
  const exts = m.extensions ?? [];
  for (const e of exts) {
    if (e.kind === 'unknown' || !state.offeredExtensions.has(e.kind)) {
      if (
        !(e.kind === 'renegotiation_info' && state.config.renegotiationSignal === 'scsv') &&
        !(e.kind === 'server_name')
      ) {
        throw new TlsAlert(
          'unsupported_extension',
          `the server sent extension ${e.kind === 'unknown' ? e.type : e.kind}, which we did not offer`,
        );
      }
    }
  }
  const reneg = findExtension(exts, 'renegotiation_info');
  if (reneg && reneg.renegotiatedConnection.length !== 0) {
    throw new TlsAlert(
      'handshake_failure',
      'renegotiation_info must be empty on an initial handshake (RFC 5746 §3.4)',
    );
  }
  const ems = findExtension(exts, 'extended_master_secret') !== undefined;
  const alpn = findExtension(exts, 'alpn');
  conn.keyExchange = suite.kex;
  const hs: Negotiated = {
    clientRandom: state.clientRandom,
    serverRandom: m.random,
    suite,
    version: m.serverVersion,
    extendedMasterSecret: ems && resolved.extendedMasterSecret,
    ...(alpn?.protocols[0] !== undefined ? { alpn: alpn.protocols[0] } : {}),
    ...(state.config.serverName ? { serverName: state.config.serverName } : {}),
    serverCertificates: [],
    clientCertificates: [],
    ...(findExtension(exts, 'session_ticket') ? { ticketExpected: true } : {}),
  };
  return { ...base(state), name: 'ExpectCertificate', hs };
}

/** RFC 5246 §7.4.2 server Certificate, checked by the injected verifier. */
async function onCertificate(
  state: Extract<ClientState, { name: 'ExpectCertificate' }>,
  m: Extract<HandshakeMessage, { type: 'certificate' }>,
): Promise<ClientState> {
  if (m.certificates.length === 0)
    throw new TlsAlert('bad_certificate', 'the server sent an empty certificate list');
  let leaf: CertificateInfo;
  try {
    leaf = parseCertificate(m.certificates[0]!);
  } catch (e) {
    throw new TlsAlert('bad_certificate', `cannot parse the server certificate: ${(e as Error).message}`);
  }
  const verdict = await state.config.verifier({
    chain: m.certificates,
    ...(state.config.serverName ? { serverName: state.config.serverName } : {}),
    now: state.resolved.now(),
  });
  if (!verdict.ok) throw new TlsAlert(verdict.alert, verdict.reason);
  if (leaf.publicKey.kind !== state.hs.suite.certificateKey) {
    throw new TlsAlert(
      'illegal_parameter',
      `${state.hs.suite.name} needs an ${state.hs.suite.certificateKey.toUpperCase()} certificate, the server sent ${leaf.publicKey.kind}`,
    );
  }
  const hs = { ...state.hs, serverCertificates: m.certificates };
  if (hs.suite.kex === 'ecdhe') return { ...base(state), name: 'ExpectServerKeyExchange', hs, leaf };
  return { ...base(state), name: 'ExpectServerHelloDoneOrCertificateRequest', hs, leaf };
}

/** RFC 8422 §5.4 ServerKeyExchange: signature over client_random + server_random + ServerECDHParams. */
async function onServerKeyExchange(
  state: Extract<ClientState, { name: 'ExpectServerKeyExchange' }>,
  m: Extract<HandshakeMessage, { type: 'server_key_exchange' }>,
): Promise<ClientState> {
  if (m.kind !== 'ecdhe') throw new TlsAlert('decode_error', 'ServerKeyExchange is not ECDHE');
  if (!state.resolved.groups.includes(m.namedCurve)) {
    throw new TlsAlert(
      'illegal_parameter',
      `the server chose ${NamedGroup.format(m.namedCurve)}, which we did not offer`,
    );
  }
  if (
    !state.resolved.signatureSchemes.includes(m.signatureScheme) ||
    !keyMatchesScheme(state.leaf.publicKey, m.signatureScheme)
  ) {
    throw new TlsAlert(
      'illegal_parameter',
      `the server signed with ${SignatureScheme.format(m.signatureScheme)}, which we did not offer for its key`,
    );
  }
  const signed = concatBytes(state.hs.clientRandom, state.hs.serverRandom, m.params);
  // A fresh run makes its ECDHE key pair while the signature is checked (two WebCrypto jobs at once); a seeded
  // run keeps drawing its randomness in message order, so it makes the pair at ClientKeyExchange as before.
  const { resolved } = state;
  const ephemeral = resolved.deterministic
    ? undefined
    : generateEphemeral(m.namedCurve, resolved.random, false);
  ephemeral?.catch(() => undefined); // awaited later, or dropped when the handshake fails first
  if (!(await verifyWithScheme(state.leaf.publicKey, m.signatureScheme, signed, m.signature))) {
    throw new TlsAlert(
      'decrypt_error',
      `the ServerKeyExchange ${SignatureScheme.format(m.signatureScheme)} signature does not verify with the certificate key`,
    );
  }
  return {
    ...base(state),
    name: 'ExpectServerHelloDoneOrCertificateRequest',
    hs: { ...state.hs, group: m.namedCurve, signatureScheme: m.signatureScheme },
    leaf: state.leaf,
    serverPublic: m.publicKey,
    ...(ephemeral ? { ephemeral } : {}),
  };
}

/** RFC 5246 §7.4.5-§7.4.9: our second flight. */
async function onServerHelloDone(
  state: Extract<
    ClientState,
    { name: 'ExpectServerHelloDoneOrCertificateRequest' | 'ExpectServerHelloDone' }
  >,
  certificateRequest: { signatureSchemes: number[] } | undefined,
): Promise<ClientState> {
  const { conn, config, resolved } = state;
  let hs = state.hs;
  // Client Certificate (§7.4.6): an empty list when we have none.
  const chain = config.certificateChain ?? [];
  if (certificateRequest) {
    conn.sendHandshake({ type: 'certificate', certificates: chain });
    hs = { ...hs, clientCertificates: chain };
  }
  // ClientKeyExchange (§7.4.7).
  let preMaster: Uint8Array;
  if (hs.suite.kex === 'ecdhe') {
    if (!state.serverPublic || hs.group === undefined)
      throw new TlsAlert('unexpected_message', 'ECDHE suite without ServerKeyExchange');
    const eph = await (state.ephemeral ??
      generateEphemeral(hs.group, resolved.random, resolved.deterministic));
    conn.emit({
      kind: 'secret',
      from: 'client',
      name: 'client_ecdhe_private_key',
      value: eph.secret,
      formula: `random scalar for ${NamedGroup.format(hs.group)}; public key = scalar x G  (RFC 8422 §5.7)`,
      inputs: { public_key: eph.publicKey },
    });
    try {
      preMaster = await sharedSecret(eph, state.serverPublic);
    } catch (e) {
      throw new TlsAlert('illegal_parameter', `bad server ECDH public key: ${(e as Error).message}`);
    }
    conn.sendHandshake({ type: 'client_key_exchange', kind: 'ecdhe', publicKey: eph.publicKey });
  } else {
    const key = state.leaf.publicKey;
    if (key.kind !== 'rsa')
      throw new TlsAlert('illegal_parameter', 'RSA key exchange needs an RSA certificate');
    preMaster = concatBytes(new Uint8Array([0x03, 0x03]), resolved.random(46));
    conn.sendHandshake({
      type: 'client_key_exchange',
      kind: 'rsa',
      encryptedPreMasterSecret: rsaesPkcs1Encrypt(key.rsa, preMaster, resolved.random),
    });
  }
  const keys = await establishKeys(conn, hs, preMaster);
  // CertificateVerify (§7.4.8): a signature over all handshake messages so far.
  if (certificateRequest && chain.length > 0 && config.privateKey) {
    const key = privateKeyFromPkcs8(config.privateKey);
    const scheme = resolved.signatureSchemes.find(
      (s) => certificateRequest.signatureSchemes.includes(s) && keyMatchesScheme(key, s),
    );
    if (scheme === undefined)
      throw new TlsAlert(
        'handshake_failure',
        'no signature scheme in CertificateRequest fits our client key',
      );
    const signature = await signWithScheme(
      key,
      scheme,
      concatBytes(...conn.handshakeMessages),
      resolved.random,
      resolved.deterministic,
    );
    conn.sendHandshake({ type: 'certificate_verify', signatureScheme: scheme, signature });
  }
  return sendFinished(state, hs, keys);
}

async function sendFinished(state: ClientState, hs: Negotiated, keys: Keys): Promise<ClientState> {
  const { conn, config } = state;
  if (config.misbehave !== 'omit-change-cipher-spec') conn.sendChangeCipherSpec(keys.clientWrite);
  const { verifyData, entry } = await finishedVerifyData(
    'client',
    'client',
    hs.suite,
    keys.master,
    conn.transcriptHash(hs.suite.prfHash),
  );
  conn.emit(entry);
  const sent = verifyData.slice();
  if (conn.tamperFinished) sent[0]! ^= 0x01;
  conn.sendHandshake({ type: 'finished', verifyData: sent });
  return {
    ...base(state),
    name: hs.ticketExpected ? 'ExpectNewSessionTicket' : 'ExpectChangeCipherSpec',
    hs,
    keys,
  };
}
