/**
 * The sslmode engine's names, each spelled once: the sslmode values, the drivers, the libpq versions modelled and
 * the managed-service presets. Types derive from these lists; the app and the CLI import the lists.
 */

/** libpq's sslmode values, weakest first (the order every table and the matrix show them in). */
export const SSLMODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSLMODES)[number];

/** The clients the engine models: libpq and node-postgres in code, the others as rule tables (drivers/). */
export const DRIVERS = ['libpq', 'node-postgres', 'pgjdbc', 'npgsql', 'pgx', 'asyncpg'] as const;
export type Driver = (typeof DRIVERS)[number];

/** The libpq major versions modelled; any other version is read as the default. */
export const LIBPQ_VERSIONS = ['15', '16', '17', '18'] as const;
export type LibpqVersion = (typeof LIBPQ_VERSIONS)[number];
export const DEFAULT_LIBPQ_VERSION: LibpqVersion = '17';

/** Managed-service presets (server.ts presetSetting). */
export const SERVER_PRESETS = ['azure-flexible', 'aws-rds'] as const;
export type ServerPreset = (typeof SERVER_PRESETS)[number];

/** Whether a string is one of a list's names (narrowing it to the list's type). */
export function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}
