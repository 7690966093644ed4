#!/usr/bin/env node
// The single door for operators and technicians. TypeScript sources run through tsx,
// so a fresh clone needs no build step before its first command.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
