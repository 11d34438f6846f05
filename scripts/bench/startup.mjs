/**
 * The start-up runs of issue 14: a bare `node -e 0`, `intuned-gitops --version` and a dry-run of
 * a project in sync, side by side (one of each in turn, so that load on the machine falls on
 * all three alike), and dry-runs of larger projects in sync for memory against N.
 *
 * "In sync" needs an apply first. It runs against an emulator of short operations and no cap
 * worth the name (the dry-run calls only the list, so the operations' duration does not show
 * in it), with the benchmark's latency on every response; its peak memory is reported too.
 */
import { rmSync } from 'node:fs';
import { CONFIG, FAULT_SEED } from './config.mjs';
import { runCli, timeNode } from './cli.mjs';
import { startEmulatorProcess } from './emulator-client.mjs';
import { createProject } from './project.mjs';
import { applyRun, dryRun } from './scenarios.mjs';

const SETUP_CONCURRENCY = 100;

/** Median and fastest of a list of numbers. */
function spread(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return { medianMs: sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2, minMs: sorted[0], samples: sorted.length };
}

/** The dry-run with the median wall time, and the spread of all of them. */
function typical(runs) {
  const byWall = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return { ...byWall[Math.floor(byWall.length / 2)], ...spread(runs.map((run) => run.wallMs)) };
}

export async function startupRuns(root, log) {
  const { latencyMs, startupSizes: sizes, startupRounds: rounds, startupOperationMs } = CONFIG;
  const emulator = await startEmulatorProcess({ operationDurationMs: startupOperationMs, maxConcurrentOperations: 10_000, faults: { latencyMs }, randomSeed: FAULT_SEED });
  const bench = { emulator, config: { ...CONFIG, cap: 10_000, operationDurationMs: startupOperationMs } };
  const projects = [];
  try {
    const rows = [];
    for (const size of sizes) {
      const project = createProject(root, `startup-${size}`, size);
      projects.push(project);
      const apply = await applyRun(bench, project, { label: 'all creates', kind: 'create', operations: size, concurrency: SETUP_CONCURRENCY });
      log(`startup: N=${size} brought in sync in ${(apply.wallMs / 1000).toFixed(1)} s`);
      rows.push({ size, apply });
    }
    const bare = [];
    const version = [];
    const first = [];
    for (let round = 0; round < rounds; round += 1) {
      bare.push(await timeNode(['-e', '0']));
      version.push((await runCli({ args: ['--version'] })).wallMs);
      first.push(await dryRun(bench, projects[0], 'in sync: nothing to do'));
    }
    rows[0].dryRun = typical(first);
    for (const [index, row] of rows.entries()) {
      if (index === 0) continue;
      const runs = [];
      for (let round = 0; round < Math.max(1, Math.floor(rounds / 3)); round += 1) runs.push(await dryRun(bench, projects[index], 'in sync: nothing to do'));
      row.dryRun = typical(runs);
    }
    for (const row of rows) log(`startup: N=${row.size} dry-run in sync, median ${row.dryRun.medianMs.toFixed(0)} ms of ${row.dryRun.samples}`);
    return { node: spread(bare), version: spread(version), rows, rounds };
  } finally {
    await emulator.close();
    for (const project of projects) rmSync(project.dir, { recursive: true, force: true });
  }
}
