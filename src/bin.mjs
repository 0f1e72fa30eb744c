#!/usr/bin/env node
// Entry point of the `docqa` command: registers tsx so the TypeScript sources run without a build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
