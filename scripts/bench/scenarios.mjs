/**
 * One measured CLI run per function: a dry-run or an apply of a project against the emulator
 * process, returning a row of numbers (the CLI's own --timings report, the emulator's request
 * counts for exactly that run, and what the model says it should cost).
 */
import { performance } from 'node:perf_hooks';
import { runCli } from './cli.mjs';
import { idealApplyMs, modelApply, modelDeletes } from './model.mjs';

const LIST_ROUTES = ['GET /auth-sessions', 'GET /jobs', 'GET /jobs/{id}/runs'];
const START_ROUTES = ['POST /auth-sessions/create', 'POST /auth-sessions/{id}/update'];
const POLL_ROUTES = ['GET /auth-sessions/create/{op}/result', 'GET /auth-sessions/{id}/update/{op}/result'];
const DELETE_ROUTES = ['DELETE /auth-sessions/{id}'];

export function sumRoutes(byRoute, routes) {
  return routes.reduce((total, route) => total + (byRoute[route] ?? 0), 0);
}

/** The command as a user would type it (the benchmark passes the same through the environment). */
export function displayCommand(args) {
  return `intuned-gitops ${args.map((arg, index) => (args[index - 1] === '--dir' ? '<project>' : arg)).join(' ')}`;
}

/** Runs the CLI with the emulator counting only this run's requests. */
async function measured(bench, project, args, expectExit = 0) {
  await bench.emulator.stats(true);
  const run = await runCli({ args, env: { ...project.env, INTUNED_API_URL: bench.emulator.url }, expectExit });
  const server = await bench.emulator.stats(true);
  if (!run.report) throw new Error(`no --timings line from ${args.join(' ')}`);
  return { run, server, report: run.report };
}

export async function dryRun(bench, project, label) {
  const args = ['reconcile', '--dry-run', '--dir', project.dir, '--timings'];
  const { run, server, report } = await measured(bench, project, args);
  const stages = report.timings;
  const staged = Object.values(stages).reduce((total, ms) => total + ms, 0);
  const observeMs = stages.observe ?? 0;
  return {
    label,
    size: project.size,
    command: displayCommand(args),
    wallMs: run.wallMs,
    startupMs: bench.startupMs,
    setupMs: report.uptimeMs - staged,
    stages,
    afterReportMs: run.wallMs - report.uptimeMs,
    ownWorkMs: run.wallMs - observeMs,
    listCalls: sumRoutes(server.byRoute, LIST_ROUTES),
    requests: server.requests,
    byRoute: server.byRoute,
    peakRssBytes: report.peakRssBytes,
  };
}

/**
 * @param {{label: string, kind: 'create'|'update'|'delete', operations: number, concurrency: number, faults?: object, timeout?: string}} options
 */
export async function applyRun(bench, project, options) {
  const args = ['reconcile', '--dir', project.dir, '--concurrency', String(options.concurrency), ...(options.timeout ? ['--timeout', options.timeout] : []), '--timings'];
  if (options.faults) await bench.emulator.setFaults({ latencyMs: bench.config.latencyMs, ...options.faults });
  let result;
  try {
    result = await measured(bench, project, args);
  } finally {
    if (options.faults) await bench.emulator.setFaults({ latencyMs: bench.config.latencyMs });
  }
  const { run, server, report } = result;
  const { cap, operationDurationMs: durationMs, latencyMs } = bench.config;
  const shape = { operations: options.operations, concurrency: options.concurrency, cap, durationMs, latencyMs };
  const isDelete = options.kind === 'delete';
  const model = isDelete ? modelDeletes(shape) : await modelApply(shape);
  const idealMs = isDelete ? 0 : idealApplyMs(shape);
  const applyMs = report.timings.apply ?? 0;
  const counted = {
    starts: sumRoutes(server.byRoute, START_ROUTES),
    polls: sumRoutes(server.byRoute, POLL_ROUTES),
    deletes: sumRoutes(server.byRoute, DELETE_ROUTES),
    lists: sumRoutes(server.byRoute, LIST_ROUTES),
  };
  const expectedCalls = isDelete ? counted.deletes : counted.starts;
  const rateLimited = server.byStatus['429'] ?? 0;
  if (!options.faults && expectedCalls !== options.operations) {
    throw new Error(`${options.label}: expected ${options.operations} ${options.kind} calls, the emulator saw ${expectedCalls}`);
  }
  return {
    label: options.label,
    kind: options.kind,
    size: project.size,
    operations: options.operations,
    concurrency: options.concurrency,
    command: displayCommand(args),
    wallMs: run.wallMs,
    applyMs,
    beforeApplyMs: run.wallMs - applyMs,
    idealMs,
    modelMs: model.wallMs,
    modelPollsPerOperation: model.pollsPerOperation,
    ...counted,
    requests: server.requests,
    clientRequests: report.requests?.requests,
    clientRetries: report.requests?.retries,
    rateLimited,
    requestsPerSecond: server.requests / (run.wallMs / 1000),
    applyRequestsPerSecond: applyMs > 0 ? (server.requests - counted.lists) / (applyMs / 1000) : 0,
    peakPerSecond: server.peakPerSecond,
    byRoute: server.byRoute,
    byStatus: server.byStatus,
    peakRssBytes: report.peakRssBytes,
  };
}

/**
 * The naive way, as users do it today with a per-session "create and wait" command in a shell
 * loop: one process per session, each on a one-file directory with its own state, one after
 * the other. Spawning from here costs what a shell's fork+exec costs.
 */
export async function naiveLoop(bench, projects) {
  await bench.emulator.stats(true);
  const started = performance.now();
  for (const project of projects) {
    await runCli({ args: ['reconcile', '--dir', project.dir], env: { ...project.env, INTUNED_API_URL: bench.emulator.url } });
  }
  const wallMs = performance.now() - started;
  const server = await bench.emulator.stats(true);
  return {
    sessions: projects.length,
    wallMs,
    perSessionMs: wallMs / projects.length,
    starts: sumRoutes(server.byRoute, START_ROUTES),
    polls: sumRoutes(server.byRoute, POLL_ROUTES),
    lists: sumRoutes(server.byRoute, LIST_ROUTES),
    requests: server.requests,
    command: 'for dir in <one directory per session>; do intuned-gitops reconcile --dir "$dir"; done',
  };
}
