#!/usr/bin/env node
// Entry point of `npx catalogue` and `npm start`: runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../server/cli.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
