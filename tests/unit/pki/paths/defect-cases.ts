/**
 * The odd certificates of issue 13 ("too strict a parser"), each a real chain root -> inter -> leaf built byte by
 * byte (raw-certs.ts) with one defect, shared by the unit test (go, webpki, rfc5280) and the interop test that
 * checks the openssl-3 profile against the real `openssl verify`.
 */
import type { CertDefectKind } from '../../../../src/lib/pki/types.ts';
import {
  ascii,
  chainOf,
  ext,
  extension,
  generalizedTime,
  int,
  name,
  T0,
  utcTime,
  type RawSpec,
} from './raw-certs.ts';

const DAY = 86_400_000;
const leafExtensions = (san = ext.sanDns(ascii('leaf.example.com'))) => [
  ext.basicConstraints(false),
  ext.keyUsage(false),
  ext.serverAuth(),
  san,
];

export interface DefectCase {
  name: string;
  /** Which certificate carries the defect. */
  on: 'root' | 'inter' | 'leaf';
  kind: CertDefectKind;
  /** The extension OID for extension defects. */
  extension?: string;
  spec: Partial<RawSpec>;
}

export const DEFECT_CASES: DefectCase[] = [
  {
    name: 'empty RDN in the leaf subject',
    on: 'leaf',
    kind: 'empty-rdn',
    spec: { subjectName: name(['CN', 'leaf'], null) },
  },
  {
    name: 'empty RDN in the CA subject',
    on: 'inter',
    kind: 'empty-rdn',
    spec: { subjectName: name(['CN', 'inter'], null) },
  },
  {
    name: 'negative pathLen in the intermediate',
    on: 'inter',
    kind: 'negative-path-len',
    extension: '2.5.29.19',
    spec: { extensions: [ext.basicConstraints(true, int(-1)), ext.keyUsage(true)] },
  },
  {
    name: 'negative pathLen in the root',
    on: 'root',
    kind: 'negative-path-len',
    extension: '2.5.29.19',
    spec: { extensions: [ext.basicConstraints(true, int(-1)), ext.keyUsage(true)] },
  },
  {
    name: 'UTCTime notAfter without seconds in the leaf',
    on: 'leaf',
    kind: 'utc-time-without-seconds',
    spec: { notAfter: utcTime(new Date(T0.getTime() + 300 * DAY), true) },
  },
  {
    name: 'UTCTime notBefore without seconds in the intermediate',
    on: 'inter',
    kind: 'utc-time-without-seconds',
    spec: { notBefore: utcTime(new Date(T0.getTime() - 300 * DAY), true) },
  },
  {
    name: 'GeneralizedTime notAfter with .123 fractional seconds',
    on: 'leaf',
    kind: 'fractional-seconds',
    spec: { notAfter: generalizedTime(new Date(T0.getTime() + 300 * DAY), '123') },
  },
  {
    name: 'GeneralizedTime notAfter with .500 fractional seconds',
    on: 'leaf',
    kind: 'fractional-seconds',
    spec: { notAfter: generalizedTime(new Date(T0.getTime() + 300 * DAY), '500') },
  },
  {
    name: 'UTF-8 dNSName SAN',
    on: 'leaf',
    kind: 'non-ia5-dns-name',
    extension: '2.5.29.17',
    spec: { extensions: leafExtensions(ext.sanDns(ascii('café.example.com'), ascii('leaf.example.com'))) },
  },
  {
    name: 'broken keyUsage DER in the leaf',
    on: 'leaf',
    kind: 'broken-extension',
    extension: '2.5.29.15',
    spec: {
      extensions: [
        ext.basicConstraints(false),
        extension('2.5.29.15', true, Uint8Array.of(0x03, 0x05, 0x07, 0x80)),
        ext.serverAuth(),
        ext.sanDns(ascii('leaf.example.com')),
      ],
    },
  },
  {
    name: 'broken subjectAltName DER in the leaf',
    on: 'leaf',
    kind: 'broken-extension',
    extension: '2.5.29.17',
    spec: {
      extensions: [
        ext.basicConstraints(false),
        ext.keyUsage(false),
        ext.serverAuth(),
        extension('2.5.29.17', false, Uint8Array.of(0x30, 0x09, 0x82, 0x10, 0x61)),
      ],
    },
  },
  {
    name: 'broken basicConstraints DER in the intermediate',
    on: 'inter',
    kind: 'broken-extension',
    extension: '2.5.29.19',
    spec: {
      extensions: [extension('2.5.29.19', true, Uint8Array.of(0x30, 0x05, 0x01, 0x01)), ext.keyUsage(true)],
    },
  },
  {
    name: 'broken certificatePolicies DER in the leaf',
    on: 'leaf',
    kind: 'broken-extension',
    extension: '2.5.29.32',
    spec: {
      extensions: [...leafExtensions(), extension('2.5.29.32', false, Uint8Array.of(0x30, 0x07, 0x30, 0x01))],
    },
  },
];

/** PEMs of the case's chain. */
export function chainFor(c: DefectCase): Promise<{ root: string; inter: string; leaf: string }> {
  return chainOf({ [c.on]: c.spec });
}

export { T0 };
