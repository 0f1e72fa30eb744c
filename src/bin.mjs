#!/usr/bin/env node
// Entry point of the `docqa` command: registers tsx so the TypeScript sources run without a build step.
import { register } from 'tsx/esm/api';

register();
const { runDocqa } = await import('./docqa.ts');
process.exitCode = await runDocqa(process.argv.slice(2));
