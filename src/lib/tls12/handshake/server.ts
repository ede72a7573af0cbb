/**
 * The TLS 1.2 server (RFC 5246 §7.3), in spec order:
 *
 *   <- ClientHello
 *   ServerHello, Certificate, ServerKeyExchange*, CertificateRequest*, ServerHelloDone ->
 *   <- Certificate*, ClientKeyExchange, CertificateVerify*, [ChangeCipherSpec], Finished
 *   [ChangeCipherSpec], Finished ->
 */
import { concatBytes } from '../../bytes/index.ts';
import {
  ClientCertificateType,
  CipherSuite,
  NamedGroup,
  SignatureScheme,
  versionName,
} from '../wire/code-points.ts';
import { findExtension, type Extension } from '../wire/extensions.ts';
import type { HandshakeMessage } from '../wire/handshake.ts';
import { ecdheParamsBytes } from '../wire/server-key-exchange.ts';
import { parseCertificate } from './certificate-info.ts';
import { privateKeyFromPkcs8 } from '../crypto/keys.ts';
import { generateEphemeral, sharedSecret, type EphemeralKey } from '../crypto/ecdhe.ts';
import { decryptPreMasterSecret } from '../crypto/rsa-pkcs1.ts';
import { keyMatchesScheme, signWithScheme, verifyWithScheme } from '../crypto/signatures.ts';
import { cipherSuite } from '../crypto/suites.ts';
import { TlsAlert } from './alerts.ts';
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
import { resolveCommon, TLS12, type ServerConfig } from './config.ts';
import { Connection, type Received } from './connection.ts';
import { finishedVerifyData } from './secrets.ts';
import type { Input, Negotiated, ServerState, StepResult } from './states.ts';
import { withDowngradeSentinel } from '../../tls13/handshake/downgrade.ts';

const SCSV = CipherSuite.values.TLS_EMPTY_RENEGOTIATION_INFO_SCSV;
const SHA1_SCHEMES = [SignatureScheme.values.rsa_pkcs1_sha1, SignatureScheme.values.ecdsa_sha1];

export function newServer(config: ServerConfig): ServerState {
  const resolved = resolveCommon(config);
  return {
    side: 'server',
    name: 'ExpectClientHello',
    conn: new Connection('server', resolved.random, config.tamper),
    config,
    resolved,
    key: privateKeyFromPkcs8(config.privateKey),
  };
}

export function serverStep(state: ServerState, input: Input): Promise<StepResult<ServerState>> {
  return stepSide(state, input, SIDE);
}

const SIDE: Side<ServerState> = {
  start(state) {
    return state; // the server waits for a ClientHello
  },
  closed: (state, reason) => ({ ...base(state), name: 'Closed', reason }),
  handleItem,
};

function base(s: ServerState) {
  return { side: 'server' as const, conn: s.conn, config: s.config, resolved: s.resolved, key: s.key };
}

async function handleItem(state: ServerState, item: Received): Promise<ServerState> {
  if (item.kind === 'alert') {
    const reason = onAlert(state.conn, item);
    return { ...base(state), name: 'Closed', reason };
  }
  const conn = state.conn;
  // Finished and CertificateVerify are checked against the transcript before they join it.
  const deferred =
    item.kind === 'handshake' &&
    (item.message.type === 'finished' || item.message.type === 'certificate_verify');
  if (item.kind === 'handshake' && !deferred) conn.handshakeMessages.push(item.bytes);
  switch (state.name) {
    case 'ExpectClientHello':
      return onClientHello(state, expectHandshake(item, 'client_hello', 'ClientHello'));
    case 'ExpectCertificate': {
      const m = expectHandshake(item, 'certificate', 'client Certificate');
      if (m.certificates.length > 0 && state.config.clientVerifier) {
        const v = await state.config.clientVerifier({ chain: m.certificates, now: state.resolved.now() });
        if (!v.ok) throw new TlsAlert(v.alert, v.reason);
      }
      return {
        ...base(state),
        name: 'ExpectClientKeyExchange',
        hs: { ...state.hs, clientCertificates: m.certificates },
        ...(state.ephemeral ? { ephemeral: state.ephemeral } : {}),
        clientVersion: state.clientVersion,
      };
    }
    case 'ExpectClientKeyExchange':
      return onClientKeyExchange(state, expectHandshake(item, 'client_key_exchange', 'ClientKeyExchange'));
    case 'ExpectCertificateVerify': {
      const m = expectHandshake(item, 'certificate_verify', 'CertificateVerify');
      const leaf = parseCertificate(state.hs.clientCertificates[0]!);
      if (
        !(await verifyWithScheme(
          leaf.publicKey,
          m.signatureScheme,
          concatBytes(...conn.handshakeMessages),
          m.signature,
        ))
      ) {
        throw new TlsAlert(
          'decrypt_error',
          `the client CertificateVerify (${SignatureScheme.format(m.signatureScheme)}) does not verify`,
        );
      }
      conn.handshakeMessages.push(item.kind === 'handshake' ? item.bytes : new Uint8Array(0));
      return { ...base(state), name: 'ExpectChangeCipherSpec', hs: state.hs, keys: state.keys };
    }
    case 'ExpectChangeCipherSpec':
      if (item.kind !== 'change_cipher_spec') throw unexpected('ChangeCipherSpec', item);
      conn.activateRead(state.keys.clientWrite);
      return { ...base(state), name: 'ExpectFinished', hs: state.hs, keys: state.keys };
    case 'ExpectFinished': {
      const { hs, keys } = state;
      await checkPeerFinished(conn, 'server', hs, keys, item);
      conn.sendChangeCipherSpec(keys.serverWrite);
      const ours = await finishedVerifyData(
        'server',
        'server',
        hs.suite,
        keys.master,
        conn.transcriptHash(hs.suite.prfHash),
      );
      conn.emit(ours.entry);
      const sent = ours.verifyData.slice();
      if (conn.tamperFinished) sent[0]! ^= 0x01;
      conn.sendHandshake({ type: 'finished', verifyData: sent });
      conn.emit({ kind: 'handshake_complete', from: 'server', summary: summarise(hs, keys) });
      return { ...base(state), name: 'Established', hs, keys };
    }
    case 'Established': {
      const r = established(conn, item);
      return r === 'open' ? state : { ...base(state), name: 'Closed', reason: r };
    }
    case 'Closed':
      return state;
  }
}

/**
 * RFC 5246 §7.4.1.2-§7.4.1.4: version, suite, group, signature scheme and extensions from the ClientHello,
 * or the alert that ends the handshake.
 */
function negotiate(
  state: Extract<ServerState, { name: 'ExpectClientHello' }>,
  hello: Extract<HandshakeMessage, { type: 'client_hello' }>,
) {
  const { resolved, key } = state;
  // Version (Appendix E.1): we negotiate TLS 1.2 only, within the configured range.
  if (resolved.minVersion > TLS12) {
    throw new TlsAlert(
      'protocol_version',
      `the client offers at most ${versionName(hello.clientVersion)} (no supported_versions), we require ${versionName(resolved.minVersion)} or later`,
    );
  }
  if (hello.clientVersion < resolved.minVersion || hello.clientVersion < TLS12) {
    throw new TlsAlert(
      'protocol_version',
      `the client offers at most ${versionName(hello.clientVersion)}, we require ${versionName(Math.max(resolved.minVersion, TLS12))}`,
    );
  }
  if (!hello.compressionMethods.includes(0))
    throw new TlsAlert('illegal_parameter', 'the client does not offer null compression');
  const exts = hello.extensions ?? [];
  const clientGroups = findExtension(exts, 'supported_groups')?.groups;
  const clientSchemes = findExtension(exts, 'signature_algorithms')?.schemes ?? SHA1_SCHEMES;
  // RFC 8422 §5.1: without supported_groups, any curve; ECDHE suites need a common group.
  const group = resolved.groups.find((g) => clientGroups === undefined || clientGroups.includes(g));
  const scheme = (auth: 'rsa' | 'ec') =>
    [...resolved.signatureSchemes, ...SHA1_SCHEMES].find(
      (s) => clientSchemes.includes(s) && keyMatchesScheme(key, s) && auth === key.kind,
    );
  // RFC 8422 §5.1: an ECDSA certificate's curve must be one the client listed.
  const certCurve =
    key.kind === 'ec'
      ? key.curve === 'P-256'
        ? NamedGroup.values.secp256r1
        : NamedGroup.values.secp384r1
      : undefined;
  const certCurveOk =
    certCurve === undefined || clientGroups === undefined || clientGroups.includes(certCurve);
  const code = resolved.suites.find((s) => {
    const info = cipherSuite(s);
    if (!info || !hello.cipherSuites.includes(s) || info.certificateKey !== key.kind || !certCurveOk)
      return false;
    if (info.kex === 'ecdhe') return group !== undefined && scheme(info.certificateKey) !== undefined;
    return true;
  });
  if (code === undefined) {
    const offered = hello.cipherSuites.map((s) => CipherSuite.format(s)).join(', ');
    throw new TlsAlert(
      'handshake_failure',
      `no cipher suite in common for a ${key.kind.toUpperCase()} certificate (client offered ${offered}${group === undefined ? '; no common group' : ''}${certCurveOk ? '' : '; our ECDSA certificate curve is not in its supported_groups'})`,
    );
  }
  const suite = cipherSuite(code)!;
  // Secure renegotiation (RFC 5746 §3.6).
  const reneg = findExtension(exts, 'renegotiation_info');
  if (reneg && reneg.renegotiatedConnection.length !== 0) {
    throw new TlsAlert(
      'handshake_failure',
      'renegotiation_info must be empty in an initial ClientHello (RFC 5746 §3.6)',
    );
  }
  const secureReneg = reneg !== undefined || hello.cipherSuites.includes(SCSV);
  const ems = resolved.extendedMasterSecret && findExtension(exts, 'extended_master_secret') !== undefined;
  const clientAlpn = findExtension(exts, 'alpn')?.protocols;
  let alpn: string | undefined;
  if (clientAlpn && resolved.alpn.length > 0) {
    alpn = resolved.alpn.find((p) => clientAlpn.includes(p));
    if (alpn === undefined)
      throw new TlsAlert(
        'no_application_protocol',
        `no ALPN protocol in common (client offered ${clientAlpn.join(', ')})`,
      );
  }
  const sni = findExtension(exts, 'server_name')?.names[0]?.hostName;
  // The scheme our ServerKeyExchange is signed with (ECDHE suites only).
  const signatureScheme = suite.kex === 'ecdhe' ? scheme(suite.certificateKey) : undefined;
  return { code, suite, group, signatureScheme, secureReneg, ems, alpn, sni, exts };
}

/** RFC 5246 §7.4.1.2-§7.4.1.4: negotiate, then send ServerHello through ServerHelloDone. */
async function onClientHello(
  state: Extract<ServerState, { name: 'ExpectClientHello' }>,
  hello: Extract<HandshakeMessage, { type: 'client_hello' }>,
): Promise<ServerState> {
  const { conn, config, resolved } = state;
  const { code, suite, group, signatureScheme, secureReneg, ems, alpn, sni, exts } = negotiate(state, hello);
  conn.keyExchange = suite.kex;

  const drawn = resolved.random(32);
  const serverRandom = config.downgradeSentinel ? withDowngradeSentinel(drawn, TLS12) : drawn;
  const extensions: Extension[] = [];
  if (secureReneg) extensions.push({ kind: 'renegotiation_info', renegotiatedConnection: new Uint8Array(0) });
  if (ems) extensions.push({ kind: 'extended_master_secret' });
  if (suite.kex === 'ecdhe' && findExtension(exts, 'ec_point_formats'))
    extensions.push({ kind: 'ec_point_formats', formats: [0] });
  if (alpn !== undefined) extensions.push({ kind: 'alpn', protocols: [alpn] });
  conn.sendHandshake({
    type: 'server_hello',
    serverVersion: TLS12,
    random: serverRandom,
    sessionId: new Uint8Array(0),
    cipherSuite: code,
    compressionMethod: 0,
    extensions,
  });
  conn.sendHandshake({ type: 'certificate', certificates: config.certificateChain });
  let hs: Negotiated = {
    clientRandom: hello.random,
    serverRandom,
    suite,
    version: TLS12,
    extendedMasterSecret: ems,
    ...(alpn !== undefined ? { alpn } : {}),
    ...(sni !== undefined ? { serverName: sni } : {}),
    serverCertificates: config.certificateChain,
    clientCertificates: [],
  };
  let ephemeral;
  if (suite.kex === 'ecdhe') {
    ephemeral = await sendServerKeyExchange(state, hello.random, serverRandom, group!, signatureScheme!);
    hs = { ...hs, group: group!, signatureScheme: signatureScheme! };
  }
  if (config.requestClientCertificate) {
    conn.sendHandshake({
      type: 'certificate_request',
      certificateTypes: [ClientCertificateType.values.rsa_sign, ClientCertificateType.values.ecdsa_sign],
      signatureSchemes: resolved.signatureSchemes,
      certificateAuthorities: [],
    });
  }
  conn.sendHandshake({ type: 'server_hello_done' });
  const next = {
    ...base(state),
    hs,
    ...(ephemeral ? { ephemeral } : {}),
    clientVersion: hello.clientVersion,
  };
  return config.requestClientCertificate
    ? { ...next, name: 'ExpectCertificate' }
    : { ...next, name: 'ExpectClientKeyExchange' };
}

/** RFC 8422 §5.4: an ephemeral key, and ServerKeyExchange signing client_random + server_random + params. */
async function sendServerKeyExchange(
  state: Extract<ServerState, { name: 'ExpectClientHello' }>,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  group: number,
  signatureScheme: number,
): Promise<EphemeralKey> {
  const { conn, config, resolved, key } = state;
  const ephemeral = await generateEphemeral(group, resolved.random, resolved.deterministic);
  conn.emit({
    kind: 'secret',
    from: 'server',
    name: 'server_ecdhe_private_key',
    value: ephemeral.secret,
    formula: `random scalar for ${NamedGroup.format(group)}; public key = scalar x G  (RFC 8422 §5.4)`,
    inputs: { public_key: ephemeral.publicKey },
  });
  const params = ecdheParamsBytes(group, ephemeral.publicKey);
  const signature = await signWithScheme(
    key,
    signatureScheme,
    concatBytes(clientRandom, serverRandom, params),
    resolved.random,
    resolved.deterministic,
  );
  if (config.misbehave !== 'omit-server-key-exchange') {
    conn.sendHandshake({
      type: 'server_key_exchange',
      kind: 'ecdhe',
      curveType: 3,
      namedCurve: group,
      publicKey: ephemeral.publicKey,
      params,
      signatureScheme,
      signature,
    });
  }
  return ephemeral;
}

/** RFC 5246 §7.4.7 ClientKeyExchange -> pre-master, master secret, keys. */
async function onClientKeyExchange(
  state: Extract<ServerState, { name: 'ExpectClientKeyExchange' }>,
  m: Extract<HandshakeMessage, { type: 'client_key_exchange' }>,
): Promise<ServerState> {
  const { conn, resolved, key, hs } = state;
  let preMaster: Uint8Array;
  if (m.kind === 'ecdhe') {
    if (!state.ephemeral)
      throw new TlsAlert('unexpected_message', 'ECDHE ClientKeyExchange without our ServerKeyExchange');
    try {
      preMaster = await sharedSecret(state.ephemeral, m.publicKey);
    } catch (e) {
      throw new TlsAlert('illegal_parameter', `bad client ECDH public key: ${(e as Error).message}`);
    }
  } else if (m.kind === 'rsa') {
    if (key.kind !== 'rsa') throw new TlsAlert('handshake_failure', 'RSA key exchange with a non-RSA key');
    // RFC 5246 §7.4.7.1: on any failure continue with a random pre-master secret (Bleichenbacher); the
    // crypto layer never says which (bad padding, wrong length, wrong version).
    preMaster = decryptPreMasterSecret(
      key.rsa,
      m.encryptedPreMasterSecret,
      state.clientVersion,
      resolved.random,
    );
  } else {
    throw new TlsAlert('decode_error', 'unparseable ClientKeyExchange');
  }
  const keys = await establishKeys(conn, hs, preMaster);
  if (hs.clientCertificates.length > 0) return { ...base(state), name: 'ExpectCertificateVerify', hs, keys };
  return { ...base(state), name: 'ExpectChangeCipherSpec', hs, keys };
}
