#!/usr/bin/env node
/**
 * Bundles the command line (src/cli/main.ts) into build/bundle/cli.js, which bin/intuned-gitops.js runs.
 * One file per command's code (split at the CLI's dynamic imports), so `plan` loads neither the
 * emulator nor the GitHub code, and Node compiles a few large files instead of resolving and
 * reading a hundred small ones. Source maps are written beside each file. Two dependencies
 * are trimmed to what the CLI uses, each explained in its file: every copy of string-width
 * (yargs has three) measures printable ASCII without loading its Unicode tables
 * (scripts/ascii-string-width.mjs), and the HTTP client gets undici's Agent and request API
 * without the rest of undici (scripts/undici-request.cjs).
 *
 *   node scripts/build-cli.mjs      (part of npm run build, after tsc has checked the types)
 */
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'build', 'bundle');
const asciiWidth = join(root, 'scripts', 'ascii-string-width.mjs');
const undiciRequest = join(root, 'scripts', 'undici-request.cjs');

/** Each `string-width` import gets its own copy behind the ASCII path, loaded when first needed. */
const asciiStringWidth = {
  name: 'ascii-string-width',
  setup(bundle) {
    bundle.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.real) return undefined;
      const real = await bundle.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: { real: true } });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'ascii-string-width' };
    });
    bundle.onLoad({ filter: /.*/, namespace: 'ascii-string-width' }, (args) => ({
      resolveDir: root,
      // require(), not import: esbuild then evaluates the real module only when it is first called for.
      contents: `import { asciiFirst } from ${JSON.stringify(asciiWidth)};\nexport default asciiFirst(() => require(${JSON.stringify(args.path)}).default);\n`,
    }));
  },
};

/** The HTTP client's import of undici (src/api/transport.ts) gets only what it uses. */
const undiciForTheClient = {
  name: 'undici-request',
  setup(bundle) {
    bundle.onResolve({ filter: /^undici$/ }, (args) => (args.importer === join(root, 'src', 'api', 'transport.ts') ? { path: undiciRequest } : undefined));
  },
};

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
  plugins: [asciiStringWidth, undiciForTheClient],
});
