/**
 * The TLS 1.3 server (RFC 8446 §2, §4): reads the ClientHello, asks for another key share with a
 * HelloRetryRequest when the client's share is not for our preferred group (but that group is in its
 * supported_groups), picks a certificate by key type, sends ServerHello and its encrypted flight, and checks
 * the client's (Certificate and CertificateVerify when requested; Finished).
 */
import { bytesEqual, concatBytes } from '../../bytes/index.ts';
import { ExtensionType, NamedGroup, versionName } from '../../tls12/wire/code-points.ts';
import { generateEphemeral, sharedSecret, type EphemeralKey } from '../../tls12/crypto/ecdhe.ts';
import { hashSync } from '../../tls12/crypto/hash.ts';
import { privateKeyFromPkcs8, type PrivateKey } from '../../tls12/crypto/keys.ts';
import { TlsAlert } from '../../tls12/handshake/alerts.ts';
import { onAlert, stepSide, type Side } from '../../tls12/handshake/common.ts';
import type { Input } from '../../tls12/handshake/states.ts';
import { newServer, serverStep } from '../../tls12/handshake/server.ts';
import { computeHandshakeSecrets } from '../key-schedule.ts';
import { tls13Suite, type Tls13Suite } from '../suites.ts';
import {
  findExtension13,
  HELLO_RETRY_REQUEST_RANDOM,
  type ClientHello13,
  type Extension13,
  type Handshake13,
  type KeyShareEntry,
} from '../wire/index.ts';
import { resolve13, TLS13, type Resolved13, type Server13Config } from './config.ts';
import { Connection13, SKIPPED_EARLY_DATA_LIMIT, type Received13 } from './connection.ts';
import type { AnyEngineEvent, EngineEvent13 } from './event-log.ts';
import { emitSteps, protection } from './secrets.ts';
import { describe } from './client-flight.ts';
import { schemeFitsKey13 } from './common.ts';
import { onClientFlight, sendServerFlight, serverBase, startSignature } from './server-flight.ts';
import type { Negotiated13, RetrySent, Server13State, SpareKey } from './states.ts';

export function newServer13(config: Server13Config): Server13State {
  const resolved = resolve13(config);
  const conn = new Connection13('server', resolved.random);
  conn.coalesceHandshake = config.coalesceHandshake ?? false;
  if (config.allowTls12) conn.receivedSoFar = [];
  return {
    side: 'server',
    name: 'ExpectClientHello',
    conn,
    config,
    resolved,
    ...spareKey(resolved),
  };
}

/**
 * A fresh run makes its key share for our first group now, so that WebCrypto generates it while the ClientHello
 * is on its way rather than after it arrived; used when the client's share is for that group (the usual case, or
 * after our HelloRetryRequest asked for it). A seeded run draws its key from the seeded source when it needs it,
 * as before, so its bytes do not change.
 */
function spareKey(resolved: Resolved13): { spareKey?: SpareKey } {
  const group = resolved.groups[0];
  if (resolved.deterministic || group === undefined) return {};
  const key = generateEphemeral(group, resolved.random, false);
  key.catch(() => undefined); // awaited when used; a failure then makes the key again
  return { spareKey: { group, key } };
}

/** Our key share for `group`: the spare one when it is for this group and was made, else a new one. */
async function ephemeralFor(
  state: Extract<Server13State, { name: 'ExpectClientHello' }>,
  group: number,
): Promise<EphemeralKey> {
  const spare = state.spareKey;
  if (spare?.group === group) {
    const key = await spare.key.catch(() => undefined);
    if (key) return key;
  }
  return generateEphemeral(group, state.resolved.random, state.resolved.deterministic);
}

export async function server13Step(
  state: Server13State,
  input: Input,
): Promise<{ state: Server13State; events: AnyEngineEvent[] }> {
  if (state.name === 'Tls12') {
    const r = await serverStep(state.tls12, input);
    return { state: { ...state, tls12: r.state }, events: r.events };
  }
  const r = await stepSide<Server13State, Received13, EngineEvent13>(state, input, SIDE);
  if (r.state.name !== 'Tls12') return r;
  return { state: { ...r.state, pending: [] }, events: [...r.events, ...r.state.pending] };
}

const SIDE: Side<Server13State, Received13, EngineEvent13> = {
  start: (state) => state,
  closed: (state, reason) => ({ ...serverBase(state), name: 'Closed', reason }),
  handleItem,
};

async function handleItem(state: Server13State, item: Received13): Promise<Server13State> {
  if (item.kind === 'alert')
    return { ...serverBase(state), name: 'Closed', reason: onAlert(state.conn, item) };
  if (item.kind === 'change_cipher_spec') {
    if (state.name === 'Established' || (state.name === 'ExpectClientHello' && !state.retried))
      throw new TlsAlert('unexpected_message', 'ChangeCipherSpec outside the handshake (RFC 8446 §5)');
    return state;
  }
  if (state.name !== 'ExpectClientHello') return onClientFlight(state, item);
  if (item.kind !== 'handshake' || item.message.type !== 'client_hello')
    throw new TlsAlert('unexpected_message', `expected ClientHello, got ${describe(item)}`);
  return onClientHello(state, item.message.message, item.bytes);
}

function check(ok: boolean, alert: ConstructorParameters<typeof TlsAlert>[0], reason: string): void {
  if (!ok) throw new TlsAlert(alert, reason);
}

interface Choice {
  suite: Tls13Suite;
  group: number;
  share?: KeyShareEntry;
  scheme: number;
  chain: Uint8Array[];
  key: PrivateKey;
}

/** Suite, group, certificate and signature scheme, by our preference among what the client offered. */
function choose(state: Extract<Server13State, { name: 'ExpectClientHello' }>, m: ClientHello13): Choice {
  const { resolved, config } = state;
  const code = resolved.suites.find((s) => m.cipherSuites.includes(s));
  check(code !== undefined, 'handshake_failure', 'no TLS 1.3 cipher suite in common');
  const groups = findExtension13(m.extensions, 'supported_groups')?.groups;
  const shares = findExtension13(m.extensions, 'key_share');
  check(
    groups !== undefined && shares !== undefined && 'clientShares' in shares,
    'missing_extension',
    'a TLS 1.3 ClientHello without a PSK needs supported_groups and key_share (RFC 8446 §9.2)',
  );
  // A key share the client sent for a group we accept is used, even when we prefer another group (as OpenSSL
  // and Go's servers do): a HelloRetryRequest only when no share is usable (RFC 8446 §4.1.1, §4.2.8).
  const clientShares = (shares as { clientShares: KeyShareEntry[] }).clientShares;
  const common = resolved.groups.filter((g) => groups!.includes(g));
  check(common.length > 0, 'handshake_failure', 'no key exchange group in common');
  const group = common.find((g) => clientShares.some((s) => s.group === g)) ?? common[0];
  const share = clientShares.find((s) => s.group === group);
  const schemes = findExtension13(m.extensions, 'signature_algorithms')?.schemes;
  check(
    schemes !== undefined,
    'missing_extension',
    'ClientHello without signature_algorithms (RFC 8446 §9.2)',
  );
  for (const c of config.certificates) {
    const key = privateKeyFromPkcs8(c.privateKey);
    const scheme = resolved.signatureSchemes.find((s) => schemes!.includes(s) && schemeFitsKey13(key, s));
    if (scheme !== undefined)
      return {
        suite: tls13Suite(code!)!,
        group: group!,
        ...(share ? { share } : {}),
        scheme,
        chain: c.chain,
        key,
      };
  }
  throw new TlsAlert('handshake_failure', 'no certificate of ours can sign with a scheme the client offered');
}

/** RFC 8446 §4.1.2 ClientHello (the first or, after our HelloRetryRequest, the second). */
async function onClientHello(
  state: Extract<Server13State, { name: 'ExpectClientHello' }>,
  m: ClientHello13,
  bytes: Uint8Array,
): Promise<Server13State> {
  const { conn, config } = state;
  const versions = findExtension13(m.extensions, 'supported_versions');
  const offers13 = versions !== undefined && 'versions' in versions && versions.versions.includes(TLS13);
  if (!offers13 && config.allowTls12) return fallBack(state);
  check(
    versions !== undefined && 'versions' in versions && versions.versions.includes(TLS13),
    'protocol_version',
    `the client offers ${versions && 'versions' in versions ? versions.versions.map(versionName).join(', ') : versionName(m.legacyVersion)} only; this server speaks TLS 1.3`,
  );
  check(
    m.legacyCompressionMethods.length === 1 && m.legacyCompressionMethods[0] === 0,
    'illegal_parameter',
    'legacy_compression_methods must be the single null method (RFC 8446 §4.1.2)',
  );
  // 0-RTT early data (RFC 8446 §4.2.10): this server never accepts it, so it skips the client's early records; after
  // a HelloRetryRequest only those before the second ClientHello (which may not offer it again).
  if (state.retried) conn.skipEarlyData = undefined;
  else if (m.extensions.some((x) => x.kind === 'unknown' && x.type === ExtensionType.values.early_data))
    conn.skipEarlyData = { budget: SKIPPED_EARLY_DATA_LIMIT };
  const choice = choose(state, m);
  const retry = state.retried;
  if (retry) checkSecondHello(retry, m, choice);
  conn.transcript.push(bytes);
  const forceRetry = retry ? config.tamper === 'second-hrr' : config.tamper === 'hrr-unoffered-group';
  if (!choice.share || forceRetry) return sendHelloRetryRequest(state, m, choice);
  const eph = await ephemeralFor(state, choice.group);
  conn.emit({
    kind: 'secret',
    from: 'server',
    name: `server_${NamedGroup.format(choice.group)}_private_key`,
    value: eph.secret,
    formula: `random private key for ${NamedGroup.format(choice.group)}; key_exchange = its public key`,
    inputs: { public_key: eph.publicKey },
    source: 'RFC 8446 §4.2.8',
  });
  // The ECDH draws no randomness, so the server random may be drawn before it (seeded runs draw the same bytes).
  const serverRandom = state.resolved.random(32);
  const extensions: Extension13[] = [
    { kind: 'supported_versions', selectedVersion: TLS13 },
    { kind: 'key_share', serverShare: { group: choice.group, keyExchange: eph.publicKey } },
  ];
  const serverHello: Handshake13 = {
    type: 'server_hello',
    message: {
      legacyVersion: 0x0303,
      random: serverRandom,
      legacySessionIdEcho: m.legacySessionId,
      cipherSuite: choice.suite.code,
      legacyCompressionMethod: 0,
      extensions: config.extensionLayout?.('server_hello', extensions) ?? extensions,
    },
  };
  const early = startSignature(state, m, choice, serverHello);
  let shared: Uint8Array;
  try {
    shared = await sharedSecret(eph, choice.share.keyExchange);
  } catch (e) {
    throw new TlsAlert('illegal_parameter', `bad client key share: ${(e as Error).message}`);
  }
  conn.sendHandshake(serverHello);
  // RFC 8446 §D.4: a client that sent a session id is in middlebox mode; our ChangeCipherSpec follows ServerHello.
  if (state.resolved.middleboxCompat && m.legacySessionId.length > 0 && !conn.sentChangeCipherSpec)
    conn.sendChangeCipherSpec();
  const suite = choice.suite;
  const secrets = await computeHandshakeSecrets(conn.provider, {
    hash: suite.hash,
    sharedSecret: shared,
    helloHash: conn.transcriptHash(suite),
  });
  conn.emit({
    kind: 'secret',
    from: 'server',
    name: 'ecdhe_shared_secret',
    value: shared,
    formula: `ECDH(our ${NamedGroup.format(choice.group)} private key, client key_share)`,
    inputs: {},
    source: 'RFC 8446 §7.4',
  });
  emitSteps(conn, secrets.steps);
  conn.setWrite(
    await protection(conn, suite, 'server_handshake_traffic_secret', secrets.serverHandshakeTrafficSecret),
  );
  conn.setRead(
    await protection(conn, suite, 'client_handshake_traffic_secret', secrets.clientHandshakeTrafficSecret),
  );
  const serverName = findExtension13(m.extensions, 'server_name')?.names[0]?.hostName;
  const hs: Negotiated13 = {
    clientRandom: retry?.clientRandom ?? m.random,
    serverRandom,
    suite,
    group: choice.group,
    helloRetryRequest: retry !== undefined,
    ...(serverName !== undefined ? { serverName } : {}),
    serverCertificates: choice.chain,
    clientCertificates: [],
    clientHandshakeSecret: secrets.clientHandshakeTrafficSecret,
    serverHandshakeSecret: secrets.serverHandshakeTrafficSecret,
    handshakeSecret: secrets.handshakeSecret,
  };
  return sendServerFlight(state, hs, m, choice, early);
}

/** RFC 8446 §4.1.2: the second ClientHello answers our HelloRetryRequest and changes nothing else. */
function checkSecondHello(retry: RetrySent, m: ClientHello13, choice: Choice): void {
  check(
    bytesEqual(m.random, retry.clientRandom) && bytesEqual(m.legacySessionId, retry.sessionId),
    'illegal_parameter',
    'the second ClientHello changed its random or legacy_session_id (RFC 8446 §4.1.2)',
  );
  check(
    choice.suite.code === retry.suite.code,
    'illegal_parameter',
    'the second ClientHello no longer allows the suite of our HelloRetryRequest',
  );
  const cookie = findExtension13(m.extensions, 'cookie')?.cookie;
  if (retry.cookie)
    check(
      cookie !== undefined && bytesEqual(cookie, retry.cookie),
      'illegal_parameter',
      'the second ClientHello does not echo our cookie (RFC 8446 §4.2.2)',
    );
  const shares = findExtension13(m.extensions, 'key_share');
  const only = shares && 'clientShares' in shares ? shares.clientShares : [];
  check(
    only.length === 1 && only[0]!.group === retry.group,
    'illegal_parameter',
    `the second ClientHello must hold exactly one key share, for ${NamedGroup.format(retry.group)} (RFC 8446 §4.2.8)`,
  );
}

/** RFC 8446 §4.1.4 HelloRetryRequest; the transcript restarts from message_hash(ClientHello1). */
function sendHelloRetryRequest(
  state: Extract<Server13State, { name: 'ExpectClientHello' }>,
  m: ClientHello13,
  choice: Choice,
): Server13State {
  const { conn, config, resolved } = state;
  const suite = choice.suite;
  if (!state.retried) {
    const digest = hashSync(suite.hash, concatBytes(...conn.transcript.splice(0)));
    conn.transcript.push(concatBytes(Uint8Array.of(254, 0, 0, digest.length), digest));
  }
  let group = choice.group;
  if (config.tamper === 'hrr-unoffered-group') {
    const offered = findExtension13(m.extensions, 'supported_groups')?.groups ?? [];
    // Ours first, then any group the registry names: a client offering all of ours still gets one it did not.
    const candidates = [...resolved.groups, ...Object.values(NamedGroup.values)];
    group = candidates.find((g) => !offered.includes(g))!;
  }
  const cookie = config.cookie ? resolved.random(32) : undefined;
  const extensions: Extension13[] = [
    { kind: 'supported_versions', selectedVersion: TLS13 },
    { kind: 'key_share', selectedGroup: group },
    ...(cookie ? [{ kind: 'cookie' as const, cookie }] : []),
  ];
  conn.sendHandshake({
    type: 'server_hello',
    message: {
      legacyVersion: 0x0303,
      random: HELLO_RETRY_REQUEST_RANDOM,
      legacySessionIdEcho: m.legacySessionId,
      cipherSuite: suite.code,
      legacyCompressionMethod: 0,
      extensions: config.extensionLayout?.('server_hello', extensions) ?? extensions,
    },
  });
  if (resolved.middleboxCompat && m.legacySessionId.length > 0 && !conn.sentChangeCipherSpec)
    conn.sendChangeCipherSpec();
  const retried: RetrySent = {
    group,
    suite,
    sessionId: m.legacySessionId,
    clientRandom: m.random,
    ...(cookie ? { cookie } : {}),
  };
  return {
    ...serverBase(state),
    name: 'ExpectClientHello',
    retried,
    ...(state.spareKey ? { spareKey: state.spareKey } : {}),
  };
}

/**
 * The client does not offer TLS 1.3: the 1.2 engine serves it from its ClientHello on (it reads every byte
 * received so far), as a 1.3-capable server does, with the downgrade sentinel in its random (RFC 8446 §4.1.3).
 */
async function fallBack(
  state: Extract<Server13State, { name: 'ExpectClientHello' }>,
): Promise<Server13State> {
  const { conn, config, resolved } = state;
  const first = config.certificates[0]!;
  const tls12 = newServer({
    ...config.tls12,
    certificateChain: first.chain,
    privateKey: first.privateKey,
    ...(resolved.alpn.length > 0 ? { alpn: resolved.alpn } : {}),
    ...(config.requestClientCertificate ? { requestClientCertificate: true } : {}),
    ...(config.clientVerifier ? { clientVerifier: config.clientVerifier } : {}),
    random: resolved.random,
    now: resolved.now,
    downgradeSentinel: true,
  });
  const r = await serverStep(tls12, { kind: 'bytes', data: conn.detach() });
  return { ...serverBase(state), name: 'Tls12', tls12: r.state, pending: r.events };
}
