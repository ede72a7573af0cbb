#!/usr/bin/env node
// `npx tls-lab <command> ...`: registers tsx so the TypeScript sources run as they are, then dispatches.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
