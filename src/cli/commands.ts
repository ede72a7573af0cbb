/**
 * The CLI's subcommands. To add one, add an entry here whose `load` imports a module exporting
 * `run(argv, io)` or `main(argv, io)` (resolving to the exit code; `io` is where it writes, see io.ts) and,
 * optionally, `usage` (printed for --help; without it --help is passed to the command itself).
 */
import type { CliIo } from './io.ts';

export interface CommandModule {
  run?: (argv: string[], io: CliIo) => Promise<number>;
  main?: (argv: string[], io: CliIo) => Promise<number>;
  usage?: string;
}

export interface CommandEntry {
  summary: string;
  load: () => Promise<CommandModule>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  handshake: {
    summary:
      'a real TLS 1.3 or 1.2 handshake with our engine against HOST:PORT (plain TLS or PostgreSQL), or one read from a capture file',
    load: () => import('./handshake.ts'),
  },
  chain: {
    summary: 'the verdict on a certificate chain, every path to the trust anchors, and what would fix it',
    load: () => import('./chain.ts'),
  },
  sslmode: {
    summary: 'predict a PostgreSQL client’s connection outcome for a scenario, or explain an error text',
    load: () => import('./sslmode.ts'),
  },
};
