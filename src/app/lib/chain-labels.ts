/**
 * Labels that tell certificates apart. Two certificates often share a name (a CA cross-signed by two roots:
 * Azure's "Microsoft Azure RSA TLS Issuing CA 07" by DigiCert Global Root G2 and by Microsoft RSA Root 2017);
 * the graph and every list then say what differs: the issuer, else the validity dates, else the fingerprint.
 */
import type { CertView, DistinguishedName } from '../../lib/pki/types';

/** What a label is made of: the certificate's name and what can tell two of the same name apart. */
export interface LabelFacts {
  readonly id: string;
  /** The subject's common name, else the whole subject. */
  readonly name: string;
  readonly issuerName: string;
  readonly selfIssued: boolean;
  /** ISO dates (the time part is ignored). */
  readonly notBefore: string;
  readonly notAfter: string;
}

export interface CertLabel {
  readonly name: string;
  /** What tells it apart from another certificate of the same name; '' when its name is unique. */
  readonly detail: string;
}

/** A name as people say it: its common name, else the RFC 4514 string. */
export function nameOf(dn: DistinguishedName): string {
  return dn.rdns.flat().find((a) => a.type === 'CN')?.value ?? dn.rfc4514;
}

export function labelFacts(cert: CertView): LabelFacts {
  return {
    id: cert.id,
    name: nameOf(cert.subject),
    issuerName: nameOf(cert.issuer),
    selfIssued: cert.selfIssued,
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
  };
}

const issuedBy = (c: LabelFacts) => (c.selfIssued ? 'self-signed' : `issued by ${c.issuerName}`);
const validity = (c: LabelFacts) => `valid ${c.notBefore.slice(0, 10)} to ${c.notAfter.slice(0, 10)}`;

/** Members of `group` whose `key` is shared with another member. */
function colliding(group: readonly LabelFacts[], key: (c: LabelFacts) => string): Set<string> {
  const count = new Map<string, number>();
  for (const c of group) count.set(key(c), (count.get(key(c)) ?? 0) + 1);
  return new Set(group.filter((c) => (count.get(key(c)) ?? 0) > 1).map((c) => c.id));
}

/**
 * A label for each certificate (by id): its name, and for certificates that share a name, the issuer when the
 * issuers differ, the dates when issuer alone does not tell them apart, and the fingerprint's start when
 * nothing else does. The same certificate listed twice is one certificate: it gets one label.
 */
export function distinctLabels(certs: readonly LabelFacts[]): Map<string, CertLabel> {
  const unique = [...new Map(certs.map((c) => [c.id, c])).values()];
  const byName = new Map<string, LabelFacts[]>();
  for (const c of unique) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  const out = new Map<string, CertLabel>();
  for (const [name, group] of byName) {
    if (group.length === 1) {
      out.set(group[0]!.id, { name, detail: '' });
      continue;
    }
    const issuersDiffer = new Set(group.map(issuedBy)).size > 1;
    const sameIssuer = colliding(group, issuedBy);
    const sameDates = colliding(group, (c) => `${issuedBy(c)}\u0000${validity(c)}`);
    for (const c of group) {
      const parts: string[] = [];
      if (issuersDiffer) parts.push(issuedBy(c));
      if (sameIssuer.has(c.id)) parts.push(validity(c));
      if (sameDates.has(c.id)) parts.push(`SHA-256 ${c.id.slice(0, 8)}…`);
      out.set(c.id, { name, detail: parts.join(', ') });
    }
  }
  return out;
}

/** The label as one line of text: 'Name (what tells it apart)'. */
export function labelText(label: CertLabel | undefined, fallback = '(unknown certificate)'): string {
  if (!label) return fallback;
  return label.detail ? `${label.name} (${label.detail})` : label.name;
}
