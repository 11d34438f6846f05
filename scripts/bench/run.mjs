#!/usr/bin/env node
/**
 * The benchmark of plan and apply at scale: `npm run bench` (needs `npm run build`, which the
 * npm script runs first). The built CLI runs as a user runs it, one process per command,
 * against the emulator in a second process with a fixed latency per request and a fixed
 * operation duration. Writes BENCHMARKS.md: the machine, the commands, a table per scenario,
 * the targets and where the time goes.
 *
 *   BENCH_QUICK=1   smoke run (small N, short operations, < 1 min), written to the temp directory
 *   BENCH_OUT=path  where to write the markdown
 *   BENCH_KEEP=1    keep the scratch directory and results.json (every number)
 *   BENCH_ONLY=startup,polls,rates  only those runs (issue 14); their sections replace their namesakes in the output
 *   node scripts/bench/run.mjs --render results.json   re-render a kept run, measuring nothing
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { QUICK } from './config.mjs';
import { ROOT, useBuildSnapshot } from './cli.mjs';
import { renderReport } from './report.mjs';
import { POLLS_HEADING, pollsSection, RATES_HEADING, ratesSection, spliceSection } from './polls-report.mjs';
import { STARTUP_HEADING, startupSection } from './startup-report.mjs';
import { runSuite } from './suite.mjs';

const began = performance.now();
const log = (line) => process.stdout.write(`[bench ${((performance.now() - began) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);

/** The whole report, or for a partial run the existing one with its section replaced. */
function render(results) {
  if (!results.only) return renderReport(results);
  const path = outputFor(results);
  let markdown = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks: plan and apply at scale\n';
  if (results.startup) markdown = spliceSection(markdown, STARTUP_HEADING, startupSection(results));
  if (results.polls) markdown = spliceSection(markdown, POLLS_HEADING, pollsSection(results));
  if (results.rates) markdown = spliceSection(markdown, RATES_HEADING, ratesSection(results));
  return markdown;
}

function outputFor(results) {
  // A smoke run must not overwrite the committed results.
  return process.env.BENCH_OUT ?? (results.quick ? join(tmpdir(), 'intuned-gitops-BENCHMARKS.quick.md') : join(ROOT, 'BENCHMARKS.md'));
}

const renderFrom = process.argv.indexOf('--render');
if (renderFrom > 0) {
  const results = JSON.parse(readFileSync(process.argv[renderFrom + 1] ?? '', 'utf8'));
  writeFileSync(outputFor(results), render(results));
  log(`wrote ${outputFor(results)}`);
} else {
  const root = mkdtempSync(join(tmpdir(), 'intuned-gitops-bench-'));
  useBuildSnapshot(join(root, 'app'));
  const results = await runSuite({ root, log });
  results.totalMs = performance.now() - began;
  writeFileSync(outputFor(results), render(results));
  log(`wrote ${outputFor(results)}${QUICK ? ' (smoke run)' : ''}`);
  if (process.env.BENCH_KEEP === '1') {
    writeFileSync(join(root, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    log(`kept ${root} (results.json holds every number)`);
  } else {
    rmSync(root, { recursive: true, force: true });
  }
}
