/**
 * Trust-store presets. Each preset's PEM is a generated module (scripts/build-trust-store.ts) loaded on
 * demand with a dynamic import, so the large Mozilla set is a separate chunk fetched only when chosen.
 */

import { MOZILLA_META } from './mozilla.meta.ts';

export type TrustStoreName = 'mozilla' | 'azure-postgresql' | 'letsencrypt';

export interface TrustStorePreset {
  readonly name: TrustStoreName;
  readonly title: string;
  readonly description: string;
  /** The pinned source's version, where the preset has one (Debian's ca-certificates version for Mozilla). */
  readonly version?: string;
}

export interface TrustStore {
  readonly name: TrustStoreName;
  readonly description: string;
  readonly pem: string;
}

export const TRUST_STORE_PRESETS: readonly TrustStorePreset[] = [
  {
    name: 'mozilla',
    version: MOZILLA_META.debianPackageVersion,
    title: `Mozilla roots, Debian ca-certificates ${MOZILLA_META.debianPackageVersion} (${MOZILLA_META.date})`,
    description: `Mozilla's root list (NSS bundle ${MOZILLA_META.mozillaBundleVersion}, ${MOZILLA_META.count} roots) as Debian's ca-certificates package ${MOZILLA_META.debianPackageVersion} ships it: what libpq and OpenSSL on Debian/Ubuntu trust with sslrootcert=system.`,
  },
  {
    name: 'azure-postgresql',
    title: 'Azure Database for PostgreSQL',
    description:
      'DigiCert Global Root G2, Microsoft RSA Root Certificate Authority 2017 and DigiCert Global Root CA: the roots Azure tells PostgreSQL clients to trust.',
  },
  {
    name: 'letsencrypt',
    title: "Let's Encrypt",
    description: "ISRG Root X1 (RSA) and ISRG Root X2 (ECDSA P-384), the roots of Let's Encrypt's chains.",
  },
];

const LOADERS: Record<TrustStoreName, () => Promise<string>> = {
  mozilla: async () => (await import('./mozilla.pem.ts')).MOZILLA.pem,
  'azure-postgresql': async () => (await import('./azure-postgresql.pem.ts')).AZURE_POSTGRESQL.pem,
  letsencrypt: async () => (await import('./letsencrypt.pem.ts')).LETSENCRYPT.pem,
};

export function isTrustStoreName(name: string): name is TrustStoreName {
  return Object.hasOwn(LOADERS, name);
}

/** The preset's PEM bundle; rejects with the list of known names for an unknown one. */
export async function getTrustStore(name: TrustStoreName): Promise<TrustStore> {
  if (!isTrustStoreName(name)) {
    throw new Error(
      `unknown trust store "${String(name)}" (known: ${TRUST_STORE_PRESETS.map((p) => p.name).join(', ')})`,
    );
  }
  const preset = TRUST_STORE_PRESETS.find((p) => p.name === name) as TrustStorePreset;
  return { name, description: preset.description, pem: await LOADERS[name]() };
}

/** A root an earlier pinned version of a preset had and the current one no longer has. */
export interface FormerRoot {
  readonly subject: string;
  /** SHA-256 of the certificate's DER, hex. */
  readonly sha256: string;
  /** The last pinned version that had it, and that version's date. */
  readonly lastVersion: string;
  readonly lastDate: string;
}

/**
 * The roots that left a preset since the earlier versions we pinned (only the Mozilla set has a history):
 * those among `certificates` (by fingerprint) or named as the issuer of one of them (by subject), so a chain that
 * ends at such a root can say "this root was in the Mozilla store until <version>".
 */
export function formerRootsFor(
  name: TrustStoreName,
  certificates: readonly { readonly sha256: string; readonly subject: string; readonly issuer: string }[],
): FormerRoot[] {
  if (name !== 'mozilla') return [];
  const fingerprints = new Set(certificates.map((c) => c.sha256));
  const names = new Set(certificates.flatMap((c) => [c.subject, c.issuer]));
  return MOZILLA_META.removed.filter((r) => fingerprints.has(r.sha256) || names.has(r.subject));
}
