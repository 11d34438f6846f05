#!/usr/bin/env node
/**
 * Prints the figures the reliability suite (tests/reliability/) wrote on its last run, as the
 * markdown table RELIABILITY.md quotes. Repeat with:
 *
 *   npm run build && npx vitest run tests/reliability && node scripts/reliability-report.mjs
 *
 * The suite writes one JSON document per test file to $INTUNED_GITOPS_RELIABILITY_DIR
 * (default: <os tmpdir>/intuned-gitops-reliability).
 */
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DIR = process.env.INTUNED_GITOPS_RELIABILITY_DIR ?? join(tmpdir(), 'intuned-gitops-reliability');
const SUITES = ['faults', 'faults-clock', 'kill', 'kill-changes', 'hostile-text', 'hostile-files', 'security', 'wedge', 'deadline', 'storm', 'concurrent'];

/** The headline figures, in the order RELIABILITY.md shows them. */
const HEADLINES = [
  ['faultsInjected', 'faults injected (5xx, 429, dropped sockets)'],
  ['slowResponsesInjected', 'slow responses injected (past the per-attempt timeout)'],
  ['timeoutsReported', 'operations reported as timed out'],
  ['outcomeUnknownReported', 'starts reported as outcome unknown (not repeated)'],
  ['operationsEndedFailed', 'operations that ended failed'],
  ['operationsEndedCanceled', 'operations that ended canceled'],
  ['wedgingAnswersTried', 'odd result answers and unusable operation IDs tried (next apply converged)'],
  ['deadlineRuns', 'runs of the built CLI ended by --timeout against a slow server'],
  ['deadlineOvershootMs', 'total time those runs took past their --timeout, ms (process start-up included)'],
  ['stormOperations', 'creates in one run through a 30% fault storm'],
  ['stormFaults', 'faults injected into that run'],
  ['kills', 'SIGKILLs survived'],
  ['stateParsedAfterKill', 'state files parsed right after a kill'],
  ['operationsLeftStartingByKills', 'operations a kill left "starting" (answer lost)'],
  ['operationsLeftRunningByKills', 'operations a kill left running'],
  ['roundsConverged', 'kill rounds converged to an all-noop plan'],
  ['leftoverTempFiles', 'temp files left by kills mid-write'],
  ['concurrentApplyPairs', 'pairs of applies started at the same moment'],
  ['appliesRefusedByLock', 'applies refused at once by the lock'],
  ['staleLocksTakenOver', 'locks of killed applies taken over'],
  ['inputsTried', 'hostile inputs tried (texts and files)'],
  ['cliRuns', 'runs of the built CLI'],
  ['inProcessRuns', 'in-process reconcile runs'],
  ['requestsServed', 'requests answered by the emulator'],
  ['outputsScanned', 'outputs, errors and files scanned for secrets'],
  ['bytesScanned', 'bytes scanned for secrets'],
  ['secretLeaks', 'secrets found in them'],
];

async function main() {
  let names;
  try {
    names = (await readdir(DIR)).filter((name) => name.endsWith('.json'));
  } catch {
    console.error(`no figures in ${DIR}: run \`npx vitest run tests/reliability\` first`);
    process.exitCode = 1;
    return;
  }
  const documents = await Promise.all(names.map(async (name) => JSON.parse(await readFile(join(DIR, name), 'utf8'))));
  const bySuite = new Map(documents.map((document) => [document.suite, document]));
  const missing = SUITES.filter((suite) => !bySuite.has(suite));
  const totals = {};
  for (const document of documents) {
    for (const [name, value] of Object.entries(document.counters)) totals[name] = (totals[name] ?? 0) + value;
  }
  const times = documents.map((document) => document.finishedAt).sort();
  console.log(`Reliability figures from ${documents.length} test files, ${times[0]} to ${times.at(-1)} (Node ${documents[0]?.node}).`);
  if (missing.length > 0) console.log(`Missing (not run): ${missing.join(', ')}.`);
  console.log('\n| figure | count |\n|---|---:|');
  for (const [name, label] of HEADLINES) console.log(`| ${label} | ${(totals[name] ?? 0).toLocaleString('en-US')} |`);
  console.log('\n| suite | figures |\n|---|---|');
  for (const suite of SUITES.filter((name) => bySuite.has(name))) {
    const counters = Object.entries(bySuite.get(suite).counters).map(([name, value]) => `${name} ${value}`).join(', ');
    console.log(`| ${suite} | ${counters} |`);
  }
}

await main();
