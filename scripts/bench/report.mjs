/** BENCHMARKS.md from the results of run.mjs: the setup, a table per scenario, the findings. */
import os from 'node:os';
import { count, mib, ms, per, ratio, table } from './format.mjs';
import { targetsSection, whereTimeGoesSection } from './findings.mjs';
import { pollsSection, ratesSection } from './polls-report.mjs';
import { startupSection } from './startup-report.mjs';

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
  };
}

export function renderReport(results) {
  return [
    header(results),
    targetsSection(results),
    dryRunSection(results),
    applySection(results),
    requestsSection(results),
    naiveSection(results),
    stormSection(results),
    whereTimeGoesSection(results),
    ...(results.startup ? [startupSection(results)] : []),
    ...(results.polls ? [pollsSection(results)] : []),
    ...(results.rates ? [ratesSection(results)] : []),
  ].join('\n\n') + '\n';
}

function header(results) {
  const { machine: m, config } = results;
  const command = results.quick ? 'BENCH_QUICK=1 npm run bench' : 'npm run bench';
  return [
    '# Benchmarks: plan and apply at scale',
    '',
    `Written by \`scripts/bench/run.mjs\`; do not edit by hand.${results.quick ? ' **Smoke run (BENCH_QUICK=1): small numbers, not results.**' : ''}`,
    '',
    `- **Command**: \`${command}\` (\`npm run build && node scripts/bench/run.mjs\`), ${results.date}, ${ms(results.totalMs)} in all.`,
    `- **Machine**: ${m.cpu}, ${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB memory, Node ${m.node}, ${m.os}; ` +
      `load average (1 min) ${per(results.loadBefore)} at the start, ${per(results.loadAfter)} at the end (other work on the machine shows up as noise).`,
    `- **API**: the emulator (\`scripts/bench/emulator-process.mjs\`) in a process of its own: ${config.latencyMs} ms added to every response, ` +
      `operations (create, update) that take D = ${ms(config.operationDurationMs)}, at most C = ${config.cap} running at once per project (more wait \`pending\` in a FIFO queue).`,
    '- **CLI**: the built CLI as users run it, `node bin/intuned-gitops.js …`, one process per command, with the hidden `--timings` flag ' +
      '(stage times, request counts, peak RSS on stderr), the default text output, a `file:` state.',
    '- **Projects**: N generated files `intuned-resources/auth-sessions/bench-<i>.auth-session.json` holding ' +
      '`{ "parameters": { "username": "user-<i>", "password": "${env:BENCH_PASSWORD_<i % 10>}" } }`. ' +
      '10% updates: the value of `BENCH_PASSWORD_0` changes (a rotated shared secret); 10% deletes: every tenth file is removed.',
  ].join('\n');
}

function dryRunSection(results) {
  const rows = [...results.sizes.flatMap((entry) => [entry.dryRunFresh, entry.dryRunInSync]), ...results.dryRunOnly]
    .sort((a, b) => a.size - b.size)
    .map((row) => [
      count(row.size),
      row.label,
      ms(row.wallMs),
      ms(row.setupMs),
      ms(row.stages.load),
      ms(row.stages.state),
      ms(row.stages.fingerprint),
      ms(row.stages.observe),
      ms(row.stages.plan),
      ms(row.afterReportMs),
      `**${ms(row.ownWorkMs)}**`,
      count(row.listCalls),
      mib(row.peakRssBytes),
    ]);
  const head = ['N', 'remote state', 'wall', 'node start + modules', 'load files', 'read state', 'fingerprint', 'API calls (observe)', 'plan', 'render, print, exit', "tool's own work (wall − API)", 'list calls', 'peak RSS'];
  return [
    '## Dry-run',
    '',
    `\`intuned-gitops reconcile --dry-run --dir <project> --timings\`. Process start alone (\`intuned-gitops --version\`, median of ${results.config.startupSamples}): **${ms(results.startupMs)}**. ` +
      '"node start + modules" is the CLI\'s uptime minus its stages; "render, print, exit" is the wall time after its report.',
    '',
    table(head, rows),
  ].join('\n');
}

function applyRows(results) {
  return results.sizes.flatMap((entry) => [entry.creates, entry.createsOverCap, entry.updates, entry.deletes]);
}

function applySection(results) {
  const { cap } = results.config;
  const rows = applyRows(results).map((row) => [
    count(row.size),
    row.label,
    count(row.operations),
    `${row.concurrency}${row.concurrency === cap ? ' (= C)' : row.concurrency > cap ? ` (${row.concurrency / cap}C)` : ''}`,
    `**${ms(row.wallMs)}**`,
    ms(row.applyMs),
    row.idealMs ? ms(row.idealMs) : '–',
    row.idealMs ? `**${ratio(row.wallMs / row.idealMs)}**` : '–',
    ms(row.modelMs),
    row.modelMs >= 1000 ? ratio(row.applyMs / row.modelMs) : '–',
    mib(row.peakRssBytes),
  ]);
  const head = ['N', 'change', 'operations', 'concurrency', 'wall', 'apply stage', 'ideal ceil(ops/C)·D', 'wall / ideal', 'model', 'apply / model', 'peak RSS'];
  return [
    '## Apply',
    '',
    '`intuned-gitops reconcile --dir <project> --concurrency <K> --timings`. The ideal keeps every server slot busy all the time. ' +
      "The model (`scripts/bench/model.mjs`) runs the CLI's pool and poll schedule (`src/engine/poll.ts`, with jitter) against the emulator's slots " +
      'with the request latency and nothing else, so "apply / model" above 1 is the client\'s own overhead. Deletes answer at once: their ideal is ~0.',
    '',
    table(head, rows),
  ].join('\n');
}

function requestsSection(results) {
  const rows = applyRows(results).map((row) => {
    const perOp = (value) => per(value / Math.max(1, row.operations));
    return [
      count(row.size),
      row.label,
      String(row.concurrency),
      row.kind === 'delete' ? perOp(row.deletes) : perOp(row.starts),
      perOp(row.polls),
      row.kind === 'delete' ? '0' : per(row.modelPollsPerOperation),
      count(row.lists),
      count(row.requests),
      per(row.requests / Math.max(1, row.size)),
      per(row.applyRequestsPerSecond, 1),
    ];
  });
  const head = ['N', 'change', 'concurrency', 'starts (or deletes) / op', 'polls / op', 'polls / op, schedule', 'list calls', 'requests', 'requests / session in project', 'requests/s during apply'];
  return [
    '## HTTP requests',
    '',
    `Counted by the emulator for each run. "Schedule" is what the poll schedule needs (model above); one operation of ${ms(results.config.operationDurationMs)} ` +
      `alone (nothing queued, nothing learned yet) needs ${per(results.singleOperationPolls, 1)} polls. List calls are the session list, the job list and one run list per job ` +
      '(jobs only when something is to be deleted).',
    '',
    table(head, rows),
  ].join('\n');
}

function naiveSection(results) {
  const { naive, config } = results;
  const rows = results.sizes.map((entry) => {
    const measured = entry.size === naive.sessions;
    const naiveMs = measured ? naive.wallMs : naive.perSessionMs * entry.size;
    return [
      count(entry.size),
      measured ? `**${ms(naiveMs)}** (measured)` : `${ms(naiveMs)} (extrapolated: ${count(entry.size)} × ${ms(naive.perSessionMs)}, measured at N = ${count(naive.sessions)})`,
      ms(entry.creates.wallMs),
      `**${ratio(naiveMs / entry.creates.wallMs)}**`,
      ms(entry.createsOverCap.wallMs),
      ratio(naiveMs / entry.createsOverCap.wallMs),
    ];
  });
  const head = ['N creates', 'naive: one session at a time', `intuned-gitops, concurrency ${config.cap}`, 'speed-up', `concurrency ${2 * config.cap}`, 'speed-up'];
  return [
    '## Naive apply: one session at a time',
    '',
    'What users do today without this tool: a shell loop over a per-session "create and wait" command ' +
      '(like `intuned platform authsessions create <id> --input @file --wait`). Measured as exactly that, with this CLI: ' +
      `\`${naive.command}\`, each directory holding one file and its own state, so each iteration is a process start, a list call, one create and its polls. ` +
      `${count(naive.sessions)} sessions took ${ms(naive.wallMs)} (${ms(naive.perSessionMs)} each, ${per(naive.polls / naive.sessions)} polls each); larger N are extrapolated linearly, since nothing overlaps.`,
    '',
    table(head, rows),
  ].join('\n');
}

function stormSection(results) {
  const { storm } = results;
  const rows = [storm.baseline, storm.randomLimit, storm.limiter].map((row, index) => [
    index === 0 ? 'none' : row.label,
    ms(row.wallMs),
    count(row.requests),
    count(row.rateLimited),
    count(row.clientRetries),
    `**${per(row.requestsPerSecond, 1)}**`,
    count(row.peakPerSecond),
    per(row.polls / row.operations),
  ]);
  return [
    '## Rate limiting: no request storm',
    '',
    `Apply of ${count(storm.baseline.operations)} creates at concurrency ${storm.baseline.concurrency} while the emulator answers 429 with \`Retry-After\`. ` +
      'Requests/s counts every request the emulator answered (429s included) over the command\'s wall time; the client waits `Retry-After` (plus up to 1 s of jitter) before a retry.',
    '',
    table(['429s', 'wall', 'requests', 'answered 429', 'client retries', 'requests/s', 'most in one second', 'polls / op'], rows),
  ].join('\n');
}
