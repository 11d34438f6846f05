#!/usr/bin/env node
/**
 * Bundles the command line (src/cli/main.ts) into build/bundle/cli.js, which bin/intuned-gitops.js runs.
 * One file per command's code (split at the CLI's dynamic imports), so `plan` loads neither the
 * emulator nor the GitHub code, and Node compiles a few large files instead of resolving and
 * reading a hundred small ones. Source maps are written beside each file.
 *
 *   node scripts/build-cli.mjs      (part of npm run build, after tsc has checked the types)
 */
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'build', 'bundle');

await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: [{ in: 'src/cli/main.ts', out: 'cli' }],
  outdir,
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // ESM builds first: jsonc-parser's `main` is a UMD file whose require() calls a bundler cannot follow.
  mainFields: ['module', 'main'],
  // Dependencies written as CommonJS call require(); an ESM bundle has none unless given one.
  banner: { js: "import { createRequire as __intunedCreateRequire } from 'node:module';\nconst require = __intunedCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'eof',
  charset: 'utf8',
  logLevel: 'warning',
});
