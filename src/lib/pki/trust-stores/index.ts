/**
 * Trust-store presets. Each preset's PEM is a generated module (scripts/build-trust-store.ts) loaded on
 * demand with a dynamic import, so the large Mozilla set is a separate chunk fetched only when chosen.
 */

export type TrustStoreName = 'mozilla' | 'azure-postgresql' | 'letsencrypt';

export interface TrustStorePreset {
  readonly name: TrustStoreName;
  readonly title: string;
  readonly description: string;
}

export interface TrustStore {
  readonly name: TrustStoreName;
  readonly description: string;
  readonly pem: string;
}

export const TRUST_STORE_PRESETS: readonly TrustStorePreset[] = [
  {
    name: 'mozilla',
    title: 'Mozilla (Debian ca-certificates)',
    description:
      "Mozilla's root list as Debian's ca-certificates package ships it: what libpq and OpenSSL on Debian/Ubuntu trust with sslrootcert=system.",
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
