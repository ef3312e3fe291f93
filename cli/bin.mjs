#!/usr/bin/env node
// `npx boomerang …`: runs the TypeScript CLI through tsx's loader, so no build step (README, CLI).
/* global process */
import { register } from 'tsx/esm/api';

register();
const { run } = await import('./main.ts');
process.exitCode = await run(process.argv.slice(2));
