#!/usr/bin/env node
// `--version` alone is answered before the command line parser and the commands load, so
// scripts that probe the tool pay for a bare Node start and nothing more.
const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
  const { VERSION } = await import('../build/front-end/version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  // The only WebAssembly here is undici's HTTP parser, compiled at the first request. V8 then
  // optimises it on another thread: an eighth of a dry-run's instructions, on cores the command
  // shares, for a parser whose baseline code answers 3,000 requests no slower. Set before
  // anything is compiled.
  const { setFlagsFromString } = await import('node:v8');
  setFlagsFromString('--liftoff-only');
  await import('../build/bundle/cli.js');
}
