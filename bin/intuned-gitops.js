#!/usr/bin/env node
// `--version` alone is answered before the command line parser and the commands load, so
// scripts that probe the tool pay for a bare Node start and nothing more.
const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
  const { VERSION } = await import('../build/front-end/version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  await import('../build/bundle/cli.js');
}
