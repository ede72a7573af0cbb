/**
 * Turns the Handshake Lab's controls (all in the URL) into an engine scenario. The demo PKI ships with the
 * app (fixtures/demo-pki, public demo keys); the client trusts only the demo root.
 */
import rootPem from '../../../../fixtures/demo-pki/root.crt?raw';
import rsaCrt from '../../../../fixtures/demo-pki/server-rsa.crt?raw';
import rsaKey from '../../../../fixtures/demo-pki/server-rsa.key?raw';
import ecdsaCrt from '../../../../fixtures/demo-pki/server-ecdsa.crt?raw';
import ecdsaKey from '../../../../fixtures/demo-pki/server-ecdsa.key?raw';
import expiredCrt from '../../../../fixtures/demo-pki/server-expired.crt?raw';
import expiredKey from '../../../../fixtures/demo-pki/server-expired.key?raw';
import otherCrt from '../../../../fixtures/demo-pki/server-other-host.crt?raw';
import otherKey from '../../../../fixtures/demo-pki/server-other-host.key?raw';
import untrustedCrt from '../../../../fixtures/demo-pki/server-untrusted.crt?raw';
import untrustedKey from '../../../../fixtures/demo-pki/server-untrusted.key?raw';
import clientUnknownCaCrt from '../../../../fixtures/demo-pki/client-unknown-ca.crt?raw';
import clientUnknownCaKey from '../../../../fixtures/demo-pki/client-unknown-ca.key?raw';
import { param, type ParamValues } from '../../url/hash';
import { cipherSuite, NamedGroup } from '../../../lib/tls12/index';
import { TLS13_SUITES } from '../../../lib/tls13/suites';
import type { Tamper13 } from '../../../lib/tls13/handshake/config';
import {
  faultForAlert,
  faultPresets,
  findFault,
  type FaultId,
  type FaultPreset,
} from '../../../content/handshake/faults';
import type { HandshakeRun } from '../../../lib/tls12/index';

/** The name the lab's client asks for (SNI, and the name it checks), unless the SNI control says another. */
const DEFAULT_SERVER_NAME = 'db.example.com';

/** The suites the lab offers, with display names; each suite's certificate key comes from the engine's suite table. */
const SUITE_LABELS = [
  { code: 0xc02f, name: 'ECDHE-RSA-AES128-GCM-SHA256' },
  { code: 0xc030, name: 'ECDHE-RSA-AES256-GCM-SHA384' },
  { code: 0xcca8, name: 'ECDHE-RSA-CHACHA20-POLY1305' },
  { code: 0xc013, name: 'ECDHE-RSA-AES128-SHA (CBC)' },
  { code: 0x009c, name: 'RSA-AES128-GCM-SHA256 (no forward secrecy)' },
  { code: 0xc02b, name: 'ECDHE-ECDSA-AES128-GCM-SHA256' },
  { code: 0xc02c, name: 'ECDHE-ECDSA-AES256-GCM-SHA384' },
  { code: 0xcca9, name: 'ECDHE-ECDSA-CHACHA20-POLY1305' },
] as const;

export const SUITE_CHOICES = SUITE_LABELS.map((s) => {
  const info = cipherSuite(s.code);
  if (!info) throw new Error(`scenario: suite 0x${s.code.toString(16)} is not in the engine's suite table`);
  return { ...s, certificateKey: info.certificateKey };
});

export const GROUP_CHOICES = [
  { code: 0x001d, name: 'x25519' },
  { code: 0x0017, name: 'secp256r1 (P-256)' },
  { code: 0x0018, name: 'secp384r1 (P-384)' },
] as const;

const hex4 = (n: number) => n.toString(16).padStart(4, '0');
const suiteIds = SUITE_CHOICES.map((s) => hex4(s.code));
const groupIds = GROUP_CHOICES.map((g) => hex4(g.code));

export const VERSIONS = [
  { id: '1.0', code: 0x0301, label: 'TLS 1.0' },
  { id: '1.1', code: 0x0302, label: 'TLS 1.1' },
  { id: '1.2', code: 0x0303, label: 'TLS 1.2' },
] as const;
const versionIds = VERSIONS.map((v) => v.id);

/** The TLS 1.3 suites (RFC 8446 §B.4), named from the engine's table: 1.3 negotiates only the AEAD and hash. */
export const SUITE13_CHOICES = TLS13_SUITES.map((s) => ({ code: s.code, name: s.name }));
const suite13Ids = SUITE13_CHOICES.map((s) => hex4(s.code));

/** Which protocol the lab runs: one version, or both side by side with the same controls. */
export const TLS_CHOICES = ['1.2', '1.3', 'both'] as const;
export type LabVersion = FaultPreset['tls'];

export const handshakeSchema = {
  tls: param.oneOf(TLS_CHOICES, '1.2'),
  fault: param.oneOf(faultPresets.map((f) => f.id) as FaultId[], 'none'),
  cert: param.oneOf(['rsa', 'ecdsa'] as const, 'rsa'),
  /** Suites the client offers, in order (hex codes). */
  offer: param.list(suiteIds),
  /** Suites the server accepts, in its preference order. */
  accept: param.list(suiteIds),
  groups: param.list(groupIds),
  /** TLS 1.3: the suites the client offers and the server accepts (hex codes, in order). */
  offer13: param.list(suite13Ids),
  accept13: param.list(suite13Ids),
  /** TLS 1.3: the group of the client's one key share (the server asks again when it prefers another). */
  share: param.oneOf(groupIds, '001d'),
  cmin: param.oneOf(versionIds, '1.2'),
  cmax: param.oneOf(versionIds, '1.2'),
  // Our TLS 1.2 server speaks TLS 1.2 only (an older client is refused with protocol_version): a lower bound
  // would claim it accepts TLS 1.0 or 1.1.
  smin: param.oneOf(['1.2'] as const, '1.2'),
  smax: param.oneOf(['1.2'] as const, '1.2'),
  sni: param.string(DEFAULT_SERVER_NAME),
  ems: param.boolean(true),
  pg: param.oneOf(['none', 'sslrequest', 'direct'] as const, 'none'),
  run: param.oneOf(['recognisable', 'fresh'] as const, 'recognisable'),
  step: param.int(0, { min: 0, max: 200 }),
  eve: param.boolean(false),
  /** With tls=both: whose steps the step view shows (the comparison's items open their version's). */
  side: param.oneOf(['1.3', '1.2'] as const, '1.3'),
};
export type HandshakeControls = ParamValues<typeof handshakeSchema>;

/** Everything the worker needs to run one handshake: plain data, no functions. */
export interface LabScenario {
  readonly version: LabVersion;
  /** Suites the client offers / the server accepts: 1.2 suites, or 1.3 suites for a 1.3 run. */
  readonly offer: number[];
  readonly accept: number[];
  readonly groups: number[];
  /** TLS 1.2 only (a 1.3 run negotiates 1.3 through supported_versions). */
  readonly clientVersions: [number, number];
  readonly serverVersions: [number, number];
  readonly serverName?: string;
  /** TLS 1.2 only (RFC 8446 binds every secret to the transcript). */
  readonly ems: boolean;
  readonly alpn?: string[];
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
  readonly trustedRootPem: string;
  readonly tamper?: 'finished' | 'finished-record';
  /** What a TLS 1.3 run stages besides. */
  readonly tls13?: Lab13;
  readonly postgres: 'none' | 'sslrequest' | 'direct';
  /** undefined = real randomness. */
  readonly seed?: string;
  /** The clock both sides read (ms). */
  readonly now: number;
}

export interface Lab13 {
  /** The group of the client's one key share. */
  readonly keyShare: number;
  /** The server's group preference (a share for another group it supports gets a HelloRetryRequest). */
  readonly serverGroups: number[];
  /** The server misbehaves (tls13/handshake/config.ts `Tamper13`). */
  readonly serverTamper?: Tamper13;
  /** The server sends a CertificateRequest and refuses to go on without a certificate. */
  readonly requireClientCertificate?: boolean;
  /** The client's certificate and key, for a CertificateRequest (PEM). */
  readonly clientCertificate?: { readonly certPem: string; readonly keyPem: string };
  /**
   * A middlebox on the path hides the ClientHello's supported_versions; both sides also speak TLS 1.2 (the
   * server with the RFC 8446 §4.1.3 downgrade sentinel).
   */
  readonly downgrade?: boolean;
}

const parseCodes = (list: readonly string[], allowed: readonly string[]) =>
  list.filter((c) => allowed.includes(c.toLowerCase())).map((c) => parseInt(c, 16));
const versionCode = (id: string) => VERSIONS.find((v) => v.id === id)?.code ?? 0x0303;

/** A fixed clock for recognisable runs: 2026-01-01, inside every demo certificate's validity but the expired one. */
export const RECOGNISABLE_NOW = Date.UTC(2026, 0, 1);

/**
 * The version a single run of these controls uses ('both' runs each; see `buildScenarios`): a fault preset
 * names its own (a link to a 1.3 preset stages it in 1.3), else `tls`.
 */
export function labVersion(c: HandshakeControls): LabVersion {
  const fault = findFault(c.fault);
  if (fault && fault.id !== 'none') return fault.tls;
  return c.tls === '1.3' ? '1.3' : '1.2';
}

/** The version of the live run on show: with tls=both, the side chosen (the comparison shows both). */
export function shownVersion(c: HandshakeControls): LabVersion {
  return c.tls === 'both' ? c.side : labVersion(c);
}

type RunOutcome = Pick<HandshakeRun, 'ok' | 'alert' | 'summary'>;

/**
 * Whether the run ended as the preset says: its alert from its side, or (the HelloRetryRequest preset, which has
 * no alert) complete after a retry. Other settings can end a run before the preset's fault is reached (a
 * HelloRetryRequest preset with no cipher suite in common ends in handshake_failure).
 */
function playedOut(fault: FaultPreset, run: RunOutcome): boolean {
  if (fault.alert) return run.alert?.name === fault.alert && run.alert.from === fault.alertFrom;
  const retried =
    run.summary !== undefined && 'helloRetryRequest' in run.summary && run.summary.helloRetryRequest;
  return run.ok && (fault.id !== 'tls13-hello-retry' || retried === true);
}

/** The chosen preset, when the run on show stages it ('both' stages only the presets it offers: stagedFault). */
function chosenPreset(c: HandshakeControls): FaultPreset | undefined {
  const fault = findFault(stagedFault(c));
  return fault && fault.id !== 'none' && stagedIn(fault, shownVersion(c)) ? fault : undefined;
}

/**
 * The failure the outcome card explains with what psql prints: the chosen preset when the run on show stages it
 * and ended as it says (`staged`), else the preset a failed run is an instance of (a failure staged by hand, the
 * side of 'both' a preset of one version does not stage, or settings that fail before the preset's fault).
 */
export function failureShown(
  c: HandshakeControls,
  run: RunOutcome,
): { fault: FaultPreset; staged: boolean } | undefined {
  const version = shownVersion(c);
  const fault = chosenPreset(c);
  if (fault && playedOut(fault, run)) return { fault, staged: true };
  const same = run.ok || !run.alert ? undefined : faultForAlert(run.alert.name, version, run.alert.from);
  return same ? { fault: same, staged: false } : undefined;
}

/**
 * What psql prints for the failure the card explains (failureShown): the preset's text, but when the run staged
 * host-mismatch, with the host the run's client asked for (the SNI control), as libpq names the host it was given.
 * A failure that is only an instance of a preset is explained as that preset's case, with its text.
 */
export function libpqTextOf(
  failure: { fault: FaultPreset; staged: boolean },
  c: HandshakeControls,
): string | undefined {
  const { fault, staged } = failure;
  if (!staged || fault.id !== 'host-mismatch' || !fault.libpq) return fault.libpq;
  return fault.libpq.replace(/host name "[^"]*"$/, `host name "${c.sni || DEFAULT_SERVER_NAME}"`);
}

/** The chosen preset when the run on show did not end as it says (other settings ended it first), else undefined. */
export function presetMissed(c: HandshakeControls, run: RunOutcome): FaultPreset | undefined {
  const fault = chosenPreset(c);
  return fault && !playedOut(fault, run) ? fault : undefined;
}

/** The `tls` control as the version select shows it: the version the run uses, or 'both'. */
export function shownTls(c: HandshakeControls): HandshakeControls['tls'] {
  return c.tls === 'both' ? 'both' : labVersion(c);
}

/**
 * The presets that break the server's certificate: the same failure in either version (only the certificate
 * changes), so 'both' stages them in both runs and the two sides stay the same connection.
 */
const CERTIFICATE_FAULTS: Partial<Record<FaultId, 'untrusted' | 'expired' | 'other-host'>> = {
  'untrusted-certificate': 'untrusted',
  'tls13-unknown-ca': 'untrusted',
  'expired-certificate': 'expired',
  'host-mismatch': 'other-host',
};

/** Whether a run of `version` stages this preset: its own version's, or a certificate preset (both stage those). */
export function stagedIn(fault: FaultPreset, version: LabVersion): boolean {
  return fault.tls === version || fault.id in CERTIFICATE_FAULTS;
}

/**
 * The presets that bring their own server certificate: the certificate presets, and no-shared-suite, which pairs the
 * RSA one with ECDSA-only suites. Every one of them is RSA 2048.
 */
const PRESET_CERTIFICATES: Partial<Record<FaultId, 'untrusted' | 'expired' | 'other-host' | 'rsa'>> = {
  ...CERTIFICATE_FAULTS,
  'no-shared-suite': 'rsa',
};

/** The preset the controls stage: 'both' stages only the presets it offers (a hand-written URL may name another). */
function stagedFault(c: HandshakeControls): FaultId {
  return c.tls === 'both' && !faultChoices('both').some((f) => f.id === c.fault) ? 'none' : c.fault;
}

/** The server certificate control as a run uses it: the chosen key type, or RSA 2048 where a preset sets it. */
export function serverCertificateShown(c: HandshakeControls): {
  cert: HandshakeControls['cert'];
  byPreset: boolean;
} {
  return stagedFault(c) in PRESET_CERTIFICATES
    ? { cert: 'rsa', byPreset: true }
    : { cert: c.cert, byPreset: false };
}

/** The server certificate the controls give, in either version (a preset's own replaces it). */
function serverCertificate(c: HandshakeControls): { crt: string; key: string } {
  switch (PRESET_CERTIFICATES[c.fault]) {
    case 'untrusted':
      return { crt: untrustedCrt, key: untrustedKey };
    case 'expired':
      return { crt: expiredCrt, key: expiredKey };
    case 'other-host':
      return { crt: otherCrt, key: otherKey };
    case 'rsa':
      return { crt: rsaCrt, key: rsaKey };
    default:
      return c.cert === 'ecdsa' ? { crt: ecdsaCrt, key: ecdsaKey } : { crt: rsaCrt, key: rsaKey };
  }
}

/**
 * The fault presets the fault select offers: the chosen version's (with 'none'); for 'both', the 1.2
 * certificate presets, which both versions stage alike, and the HelloRetryRequest one (the same server groups:
 * TLS 1.2 picks P-256 in its one round trip of key exchange, TLS 1.3 pays a retry) (a preset staged in one run only would compare a broken
 * connection with a working one, as if the other version did not notice).
 */
export function faultChoices(tls: HandshakeControls['tls']): readonly FaultPreset[] {
  if (tls === 'both')
    return faultPresets.filter(
      (f) =>
        f.id === 'none' || f.id === 'tls13-hello-retry' || (f.tls === '1.2' && f.id in CERTIFICATE_FAULTS),
    );
  return faultPresets.filter((f) => f.id === 'none' || f.tls === tls);
}

/**
 * The controls a new choice in the version or fault select leads to: a preset of the other version switches
 * `tls` (not in 'both', which runs both); a version the chosen preset does not belong to drops the preset.
 */
export function chooseTls(c: HandshakeControls, tls: HandshakeControls['tls']): Partial<HandshakeControls> {
  const fault = findFault(c.fault);
  if (!fault || faultChoices(tls).includes(fault)) return { tls };
  // The same failure under the other version's name (an untrusted server certificate is one in both).
  const same = faultChoices(tls).find(
    (f) =>
      f.id !== 'none' &&
      CERTIFICATE_FAULTS[f.id] &&
      CERTIFICATE_FAULTS[f.id] === CERTIFICATE_FAULTS[fault.id],
  );
  return { tls, fault: same?.id ?? 'none' };
}
export function chooseFault(c: HandshakeControls, id: FaultId): Partial<HandshakeControls> {
  const fault = findFault(id);
  const tls = c.tls === 'both' || !fault || fault.id === 'none' ? c.tls : fault.tls;
  return { fault: id, tls };
}

/** One scenario per version the controls ask for (two for 'both', with the same controls). */
export function buildScenarios(c: HandshakeControls, now = Date.now()): LabScenario[] {
  if (c.tls !== 'both') return [buildScenario(c, now)];
  // A preset 'both' does not offer is not staged in one run only.
  const both = { ...c, fault: stagedFault(c) };
  return [buildScenario(both, now, '1.2'), buildScenario(both, now, '1.3')];
}

/** What the controls stage in either version: the certificate, names, framing and randomness. */
function common(c: HandshakeControls, now: number) {
  return {
    ...(c.sni || c.fault === 'host-mismatch' ? { serverName: c.sni || DEFAULT_SERVER_NAME } : {}),
    ...(c.pg === 'direct' ? { alpn: ['postgresql'] } : {}),
    trustedRootPem: rootPem,
    postgres: c.pg,
    ...(c.run === 'recognisable' ? { seed: 'tls-lab' } : {}),
    now: c.run === 'recognisable' ? RECOGNISABLE_NOW : now,
  };
}

const { secp256r1: P256, x25519: X25519 } = NamedGroup.values;

/** The 1.3 fault preset the controls stage, or 'none'. */
const fault13 = (c: HandshakeControls): FaultId => (findFault(c.fault)?.tls === '1.3' ? c.fault : 'none');

/**
 * The TLS 1.3 groups a run of the controls uses: the key share the client sends (the chosen one when its group is
 * among the client's groups, else the first of them), each side's groups, and what set the share when it is not
 * the chosen one. The HelloRetryRequest preset sets all three.
 */
export function groups13(c: HandshakeControls): {
  keyShare: number;
  clientGroups: number[];
  serverGroups: number[];
  shareSetBy?: 'preset' | 'groups';
} {
  if (fault13(c) === 'tls13-hello-retry')
    // As PostgreSQL 15-17 with their default ssl_ecdh_curve = prime256v1 (P-256 only) against a client that
    // guesses x25519: no usable share, so a HelloRetryRequest.
    return { keyShare: X25519, clientGroups: [X25519, P256], serverGroups: [P256], shareSetBy: 'preset' };
  const groups = parseCodes(c.groups, groupIds);
  const chosen = parseInt(c.share, 16);
  return groups.includes(chosen)
    ? { keyShare: chosen, clientGroups: groups, serverGroups: groups }
    : { keyShare: groups[0] ?? X25519, clientGroups: groups, serverGroups: groups, shareSetBy: 'groups' };
}

/** A TLS 1.3 run of the controls, with the 1.3 fault preset (if one is chosen) staged. */
function buildScenario13(c: HandshakeControls, now: number): LabScenario {
  const cert = serverCertificate(c);
  const { keyShare, clientGroups, serverGroups } = groups13(c);
  const extra: Omit<Lab13, 'keyShare' | 'serverGroups'> & { -readonly [K in keyof Lab13]?: Lab13[K] } = {};
  switch (fault13(c)) {
    case 'tls13-hrr-unacceptable':
      extra.serverTamper = 'hrr-unoffered-group';
      break;
    case 'tls13-bad-certificate-verify':
      extra.serverTamper = 'certificate-verify';
      break;
    case 'tls13-bad-finished':
      extra.serverTamper = 'finished';
      break;
    case 'tls13-client-cert-required':
      extra.requireClientCertificate = true;
      break;
    case 'tls13-client-cert-unknown-ca':
      extra.requireClientCertificate = true;
      extra.clientCertificate = { certPem: clientUnknownCaCrt, keyPem: clientUnknownCaKey };
      break;
    case 'tls13-downgrade':
      extra.downgrade = true;
      break;
    default:
      break;
  }
  return {
    version: '1.3',
    offer: parseCodes(c.offer13, suite13Ids),
    accept: parseCodes(c.accept13, suite13Ids),
    groups: clientGroups,
    clientVersions: [0x0304, 0x0304],
    serverVersions: [0x0304, 0x0304],
    ems: false,
    serverCertPem: cert.crt,
    serverKeyPem: cert.key,
    tls13: { keyShare, serverGroups, ...extra },
    ...common(c, now),
  };
}

/**
 * What a TLS 1.2 run's fault preset sets in place of the controls under "Versions, cipher suites and groups" (the
 * 1.3 run's HelloRetryRequest groups are `groups13`'s).
 */
const PRESET_SETTINGS_12: Partial<
  Record<
    FaultId,
    {
      versions?: { client: [number, number]; server: [number, number] };
      offer?: number[];
      groups?: number[];
    }
  >
> = {
  // As in the psql text the preset quotes: the client's maximum is TLS 1.2, the server requires TLS 1.3.
  'version-mismatch': { versions: { client: [0x0303, 0x0303], server: [0x0304, 0x0304] } },
  'no-shared-suite': { offer: SUITE_CHOICES.filter((s) => s.certificateKey === 'ec').map((s) => s.code) },
  // Side by side with the 1.3 preset: a server that takes only P-256 (the 1.2 server picks from the list).
  'tls13-hello-retry': { groups: [P256, X25519] },
};

/**
 * The controls under "Versions, cipher suites and groups" that the staged preset sets instead (the selects and boxes
 * then show the user's values, which the run does not use): the views disable them and point at the preset's setup.
 */
export function presetSets(c: HandshakeControls): { versions: boolean; offer: boolean; groups: boolean } {
  const fault = stagedFault(c);
  const settings = PRESET_SETTINGS_12[fault];
  return {
    versions: settings?.versions !== undefined,
    offer: settings?.offer !== undefined,
    // The HelloRetryRequest preset sets both versions' groups (the 1.3 run's in groups13).
    groups: settings?.groups !== undefined || fault13(c) === 'tls13-hello-retry',
  };
}

export function buildScenario(
  c: HandshakeControls,
  now = Date.now(),
  version: LabVersion = labVersion(c),
): LabScenario {
  if (version === '1.3') return buildScenario13(c, now);
  const cert = serverCertificate(c);
  const preset = PRESET_SETTINGS_12[c.fault];
  const tamper: LabScenario['tamper'] =
    c.fault === 'tampered-finished'
      ? 'finished'
      : c.fault === 'tampered-record'
        ? 'finished-record'
        : undefined;
  return {
    version: '1.2',
    offer: preset?.offer ?? parseCodes(c.offer, suiteIds),
    accept: parseCodes(c.accept, suiteIds),
    groups: preset?.groups ?? parseCodes(c.groups, groupIds),
    clientVersions: preset?.versions?.client ?? [versionCode(c.cmin), versionCode(c.cmax)],
    serverVersions: preset?.versions?.server ?? [versionCode(c.smin), versionCode(c.smax)],
    ems: c.ems,
    serverCertPem: cert.crt,
    serverKeyPem: cert.key,
    ...(tamper ? { tamper } : {}),
    ...common(c, now),
  };
}
