/**
 * The TLS 1.3 client (RFC 8446 §2, §4): ClientHello with one key share, HelloRetryRequest answered once,
 * ServerHello, then the server's encrypted flight (EncryptedExtensions, CertificateRequest?, Certificate,
 * CertificateVerify, Finished) and ours (Certificate?, CertificateVerify?, Finished). No I/O: `client13Step`
 * takes an input and returns the next state and the events (bytes to send among them).
 */
import { bytesEqual, concatBytes } from '../../bytes/index.ts';
import { CipherSuite, NamedGroup, versionName } from '../../tls12/wire/code-points.ts';
import type { Extension } from '../../tls12/wire/extensions.ts';
import { generateEphemeral, sharedSecret, type EphemeralKey } from '../../tls12/crypto/ecdhe.ts';
import { hashSync } from '../../tls12/crypto/hash.ts';
import { TlsAlert } from '../../tls12/handshake/alerts.ts';
import { onAlert, stepSide, type Side } from '../../tls12/handshake/common.ts';
import type { Input } from '../../tls12/handshake/states.ts';
import { clientAfterHello, clientStep } from '../../tls12/handshake/client.ts';
import { DEFAULT_SUITES } from '../../tls12/crypto/suites.ts';
import { computeHandshakeSecrets } from '../key-schedule.ts';
import { tls13Suite } from '../suites.ts';
import {
  decodeHandshake13,
  findExtension13,
  isHelloRetryRequest,
  type Extension13,
  type ServerHello13,
} from '../wire/index.ts';
import { resolve13, TLS13, type Client13Config } from './config.ts';
import { Connection13, type Received13 } from './connection.ts';
import type { AnyEngineEvent, EngineEvent13 } from './event-log.ts';
import { downgradeProblem } from './downgrade.ts';
import { emitSteps, protection } from './secrets.ts';
import type { ClientHelloSent, Client13State, Negotiated13 } from './states.ts';
import { base13, describe, onServerFlight } from './client-flight.ts';

export function newClient13(config: Client13Config): Client13State {
  const resolved = resolve13(config);
  const conn = new Connection13('client', resolved.random);
  conn.coalesceHandshake = config.coalesceHandshake ?? false;
  return {
    side: 'client',
    name: 'ClientStart',
    conn,
    config,
    resolved,
  };
}

export async function client13Step(
  state: Client13State,
  input: Input,
): Promise<{ state: Client13State; events: AnyEngineEvent[] }> {
  if (state.name === 'Tls12') {
    const r = await clientStep(state.tls12, input);
    return { state: { ...state, tls12: r.state }, events: r.events };
  }
  const r = await stepSide<Client13State, Received13, EngineEvent13>(state, input, SIDE);
  if (r.state.name !== 'Tls12') return r;
  return { state: { ...r.state, pending: [] }, events: [...r.events, ...r.state.pending] };
}

const SIDE: Side<Client13State, Received13, EngineEvent13> = {
  start(state) {
    if (state.name !== 'ClientStart')
      throw new Error(`start: the client already started (state ${state.name})`);
    return startHandshake(state);
  },
  closed: (state, reason) => ({ ...base13(state), name: 'Closed', reason }),
  handleItem,
  afterInput: async (state) =>
    state.name === 'AnswerHelloRetryRequest' ? answerHelloRetryRequest(state) : state,
};

async function startHandshake(
  state: Extract<Client13State, { name: 'ClientStart' }>,
): Promise<Client13State> {
  const { resolved, config } = state;
  const clientRandom = resolved.random(32);
  // RFC 8446 §D.4: a non-empty legacy_session_id puts middleboxes in "resumption" mode, as OpenSSL does.
  const sessionId = resolved.middleboxCompat ? resolved.random(32) : new Uint8Array(0);
  const shareGroups = config.keyShareGroups ?? resolved.groups.slice(0, 1);
  const shares: EphemeralKey[] = [];
  for (const g of shareGroups) shares.push(await newShare(state, g));
  const hello: ClientHelloSent = { clientRandom, sessionId, shares, retried: false };
  if (config.allowTls12) state.conn.receivedSoFar = [];
  sendClientHello(state, hello);
  return { ...base13(state), name: 'ExpectServerHello', hello };
}

async function newShare(state: Client13State, group: number): Promise<EphemeralKey> {
  const { resolved, conn } = state;
  const eph = await generateEphemeral(group, resolved.random, resolved.deterministic);
  conn.emit({
    kind: 'secret',
    from: 'client',
    name: `client_${NamedGroup.format(group)}_private_key`,
    value: eph.secret,
    formula: `random private key for ${NamedGroup.format(group)}; key_exchange = its public key`,
    inputs: { public_key: eph.publicKey },
    source: 'RFC 8446 §4.2.8',
  });
  return eph;
}

/** RFC 8446 §4.1.2 ClientHello (the second one after a HRR differs only in key_share and cookie). */
function sendClientHello(state: Client13State, hello: ClientHelloSent, cookie?: Uint8Array): void {
  const { config, resolved, conn } = state;
  const extensions: Extension13[] = [];
  const name = config.serverName;
  if (name && !/^[\d.]+$/.test(name) && !name.includes(':'))
    extensions.push({ kind: 'server_name', names: [{ nameType: 0, hostName: name }] });
  extensions.push({ kind: 'supported_groups', groups: resolved.groups });
  extensions.push({ kind: 'signature_algorithms', schemes: resolved.signatureSchemes });
  if (resolved.alpn.length > 0)
    extensions.push({ kind: 'alpn', protocols: resolved.alpn } satisfies Extension);
  extensions.push({ kind: 'supported_versions', versions: config.allowTls12 ? [TLS13, 0x0303] : [TLS13] });
  if (config.allowTls12) extensions.push(...TLS12_EXTENSIONS);
  if (cookie) extensions.push({ kind: 'cookie', cookie });
  extensions.push({ kind: 'psk_key_exchange_modes', modes: [1] }); // psk_dhe_ke
  extensions.push({
    kind: 'key_share',
    clientShares: hello.shares.map((s) => ({ group: s.group, keyExchange: s.publicKey })),
  });
  conn.sendHandshake({
    type: 'client_hello',
    message: {
      legacyVersion: 0x0303,
      random: hello.clientRandom,
      legacySessionId: hello.sessionId,
      cipherSuites: config.allowTls12 ? [...resolved.suites, ...tls12Suites(config)] : resolved.suites,
      legacyCompressionMethods: [0],
      extensions: config.extensionLayout?.('client_hello', extensions) ?? extensions,
    },
  });
  conn.recordVersion = 0x0303;
}

async function handleItem(state: Client13State, item: Received13): Promise<Client13State> {
  if (state.name === 'AnswerHelloRetryRequest') {
    // The middlebox ChangeCipherSpec that came with the HelloRetryRequest is read before we answer; anything else
    // (a server that did not wait for our answer) is read after it, as before.
    if (item.kind === 'change_cipher_spec') return state;
    state = await answerHelloRetryRequest(state);
  }
  if (item.kind === 'alert') return { ...base13(state), name: 'Closed', reason: onAlert(state.conn, item) };
  if (item.kind === 'change_cipher_spec') {
    // RFC 8446 §5: one middlebox ChangeCipherSpec may arrive between the first ClientHello and the Finished.
    if (state.name === 'Established' || state.name === 'ClientStart')
      throw new TlsAlert('unexpected_message', 'ChangeCipherSpec outside the handshake (RFC 8446 §5)');
    return state;
  }
  if (state.name === 'ExpectServerHello') {
    if (item.kind !== 'handshake' || item.message.type !== 'server_hello')
      throw new TlsAlert('unexpected_message', `expected ServerHello, got ${describe(item)}`);
    return onServerHello(state, item.message.message, item.bytes);
  }
  return onServerFlight(state, item);
}

function check(ok: boolean, alert: ConstructorParameters<typeof TlsAlert>[0], reason: string): void {
  if (!ok) throw new TlsAlert(alert, reason);
}

/** RFC 8446 §4.1.3 ServerHello, or §4.1.4 HelloRetryRequest. */
async function onServerHello(
  state: Extract<Client13State, { name: 'ExpectServerHello' }>,
  m: ServerHello13,
  bytes: Uint8Array,
): Promise<Client13State> {
  const { hello, resolved, conn } = state;
  const version = findExtension13(m.extensions, 'supported_versions');
  if (!version || !('selectedVersion' in version)) {
    const problem = downgradeProblem(m.random, true);
    check(problem === undefined, 'illegal_parameter', problem ?? '');
    if (state.config.allowTls12 && m.legacyVersion === 0x0303 && !hello.retried) return fallBack(state);
    throw new TlsAlert(
      'protocol_version',
      `the server chose ${versionName(m.legacyVersion)} (no supported_versions); this client speaks TLS 1.3`,
    );
  }
  check(
    version.selectedVersion === TLS13,
    'illegal_parameter',
    `supported_versions selected ${versionName(version.selectedVersion)}, which we did not offer`,
  );
  check(
    bytesEqual(m.legacySessionIdEcho, hello.sessionId),
    'illegal_parameter',
    'legacy_session_id_echo differs from our legacy_session_id (RFC 8446 §4.1.3)',
  );
  const suite = tls13Suite(m.cipherSuite);
  check(
    suite !== undefined && resolved.suites.includes(m.cipherSuite),
    'illegal_parameter',
    `the server chose ${CipherSuite.format(m.cipherSuite)}, which we did not offer`,
  );
  check(
    hello.retrySuite === undefined || hello.retrySuite === m.cipherSuite,
    'illegal_parameter',
    'the ServerHello suite differs from the HelloRetryRequest one (RFC 8446 §4.1.4)',
  );
  check(m.legacyCompressionMethod === 0, 'illegal_parameter', 'legacy_compression_method must be 0');
  if (isHelloRetryRequest(m)) return onHelloRetryRequest(state, m, bytes);
  const share = findExtension13(m.extensions, 'key_share');
  check(
    share !== undefined && 'serverShare' in share,
    'missing_extension',
    'ServerHello has no key_share (RFC 8446 §9.2)',
  );
  const serverShare = (share as { serverShare: { group: number; keyExchange: Uint8Array } }).serverShare;
  const ours = hello.shares.find((s) => s.group === serverShare.group);
  check(
    ours !== undefined,
    'illegal_parameter',
    `the server's key share is for ${NamedGroup.format(serverShare.group)}, for which we sent none`,
  );
  let shared: Uint8Array;
  try {
    shared = await sharedSecret(ours!, serverShare.keyExchange);
  } catch (e) {
    throw new TlsAlert('illegal_parameter', `bad server key share: ${(e as Error).message}`);
  }
  conn.transcript.push(bytes);
  const s = suite!;
  const secrets = await computeHandshakeSecrets(conn.provider, {
    hash: s.hash,
    sharedSecret: shared,
    helloHash: conn.transcriptHash(s),
  });
  conn.emit({
    kind: 'secret',
    from: 'client',
    name: 'ecdhe_shared_secret',
    value: shared,
    formula: `ECDH(our ${NamedGroup.format(ours!.group)} private key, server key_share)`,
    inputs: {},
    source: 'RFC 8446 §7.4',
  });
  emitSteps(conn, secrets.steps);
  conn.setRead(
    await protection(conn, s, 'server_handshake_traffic_secret', secrets.serverHandshakeTrafficSecret),
  );
  conn.holdWrite(
    await protection(conn, s, 'client_handshake_traffic_secret', secrets.clientHandshakeTrafficSecret),
  );
  const hs: Negotiated13 = {
    clientRandom: hello.clientRandom,
    serverRandom: m.random,
    suite: s,
    group: serverShare.group,
    helloRetryRequest: hello.retried,
    ...(state.config.serverName ? { serverName: state.config.serverName } : {}),
    serverCertificates: [],
    clientCertificates: [],
    clientHandshakeSecret: secrets.clientHandshakeTrafficSecret,
    serverHandshakeSecret: secrets.serverHandshakeTrafficSecret,
    handshakeSecret: secrets.handshakeSecret,
  };
  return { ...base13(state), name: 'ExpectEncryptedExtensions', hs };
}

/** RFC 8446 §4.1.4: one retry with the group the server asks for; the transcript starts with message_hash. */
async function onHelloRetryRequest(
  state: Extract<Client13State, { name: 'ExpectServerHello' }>,
  m: ServerHello13,
  bytes: Uint8Array,
): Promise<Client13State> {
  const { hello, resolved, conn } = state;
  check(!hello.retried, 'unexpected_message', 'a second HelloRetryRequest (RFC 8446 §4.1.4)');
  const share = findExtension13(m.extensions, 'key_share');
  const cookie = findExtension13(m.extensions, 'cookie');
  const group = share && 'selectedGroup' in share ? share.selectedGroup : undefined;
  check(
    group !== undefined || cookie !== undefined,
    'illegal_parameter',
    'the HelloRetryRequest would change nothing in our ClientHello (RFC 8446 §4.1.4)',
  );
  if (group !== undefined) {
    check(
      resolved.groups.includes(group),
      'illegal_parameter',
      `the HelloRetryRequest asks for ${NamedGroup.format(group)}, which is not in our supported_groups (RFC 8446 §4.2.8)`,
    );
    check(
      !hello.shares.some((s) => s.group === group),
      'illegal_parameter',
      `the HelloRetryRequest asks for ${NamedGroup.format(group)}, for which we already sent a key share (RFC 8446 §4.2.8)`,
    );
  }
  const suite = tls13Suite(m.cipherSuite)!;
  // Transcript-Hash(ClientHello1, HelloRetryRequest, ...) = Hash(message_hash || 00 00 Hash.length || Hash(ClientHello1) || HelloRetryRequest ...)
  const ch1 = conn.transcript.splice(0, conn.transcript.length);
  const digest = hashSync(suite.hash, concatBytes(...ch1));
  conn.transcript.push(concatBytes(Uint8Array.of(254, 0, 0, digest.length), digest), bytes);
  return {
    ...base13(state),
    name: 'AnswerHelloRetryRequest',
    hello: { ...hello, retried: true, retrySuite: suite.code },
    ...(group !== undefined ? { group } : {}),
    ...(cookie ? { cookie: cookie.cookie } : {}),
  };
}

/** The second ClientHello: a key share for the group the HelloRetryRequest asked for, and its cookie. */
async function answerHelloRetryRequest(
  state: Extract<Client13State, { name: 'AnswerHelloRetryRequest' }>,
): Promise<Client13State> {
  const { group, cookie, resolved, conn } = state;
  const shares = group !== undefined ? [await newShare(state, group)] : state.hello.shares;
  const next: ClientHelloSent = { ...state.hello, shares };
  // RFC 8446 §D.4: the middlebox ChangeCipherSpec goes before the second ClientHello (OpenSSL does the same).
  if (resolved.middleboxCompat) conn.sendChangeCipherSpec();
  sendClientHello(state, next, cookie);
  return { ...base13(state), name: 'ExpectServerHello', hello: next };
}

/** What a TLS 1.2 server needs to see in our ClientHello when we offer 1.2 as well. */
const TLS12_EXTENSIONS: Extension13[] = [
  { kind: 'ec_point_formats', formats: [0] }, // RFC 8422 §5.1.2
  { kind: 'extended_master_secret' }, // RFC 7627
  { kind: 'renegotiation_info', renegotiatedConnection: new Uint8Array(0) }, // RFC 5746
];

function tls12Suites(config: Client13Config): number[] {
  return config.tls12?.suites ?? [...DEFAULT_SUITES];
}

/**
 * The server chose TLS 1.2 (and its random has no downgrade sentinel): the 1.2 engine continues from our
 * ClientHello and reads everything the server sent, from its ServerHello on.
 */
async function fallBack(
  state: Extract<Client13State, { name: 'ExpectServerHello' }>,
): Promise<Client13State> {
  const { conn, config, resolved } = state;
  const helloBytes = conn.transcript[0]!;
  const decoded = decodeHandshake13(helloBytes).message;
  const offered = decoded.type === 'client_hello' ? decoded.message.extensions.map((e) => e.kind) : [];
  const tls12 = clientAfterHello(
    {
      ...config.tls12,
      suites: tls12Suites(config),
      verifier: config.verifier,
      ...(config.serverName ? { serverName: config.serverName } : {}),
      ...(config.certificateChain ? { certificateChain: config.certificateChain } : {}),
      ...(config.privateKey ? { privateKey: config.privateKey } : {}),
      ...(resolved.alpn.length > 0 ? { alpn: resolved.alpn } : {}),
      random: resolved.random,
      now: resolved.now,
      offeredTls13: true,
    },
    { bytes: helloBytes, clientRandom: state.hello.clientRandom, offeredExtensions: offered },
  );
  const r = await clientStep(tls12, { kind: 'bytes', data: conn.detach() });
  return { ...base13(state), name: 'Tls12', tls12: r.state, pending: r.events };
}
