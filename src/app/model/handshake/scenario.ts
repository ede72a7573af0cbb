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
import { param, type ParamValues } from '../../url/hash';
import { cipherSuite } from '../../../lib/tls12/index';
import { faultPresets, type FaultId } from '../../../content/handshake/faults';

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

export const handshakeSchema = {
  fault: param.oneOf(faultPresets.map((f) => f.id) as FaultId[], 'none'),
  cert: param.oneOf(['rsa', 'ecdsa'] as const, 'rsa'),
  /** Suites the client offers, in order (hex codes). */
  offer: param.list(suiteIds),
  /** Suites the server accepts, in its preference order. */
  accept: param.list(suiteIds),
  groups: param.list(groupIds),
  cmin: param.oneOf(versionIds, '1.2'),
  cmax: param.oneOf(versionIds, '1.2'),
  smin: param.oneOf(versionIds, '1.2'),
  smax: param.oneOf(versionIds, '1.2'),
  sni: param.string('db.example.com'),
  ems: param.boolean(true),
  pg: param.oneOf(['none', 'sslrequest', 'direct'] as const, 'none'),
  run: param.oneOf(['recognisable', 'fresh'] as const, 'recognisable'),
  step: param.int(0, { min: 0, max: 200 }),
  eve: param.boolean(false),
};
export type HandshakeControls = ParamValues<typeof handshakeSchema>;

/** Everything the worker needs to run one handshake: plain data, no functions. */
export interface LabScenario {
  readonly offer: number[];
  readonly accept: number[];
  readonly groups: number[];
  readonly clientVersions: [number, number];
  readonly serverVersions: [number, number];
  readonly serverName?: string;
  readonly ems: boolean;
  readonly alpn?: string[];
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
  readonly trustedRootPem: string;
  readonly tamper?: 'finished' | 'finished-record';
  readonly postgres: 'none' | 'sslrequest' | 'direct';
  /** undefined = real randomness. */
  readonly seed?: string;
  /** The clock both sides read (ms). */
  readonly now: number;
}

const parseCodes = (list: readonly string[], allowed: readonly string[]) =>
  list.filter((c) => allowed.includes(c.toLowerCase())).map((c) => parseInt(c, 16));
const versionCode = (id: string) => VERSIONS.find((v) => v.id === id)?.code ?? 0x0303;

/** A fixed clock for recognisable runs: 2026-01-01, inside every demo certificate's validity but the expired one. */
export const RECOGNISABLE_NOW = Date.UTC(2026, 0, 1);

export function buildScenario(c: HandshakeControls, now = Date.now()): LabScenario {
  let cert = c.cert === 'ecdsa' ? { crt: ecdsaCrt, key: ecdsaKey } : { crt: rsaCrt, key: rsaKey };
  let offer = parseCodes(c.offer, suiteIds);
  let clientVersions: [number, number] = [versionCode(c.cmin), versionCode(c.cmax)];
  let serverVersions: [number, number] = [versionCode(c.smin), versionCode(c.smax)];
  let tamper: LabScenario['tamper'];
  switch (c.fault) {
    case 'version-mismatch':
      // As in the psql text the preset quotes: the client's maximum is TLS 1.2, the server requires TLS 1.3.
      clientVersions = [0x0303, 0x0303];
      serverVersions = [0x0304, 0x0304];
      break;
    case 'no-shared-suite':
      cert = { crt: rsaCrt, key: rsaKey };
      offer = SUITE_CHOICES.filter((s) => s.certificateKey === 'ec').map((s) => s.code);
      break;
    case 'untrusted-certificate':
      cert = { crt: untrustedCrt, key: untrustedKey };
      break;
    case 'expired-certificate':
      cert = { crt: expiredCrt, key: expiredKey };
      break;
    case 'host-mismatch':
      cert = { crt: otherCrt, key: otherKey };
      break;
    case 'tampered-finished':
      tamper = 'finished';
      break;
    case 'tampered-record':
      tamper = 'finished-record';
      break;
    default:
      break;
  }
  return {
    offer,
    accept: parseCodes(c.accept, suiteIds),
    groups: parseCodes(c.groups, groupIds),
    clientVersions,
    serverVersions,
    ...(c.sni || c.fault === 'host-mismatch' ? { serverName: c.sni || 'db.example.com' } : {}),
    ems: c.ems,
    ...(c.pg === 'direct' ? { alpn: ['postgresql'] } : {}),
    serverCertPem: cert.crt,
    serverKeyPem: cert.key,
    trustedRootPem: rootPem,
    ...(tamper ? { tamper } : {}),
    postgres: c.pg,
    ...(c.run === 'recognisable' ? { seed: 'tls-lab' } : {}),
    now: c.run === 'recognisable' ? RECOGNISABLE_NOW : now,
  };
}
