/** CLI entry: `tls-lab <command> [options]`, `tls-lab --help`. */
import { COMMANDS } from './commands.ts';
import { messageOf, processIo, type CliIo } from './io.ts';

export function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: tls-lab <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `tls-lab <command> --help` for the options and exit status of a command.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(`${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    io.err(`tls-lab: unknown command "${name}"\n\n${help()}\n`);
    return 2;
  }
  const command = await entry.load();
  if (command.usage !== undefined && (rest.includes('--help') || rest.includes('-h'))) {
    io.out(`${command.usage}\n`);
    return 0;
  }
  const run = command.run ?? command.main;
  if (!run) {
    io.err(`tls-lab: command "${name}" exports neither run() nor main()\n`);
    return 2;
  }
  try {
    return await run(rest, io);
  } catch (e) {
    // Commands answer their own errors; this is the last guard against a stack trace.
    io.err(`tls-lab ${name}: ${messageOf(e)}\n`);
    return 2;
  }
}
