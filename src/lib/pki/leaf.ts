/**
 * Which loaded certificate is the server's (the end of the chain to verify). A bundle may start with anything
 * (a CA file's first root, an intermediate pasted first), so the first certificate is only the last resort:
 * the user's choice wins; else one that is not a CA and carries the host name; else the first that is not a CA.
 */
import { matchHostname } from './paths/hostname.ts';
import type { CertView } from './types.ts';

const isCa = (c: CertView) => c.basicConstraints?.ca === true;

/** Whether a user's choice (an id or an id prefix of at least 16 hex digits, any case) names the certificate `id`. */
export function namesCertificate(chosen: string | undefined, id: string): boolean {
  return chosen !== undefined && chosen.length >= 16 && id.startsWith(chosen.toLowerCase());
}

/**
 * The certificate to verify: `chosen` (an id or an id prefix of at least 16 hex digits) when it names one,
 * else the first non-CA certificate whose names match `hostname`, else the first non-CA, else the first.
 */
export function pickLeaf(
  certificates: readonly CertView[],
  options: { chosen?: string; hostname?: string } = {},
): CertView | undefined {
  const { chosen, hostname } = options;
  const hit = certificates.find((c) => namesCertificate(chosen, c.id));
  if (hit) return hit;
  const ends = certificates.filter((c) => !isCa(c));
  if (hostname) {
    const named = ends.find((c) => matchHostname(c, hostname).matched);
    if (named) return named;
  }
  return ends[0] ?? certificates[0];
}

/** The certificates with `leaf` first and the others in their order (what the analysis takes as "served"). */
export function leafFirst(certificates: readonly CertView[], leaf: CertView | undefined): CertView[] {
  if (!leaf) return [...certificates];
  return [leaf, ...certificates.filter((c) => c.id !== leaf.id)];
}
