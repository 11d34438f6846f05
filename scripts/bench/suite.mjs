/**
 * The sequence of measured runs: for each size a dry-run, all creates, a dry-run in sync,
 * 10% updates, 10% deletes and all creates above the server's cap; larger dry-runs; the naive
 * loop; applies under 429s. Returns every number; report.mjs turns them into BENCHMARKS.md.
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { CONFIG, FAULT_SEED, ONLY, QUICK } from './config.mjs';
import { measureStartup } from './cli.mjs';
import { startEmulatorProcess } from './emulator-client.mjs';
import { createProject, removeTenthOfFiles, rotateSharedPassword } from './project.mjs';
import { applyRun, dryRun, naiveLoop } from './scenarios.mjs';
import { modelApply } from './model.mjs';
import { machine } from './report.mjs';
import { startupRuns } from './startup.mjs';

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function sizeRuns(bench, root, size, log) {
  const { cap } = CONFIG;
  const project = createProject(root, `n${size}`, size);
  const entry = { size };
  entry.dryRunFresh = await dryRun(bench, project, 'fresh: every session to create');
  log(`N=${size} dry-run (fresh): ${entry.dryRunFresh.wallMs.toFixed(0)} ms`);
  entry.creates = await applyRun(bench, project, { label: 'all creates', kind: 'create', operations: size, concurrency: cap });
  log(`N=${size} apply, ${size} creates at concurrency ${cap}: ${seconds(entry.creates.wallMs)}`);
  entry.dryRunInSync = await dryRun(bench, project, 'in sync: nothing to do');
  log(`N=${size} dry-run (in sync): ${entry.dryRunInSync.wallMs.toFixed(0)} ms`);
  const updated = rotateSharedPassword(project);
  entry.updates = await applyRun(bench, project, { label: '10% updates', kind: 'update', operations: updated, concurrency: cap });
  log(`N=${size} apply, ${updated} updates: ${seconds(entry.updates.wallMs)}`);
  const removed = removeTenthOfFiles(project);
  entry.deletes = await applyRun(bench, project, { label: '10% deletes', kind: 'delete', operations: removed, concurrency: cap });
  log(`N=${size} apply, ${removed} deletes: ${seconds(entry.deletes.wallMs)}`);
  const doubled = createProject(root, `n${size}-2c`, size);
  entry.createsOverCap = await applyRun(bench, doubled, { label: 'all creates, concurrency 2C', kind: 'create', operations: size, concurrency: 2 * cap });
  log(`N=${size} apply, ${size} creates at concurrency ${2 * cap}: ${seconds(entry.createsOverCap.wallMs)}`);
  rmSync(project.dir, { recursive: true, force: true });
  rmSync(doubled.dir, { recursive: true, force: true });
  return entry;
}

async function naiveRuns(bench, root, log) {
  const projects = Array.from({ length: CONFIG.naiveSize }, (_, index) => {
    const project = createProject(join(root, 'naive'), `s-${index}`, 1, [index]);
    project.env.INTUNED_PROJECT = 'bench-naive';
    return project;
  });
  const naive = await naiveLoop(bench, projects);
  const { cap, operationDurationMs: durationMs, latencyMs } = CONFIG;
  naive.modelWaitMs = (await modelApply({ operations: naive.sessions, concurrency: 1, cap, durationMs, latencyMs })).wallMs / naive.sessions;
  log(`naive loop, ${CONFIG.naiveSize} sessions one at a time: ${seconds(naive.wallMs)}`);
  return naive;
}

async function stormRuns(bench, root, baseline, log) {
  const shape = { kind: 'create', operations: CONFIG.stormSize, concurrency: CONFIG.cap };
  const project = (name) => createProject(root, name, CONFIG.stormSize);
  const storm = { baseline: baseline ?? (await applyRun(bench, project('storm-base'), { ...shape, label: 'no 429' })) };
  storm.randomLimit = await applyRun(bench, project('storm-random'), {
    ...shape,
    label: `${Math.round(CONFIG.stormRateLimitRate * 100)}% of requests answered 429, Retry-After ${CONFIG.stormRetryAfterSeconds} s`,
    faults: { rateLimitRate: CONFIG.stormRateLimitRate, retryAfterSeconds: CONFIG.stormRetryAfterSeconds },
  });
  log(`429s at random: ${seconds(storm.randomLimit.wallMs)}`);
  storm.limiter = await applyRun(bench, project('storm-limiter'), {
    ...shape,
    label: `a limiter admitting ${CONFIG.stormRequestsPerSecond} requests/s, 429 beyond`,
    faults: { requestsPerSecond: CONFIG.stormRequestsPerSecond },
  });
  log(`429s from a limiter: ${seconds(storm.limiter.wallMs)}`);
  return storm;
}

/**
 * The learned poll schedule at several operation durations: for each, an emulator of its own
 * (one duration per emulator) and a fresh project of creates at concurrency 2C.
 */
async function pollRuns(root, log) {
  const rows = [];
  const { pollCap: cap, pollSize: size, pollConcurrency: concurrency, latencyMs } = CONFIG;
  for (const durationMs of CONFIG.pollDurationsMs) {
    const emulator = await startEmulatorProcess({ operationDurationMs: durationMs, maxConcurrentOperations: cap, faults: { latencyMs }, randomSeed: FAULT_SEED });
    try {
      const bench = { emulator, config: { ...CONFIG, cap, operationDurationMs: durationMs } };
      const project = createProject(root, `polls-${durationMs}`, size);
      // Twelve waves of a minute outlast the default --timeout of 10 minutes.
      const timeout = `${Math.ceil((3 * Math.ceil(size / cap) * durationMs) / 60_000)}m`;
      const row = await applyRun(bench, project, { label: `D = ${seconds(durationMs)}`, kind: 'create', operations: size, concurrency, timeout });
      rows.push({ ...row, durationMs, cap });
      log(`polls: ${size} creates of ${seconds(durationMs)}, C = ${cap}, concurrency ${concurrency}: ${seconds(row.wallMs)}, ${((row.starts + row.polls) / size).toFixed(2)} requests/session`);
      rmSync(project.dir, { recursive: true, force: true });
    } finally {
      await emulator.close();
    }
  }
  return rows;
}

/**
 * Applies behind a limiter of R requests per second: a sweep of fixed concurrencies with the
 * adaptive pace off, then the adaptive pace. A run that fails (a request refused past its
 * retries) is kept as such.
 */
async function rateRuns(root, log) {
  const { cap, operationDurationMs, latencyMs, rateLimit, rateSize } = CONFIG;
  const emulator = await startEmulatorProcess({ operationDurationMs, maxConcurrentOperations: cap, faults: { latencyMs }, randomSeed: FAULT_SEED });
  const bench = { emulator, config: CONFIG };
  const rows = [];
  const one = async (concurrency, adaptive) => {
    const project = createProject(root, `rate-${adaptive ? 'a' : 'f'}-${concurrency}`, rateSize);
    if (!adaptive) project.env.INTUNED_GITOPS_FIXED_PACE = '1';
    const label = `${adaptive ? 'adaptive pace' : 'fixed'}, concurrency ${concurrency}`;
    try {
      const row = await applyRun(bench, project, { label, kind: 'create', operations: rateSize, concurrency, faults: { requestsPerSecond: rateLimit } });
      rows.push({ ...row, adaptive, failed: false });
      log(`rates: ${label}: ${seconds(row.wallMs)}, ${row.rateLimited} answered 429 of ${row.requests}`);
    } catch (error) {
      rows.push({ label, concurrency, adaptive, failed: true, message: String(error).split('\n')[0] });
      log(`rates: ${label}: failed`);
    }
    rmSync(project.dir, { recursive: true, force: true });
  };
  try {
    for (const concurrency of CONFIG.rateSweep) await one(concurrency, false);
    for (const concurrency of CONFIG.rateAdaptiveConcurrency) await one(concurrency, true);
  } finally {
    await emulator.close();
  }
  return { limit: rateLimit, size: rateSize, rows };
}

/** Runs everything in `root` (a scratch directory); `log` gets one line per measured run. */
export async function runSuite({ root, log }) {
  const { cap, operationDurationMs, latencyMs } = CONFIG;
  const results = { config: CONFIG, quick: QUICK, only: ONLY, machine: machine(), date: new Date().toISOString(), loadBefore: loadavg()[0], sizes: [], dryRunOnly: [] };
  if (ONLY) {
    for (const part of ONLY) if (!['polls', 'rates', 'startup'].includes(part)) throw new Error(`BENCH_ONLY=${ONLY.join(',')}: only polls, rates and startup run alone`);
    if (ONLY.includes('startup')) results.startup = await startupRuns(root, log);
    if (ONLY.includes('polls')) results.polls = await pollRuns(root, log);
    if (ONLY.includes('rates')) results.rates = await rateRuns(root, log);
    results.loadAfter = loadavg()[0];
    return results;
  }
  results.singleOperationPolls = (await modelApply({ operations: 1, concurrency: 1, cap, durationMs: operationDurationMs, latencyMs })).polls;
  const emulator = await startEmulatorProcess({ operationDurationMs, maxConcurrentOperations: cap, faults: { latencyMs }, randomSeed: FAULT_SEED });
  try {
    const bench = { emulator, config: CONFIG, startupMs: await measureStartup(CONFIG.startupSamples) };
    results.startupMs = bench.startupMs;
    log(`process start (--version, median of ${CONFIG.startupSamples}): ${bench.startupMs.toFixed(0)} ms`);
    for (const size of CONFIG.sizes) results.sizes.push(await sizeRuns(bench, root, size, log));
    for (const size of CONFIG.dryRunOnlySizes) {
      const project = createProject(root, `dry-${size}`, size);
      results.dryRunOnly.push(await dryRun(bench, project, 'fresh: every session to create'));
      log(`N=${size} dry-run (fresh): ${results.dryRunOnly.at(-1).wallMs.toFixed(0)} ms`);
      rmSync(project.dir, { recursive: true, force: true });
    }
    results.naive = await naiveRuns(bench, root, log);
    const sameSize = results.sizes.find((entry) => entry.size === CONFIG.stormSize);
    results.storm = await stormRuns(bench, root, sameSize?.creates, log);
  } finally {
    await emulator.close();
  }
  results.startup = await startupRuns(root, log);
  results.polls = await pollRuns(root, log);
  results.rates = await rateRuns(root, log);
  results.loadAfter = loadavg()[0];
  return results;
}
