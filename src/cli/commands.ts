/**
 * The CLI's subcommands. To add one, add an entry here whose `load` imports a module exporting
 * `run(argv: string[]): Promise<number>` (the exit code) and `usage: string`.
 */
export interface CommandModule {
  run(argv: string[]): Promise<number>;
  usage: string;
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
};
