#!/usr/bin/env node
// The SDK ships TypeScript sources; tsx compiles them on the fly (esbuild, no type checking).
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
