/** CLI entry: `tls-lab <command> [options]`, `tls-lab --help`. */
import { COMMANDS } from './commands.ts';

export function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: tls-lab <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `tls-lab <command> --help` for the options of a command.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name === undefined ? 1 : 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    console.error(`tls-lab: unknown command "${name}"\n\n${help()}`);
    return 1;
  }
  const command = await entry.load();
  if (command.usage !== undefined && (rest.includes('--help') || rest.includes('-h'))) {
    console.log(command.usage);
    return 0;
  }
  const run = command.run ?? command.main;
  if (!run) {
    console.error(`tls-lab: command "${name}" exports neither run() nor main()`);
    return 1;
  }
  return run(rest);
}
