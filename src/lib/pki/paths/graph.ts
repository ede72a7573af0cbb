/**
 * The issuer graph over the certificates the peer sent (the pool) and the trust anchors.
 *
 * Candidate issuers of a certificate are the certificates whose subject equals its issuer (RFC 5280 §7.1 name
 * comparison by `DistinguishedName.key`, or byte-exact DER when a client compares that way), ranked the way Go's
 * `CertPool.findPotentialParents` ranks them: authority/subject key identifiers that match first, then pairs
 * where one side has no key identifier, then mismatching key identifiers last.
 *
 * Every edge's signature is verified once (memoised) through the injected `verify` function; failing edges are
 * kept with their reason so the UI can draw them. Certificates that share subject and public key (cross-signed
 * or re-issued versions of one CA) form one identity.
 */
import type { VerifyResult } from '../adapter/signature.ts';
import type { CertView } from '../types.ts';

/**
 * parse.ts verifyCertificateSignature. `issuersOf` gives the issuer's own candidate issuers, from which a DSA key
 * without parameters inherits them (RFC 5280 §6.1.4 (e)-(f)); verifiers that ignore it still fit.
 */
export type VerifySignature = (
  child: CertView,
  issuer: CertView,
  issuersOf?: (cert: CertView) => readonly CertView[],
) => Promise<VerifyResult>;

export type KeyIdMatch = 'match' | 'one-missing' | 'mismatch';

export interface GraphNode {
  readonly id: string;
  readonly subject: string;
  readonly issuer: string;
  /** Identity key: subject name key + SPKI hash. Cross-signed versions of one CA share it. */
  readonly identity: string;
  readonly trusted: boolean;
  /** Position in the certificates the peer sent, when it was sent. */
  readonly servedIndex?: number;
  readonly selfIssued: boolean;
}

export interface GraphEdge {
  /** The certificate being verified. */
  readonly child: string;
  /** The candidate issuer. */
  readonly issuer: string;
  readonly keyId: KeyIdMatch;
  /** 'unchecked' when the signature budget ran out before this edge was needed. */
  readonly signature: 'valid' | 'invalid' | 'unsupported' | 'unchecked';
  readonly reason?: string;
}

export interface Identity {
  readonly key: string;
  readonly subject: string;
  readonly spkiSha256: string;
  readonly certificateIds: readonly string[];
}

export interface IssuerGraphData {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly identities: readonly Identity[];
}

export interface Candidate {
  readonly cert: CertView;
  readonly keyId: KeyIdMatch;
  readonly trusted: boolean;
}

/**
 * `unsupported` marks a signature this engine cannot check (e.g. DSA: WebCrypto has none): the edge is
 * followed, and paths through it are reported "not supported", never valid and never silently invalid.
 */
export type EdgeResult =
  { readonly ok: true } | { readonly ok: false; readonly reason: string; readonly unsupported?: boolean };

export function identityKey(cert: CertView): string {
  return `${cert.subject.key}|${cert.fingerprints.spkiSha256}`;
}

function keyIdMatch(child: CertView, issuer: CertView): KeyIdMatch {
  const aki = child.authorityKeyId?.toLowerCase() ?? null;
  const ski = issuer.subjectKeyId?.toLowerCase() ?? null;
  if (aki === null || ski === null) return 'one-missing';
  return aki === ski ? 'match' : 'mismatch';
}

const RANK: Record<KeyIdMatch, number> = { match: 0, 'one-missing': 1, mismatch: 2 };

export interface IssuerGraphOptions {
  /** 'key' = RFC 5280 §7.1 comparison; 'der' = byte-exact (Go's RawSubject, webpki). */
  readonly nameMatch?: 'key' | 'der';
}

export class IssuerGraph {
  readonly certs = new Map<string, CertView>();
  readonly trusted = new Set<string>();
  readonly served = new Map<string, number>();
  /** Signature verifications actually performed (memoised edges are not counted twice). */
  signatureChecks = 0;
  readonly #verify: VerifySignature;
  readonly #edges = new Map<string, EdgeResult>();
  readonly #pending = new Map<string, Promise<EdgeResult>>();
  readonly #bySubject = new Map<string, CertView[]>();
  readonly #nameMatch: 'key' | 'der';

  constructor(
    served: readonly CertView[],
    anchors: readonly CertView[],
    verify: VerifySignature,
    options: IssuerGraphOptions = {},
  ) {
    this.#verify = verify;
    this.#nameMatch = options.nameMatch ?? 'key';
    served.forEach((c, i) => {
      if (!this.served.has(c.id)) this.served.set(c.id, i);
      this.#add(c);
    });
    for (const a of anchors) {
      this.trusted.add(a.id);
      this.#add(a);
    }
  }

  #add(cert: CertView): void {
    if (this.certs.has(cert.id)) return;
    this.certs.set(cert.id, cert);
    const k = this.#subjectKey(cert);
    const list = this.#bySubject.get(k) ?? [];
    list.push(cert);
    this.#bySubject.set(k, list);
  }

  #subjectKey(cert: CertView): string {
    return this.#nameMatch === 'der' ? cert.subject.derHex : cert.subject.key;
  }

  #issuerKey(cert: CertView): string {
    return this.#nameMatch === 'der' ? cert.issuer.derHex : cert.issuer.key;
  }

  isTrusted(cert: CertView): boolean {
    return this.trusted.has(cert.id);
  }

  /** Candidate issuers: anchors first then served certificates, each group ranked by key-identifier match. */
  candidates(child: CertView, from: 'all' | 'trusted' | 'untrusted' = 'all'): Candidate[] {
    const list = this.#bySubject.get(this.#issuerKey(child)) ?? [];
    const out = list
      .map((cert) => ({ cert, keyId: keyIdMatch(child, cert), trusted: this.trusted.has(cert.id) }))
      .filter((c) => (from === 'all' ? true : from === 'trusted' ? c.trusted : !c.trusted));
    return out.sort(
      (a, b) =>
        Number(b.trusted) - Number(a.trusted) ||
        RANK[a.keyId] - RANK[b.keyId] ||
        (this.served.get(a.cert.id) ?? 0) - (this.served.get(b.cert.id) ?? 0),
    );
  }

  /** The memoised result for an edge, or undefined when it was never verified. */
  known(child: CertView, issuer: CertView): EdgeResult | undefined {
    return this.#edges.get(`${child.id}>${issuer.id}`);
  }

  /** Verifies `issuer` signed `child` (RFC 5280 §6.1.3 (a)(1)); memoised per pair. */
  async verifyEdge(child: CertView, issuer: CertView): Promise<EdgeResult> {
    const key = `${child.id}>${issuer.id}`;
    const done = this.#edges.get(key);
    if (done) return done;
    const pending = this.#pending.get(key);
    if (pending) return pending;
    this.signatureChecks++;
    const p = this.#verify(child, issuer, (c) => this.candidates(c).map((x) => x.cert)).then(
      (r): EdgeResult =>
        r.ok
          ? { ok: true }
          : { ok: false, reason: r.reason, ...(r.unsupported ? { unsupported: true } : {}) },
      (e: unknown): EdgeResult => ({ ok: false, reason: `signature check failed: ${String(e)}` }),
    );
    this.#pending.set(key, p);
    const result = await p;
    this.#edges.set(key, result);
    this.#pending.delete(key);
    return result;
  }

  /** Self-signed: self-issued and its own key verifies its signature (RFC 5280 §3.2 terminology). */
  async isSelfSigned(cert: CertView): Promise<boolean> {
    if (!cert.selfIssued) return false;
    return (await this.verifyEdge(cert, cert)).ok;
  }

  /** Plain-data snapshot for the UI: every node, every name-matching edge (verified, failed or unchecked). */
  toData(): IssuerGraphData {
    const nodes: GraphNode[] = [];
    const edges: GraphEdge[] = [];
    const identities = new Map<string, { subject: string; spki: string; ids: string[] }>();
    for (const cert of this.certs.values()) {
      const identity = identityKey(cert);
      const servedIndex = this.served.get(cert.id);
      nodes.push({
        id: cert.id,
        subject: cert.subject.rfc4514,
        issuer: cert.issuer.rfc4514,
        identity,
        trusted: this.trusted.has(cert.id),
        ...(servedIndex !== undefined ? { servedIndex } : {}),
        selfIssued: cert.selfIssued,
      });
      const group = identities.get(identity) ?? {
        subject: cert.subject.rfc4514,
        spki: cert.fingerprints.spkiSha256,
        ids: [],
      };
      group.ids.push(cert.id);
      identities.set(identity, group);
      for (const cand of this.candidates(cert)) {
        const r = this.known(cert, cand.cert);
        edges.push({
          child: cert.id,
          issuer: cand.cert.id,
          keyId: cand.keyId,
          signature:
            r === undefined ? 'unchecked' : r.ok ? 'valid' : r.unsupported ? 'unsupported' : 'invalid',
          ...(r && !r.ok ? { reason: r.reason } : {}),
        });
      }
    }
    return {
      nodes,
      edges,
      identities: [...identities].map(([key, g]) => ({
        key,
        subject: g.subject,
        spkiSha256: g.spki,
        certificateIds: g.ids,
      })),
    };
  }
}
