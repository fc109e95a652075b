#!/usr/bin/env node
// The collector is TypeScript; tsx (a dependency) loads it without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/collector/main.ts');
