/**
 * Trust graphs as data, after Go's TestPathBuilding (crypto/x509/verify_test.go, trustGraphDescription):
 * each name is one identity with ONE key pair; every edge {issuer, subject} is a certificate for `subject`
 * signed by `issuer`'s key. Roots get a self-signed certificate and are the trust anchors. Certificates are
 * generated here with @peculiar/x509 over WebCrypto (ECDSA P-256, fast), then parsed by our parse.ts.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { concatBytes } from '../../../src/lib/bytes/hex.ts';
import { parseCertificates, verifyCertificateSignature } from '../../../src/lib/pki/parse.ts';
import { analyzeCertViews, type AnalyzeViewsInput } from '../../../src/lib/pki/analyze.ts';
import type { ChainAnalysis } from '../../../src/lib/pki/analyze-types.ts';
import type { CertView } from '../../../src/lib/pki/types.ts';

x509.cryptoProvider.set(globalThis.crypto);

export const T0 = new Date('2025-01-01T00:00:00Z');
const DAY = 86_400_000;

export interface Template {
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  pathLen?: number;
  /** undefined = no keyUsage extension. */
  keyUsage?: number;
  eku?: string[];
  dns?: string[];
  ips?: string[];
  /** Name constraints: dNSName / iPAddress ("10.0.0.0/8") / rfc822Name subtrees. */
  permittedDns?: string[];
  excludedDns?: string[];
  permittedIp?: string[];
  /** Extra raw extensions (e.g. an unknown critical one). */
  extra?: x509.Extension[];
  /** Sign with this identity's key instead of the issuer's (a forged edge). */
  signWith?: string;
  /** Omit AKI/SKI. */
  noKeyIds?: boolean;
  /** Sign with SHA-1 instead of SHA-256. */
  sha1?: boolean;
  /** Serial number as hex (default: a counter). */
  serial?: string;
  /** Mark the SKI and AKI extensions critical (RFC 5280 §4.2.1.1/§4.2.1.2: MUST NOT). */
  criticalKeyIds?: boolean;
  /** Omit basicConstraints altogether. */
  noBasicConstraints?: boolean;
}

export interface Edge {
  issuer: string;
  subject: string;
  mutate?: (t: Template) => void;
}

export interface TrustGraphDescription {
  roots: string[];
  leaf: string;
  graph: Edge[];
  /** Mutations of root self-signed certificates. */
  mutateRoot?: Record<string, (t: Template) => void>;
  /** Identities with RSA keys of these sizes (default: ECDSA P-256). */
  rsa?: Record<string, number>;
}

export interface GeneratedGraph {
  roots: CertView[];
  /** Every edge certificate, in graph order (the leaf's certificate(s) first). */
  leaf: CertView;
  intermediates: CertView[];
  /** PEM / DER of everything, for the openssl CLI and analyzeChain. */
  pem: Map<string, string>;
  rootPems: string[];
  leafPem: string;
  intermediatePems: string[];
  /** Per edge, in graph order. */
  edgeCerts: { edge: Edge; view: CertView; pem: string }[];
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const keyCache = new Map<string, Promise<CryptoKeyPair>>();
/** Identities that get an RSA key of the given size instead of P-256 (set by `generate`). */
let rsaBits: Record<string, number> = {};

function keysFor(name: string): Promise<CryptoKeyPair> {
  let k = keyCache.get(name);
  if (!k) {
    const bits = rsaBits[name];
    k = (
      bits
        ? globalThis.crypto.subtle.generateKey(
            {
              name: 'RSASSA-PKCS1-v1_5',
              modulusLength: bits,
              publicExponent: new Uint8Array([1, 0, 1]),
              hash: 'SHA-256',
            },
            true,
            ['sign', 'verify'],
          )
        : globalThis.crypto.subtle.generateKey(ALG, true, ['sign', 'verify'])
    ) as Promise<CryptoKeyPair>;
    keyCache.set(name, k);
  }
  return k;
}

/** Fresh key pairs for the next graph (identities are per description, as in Go). */
export function resetKeys(): void {
  keyCache.clear();
}

// --- minimal DER for NameConstraints (RFC 5280 §4.2.1.10) ---
function tlv(tag: number, body: Uint8Array): Uint8Array {
  const len = body.length;
  const head = len < 128 ? [tag, len] : len < 256 ? [tag, 0x81, len] : [tag, 0x82, len >> 8, len & 0xff];
  return Uint8Array.from([...head, ...body]);
}
const ascii = (s: string) => new TextEncoder().encode(s);
function ipSubtree(cidr: string): Uint8Array {
  const [addr, bits] = cidr.split('/');
  const a = (addr ?? '').split('.').map(Number);
  const n = Number(bits);
  const mask = [0, 1, 2, 3].map((i) =>
    n >= (i + 1) * 8 ? 255 : n <= i * 8 ? 0 : (0xff << (8 - (n - i * 8))) & 0xff,
  );
  return tlv(0x87, Uint8Array.from([...a, ...mask]));
}
function nameConstraints(t: Template): x509.Extension | null {
  const subtrees = (dns: string[] = [], ips: string[] = []) => [
    ...dns.map((d) => tlv(0x30, tlv(0x82, ascii(d)))),
    ...ips.map((i) => tlv(0x30, ipSubtree(i))),
  ];
  const permitted = subtrees(t.permittedDns, t.permittedIp);
  const excluded = subtrees(t.excludedDns);
  if (permitted.length === 0 && excluded.length === 0) return null;
  const parts: Uint8Array[] = [];
  if (permitted.length) parts.push(tlv(0xa0, concat(permitted)));
  if (excluded.length) parts.push(tlv(0xa1, concat(excluded)));
  return new x509.Extension('2.5.29.30', true, tlv(0x30, concat(parts)).buffer as ArrayBuffer);
}
const concat = (parts: Uint8Array[]): Uint8Array => concatBytes(...parts);

let serial = 1;

async function issue(subject: string, issuer: string, t: Template): Promise<string> {
  const subjectKeys = await keysFor(subject);
  const signer = await keysFor(t.signWith ?? issuer);
  const issuerKeys = await keysFor(issuer);
  const ext: x509.Extension[] = t.noBasicConstraints
    ? []
    : [new x509.BasicConstraintsExtension(t.ca, t.pathLen, true)];
  if (t.keyUsage !== undefined) ext.push(new x509.KeyUsagesExtension(t.keyUsage, true));
  if (t.eku) ext.push(new x509.ExtendedKeyUsageExtension(t.eku, false));
  const san = [
    ...(t.dns ?? []).map((v) => ({ type: 'dns' as const, value: v })),
    ...(t.ips ?? []).map((v) => ({ type: 'ip' as const, value: v })),
  ];
  if (san.length) ext.push(new x509.SubjectAlternativeNameExtension(san, false));
  const nc = nameConstraints(t);
  if (nc) ext.push(nc);
  if (!t.noKeyIds) {
    const critical = t.criticalKeyIds ?? false;
    ext.push(await x509.SubjectKeyIdentifierExtension.create(subjectKeys.publicKey, critical));
    ext.push(await x509.AuthorityKeyIdentifierExtension.create(issuerKeys.publicKey, critical));
  }
  ext.push(...(t.extra ?? []));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: t.serial ?? (serial++).toString(16).padStart(4, '0'),
    subject: `CN=${subject}`,
    issuer: `CN=${issuer}`,
    notBefore: t.notBefore,
    notAfter: t.notAfter,
    signingAlgorithm:
      signer.privateKey.algorithm.name === 'ECDSA'
        ? { ...ALG, hash: t.sha1 ? 'SHA-1' : 'SHA-256' }
        : { name: 'RSASSA-PKCS1-v1_5', hash: t.sha1 ? 'SHA-1' : 'SHA-256' },
    publicKey: subjectKeys.publicKey,
    signingKey: signer.privateKey,
    extensions: ext,
  });
  return cert.toString('pem') + '\n';
}

export function caTemplate(): Template {
  return {
    notBefore: new Date(T0.getTime() - 365 * DAY),
    notAfter: new Date(T0.getTime() + 5 * 365 * DAY),
    ca: true,
    keyUsage: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
  };
}

export function leafTemplate(name: string): Template {
  return {
    notBefore: new Date(T0.getTime() - 30 * DAY),
    notAfter: new Date(T0.getTime() + 300 * DAY),
    ca: false,
    keyUsage: x509.KeyUsageFlags.digitalSignature,
    eku: ['1.3.6.1.5.5.7.3.1'],
    dns: [name.replace(/\s+/g, '-') + '.example.com'],
  };
}

async function view(pem: string): Promise<CertView> {
  const r = await parseCertificates(pem);
  const c = r.certificates[0];
  if (!c) throw new Error(`generated certificate did not parse: ${JSON.stringify(r.problems)}`);
  return c;
}

export async function generate(desc: TrustGraphDescription): Promise<GeneratedGraph> {
  resetKeys();
  rsaBits = desc.rsa ?? {};
  const pem = new Map<string, string>();
  const rootPems: string[] = [];
  const roots: CertView[] = [];
  for (const r of desc.roots) {
    const t = caTemplate();
    desc.mutateRoot?.[r]?.(t);
    const p = await issue(r, r, t);
    rootPems.push(p);
    roots.push(await view(p));
    pem.set(`root:${r}`, p);
  }
  const edgeCerts: GeneratedGraph['edgeCerts'] = [];
  for (const edge of desc.graph) {
    const t = edge.subject === desc.leaf ? leafTemplate(edge.subject) : caTemplate();
    edge.mutate?.(t);
    const p = await issue(edge.subject, edge.issuer, t);
    edgeCerts.push({ edge, view: await view(p), pem: p });
  }
  const leafEdge = edgeCerts.find((e) => e.edge.subject === desc.leaf);
  if (!leafEdge) throw new Error('the graph has no certificate for the leaf');
  const inters = edgeCerts.filter((e) => e !== leafEdge);
  return {
    roots,
    leaf: leafEdge.view,
    intermediates: inters.map((e) => e.view),
    pem,
    rootPems,
    leafPem: leafEdge.pem,
    intermediatePems: inters.map((e) => e.pem),
    edgeCerts,
  };
}

export type RunOptions = Omit<Partial<AnalyzeViewsInput>, 'served' | 'anchors'>;

/** Analyses the generated graph: the leaf then the intermediates in graph order as "sent". */
export async function analyze(g: GeneratedGraph, opts: RunOptions = {}): Promise<ChainAnalysis> {
  return analyzeCertViews({
    served: [g.leaf, ...g.intermediates],
    anchors: g.roots,
    verify: verifyCertificateSignature,
    time: T0.getTime(),
    ...opts,
  });
}

/** Valid paths as Go-style strings, sorted. */
export function validChains(a: ChainAnalysis): string[] {
  return a.paths
    .filter((p) => p.valid)
    .map((p) => p.display)
    .sort();
}

export function allChains(a: ChainAnalysis): string[] {
  return a.paths.map((p) => p.display).sort();
}

export { x509, DAY };
