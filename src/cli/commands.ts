/**
 * The CLI's subcommands. To add one, add an entry here whose `load` imports a module exporting
 * `run(argv)` or `main(argv)` (resolving to the exit code) and, optionally, `usage` (printed for --help;
 * without it --help is passed to the command itself).
 */
export interface CommandModule {
  run?: (argv: string[]) => Promise<number>;
  main?: (argv: string[]) => Promise<number>;
  usage?: string;
}

export interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  handshake: {
    summary: 'a real TLS 1.2 handshake with our engine against HOST:PORT (plain TLS or PostgreSQL)',
    load: () => import('./handshake.ts'),
  },
  chain: {
    summary: 'every path from a certificate chain to the trust anchors, with each profile’s verdict',
    load: () => import('./chain.ts'),
  },
  sslmode: {
    summary: 'predict a PostgreSQL client’s connection outcome for a scenario, or explain an error text',
    load: () => import('./sslmode.ts'),
  },
};
