#!/usr/bin/env node
// Entry point for `npm start` and `npx helix`: runs the TypeScript sources directly through tsx,
// so a checkout needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/app/cli.ts');
