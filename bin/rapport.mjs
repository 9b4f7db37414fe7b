#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx compiles on the fly and caches the result).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
