/**
 * What the numbers say: each target checked against its measurement, and where the time goes,
 * computed from the rows (no number in the prose is typed by hand).
 */
import { count, mib, ms, per, percent, ratio, table } from './format.mjs';

/** The targets of issue 6, each with its limit named once. */
export const TARGETS = {
  ownWorkMs: 1000,
  applyOverIdeal: 1.2,
  /** Jitter moves single polls; more than this over the schedule's count is a real excess. */
  pollsTolerance: 1.05,
  /** "Flat": ten times the sessions may cost at most this factor of peak RSS. */
  rssGrowthPerTenfold: 1.5,
};

const mark = (met) => (met ? '**met**' : '**not met**');

export function largest(results) {
  return results.sizes.at(-1);
}

export function smallest(results) {
  return results.sizes[0];
}

export function targetsSection(results) {
  const big = largest(results);
  const small = smallest(results);
  const dryRuns = [...results.sizes.flatMap((entry) => [entry.dryRunFresh, entry.dryRunInSync]), ...results.dryRunOnly];
  const ownWork = Math.max(big.dryRunFresh.ownWorkMs, big.dryRunInSync.ownWorkMs);
  const listCalls = [...new Set(dryRuns.map((row) => row.listCalls))];
  const overIdeal = big.creates.wallMs / big.creates.idealMs;
  const pollsMeasured = big.creates.polls / big.creates.operations;
  const pollsModel = big.creates.modelPollsPerOperation;
  const rssGrowth = growthPerTenfold(small.creates, big.creates);
  const biggestDryRun = results.dryRunOnly.at(-1) ?? big.dryRunFresh;
  const dryGrowth = growthPerTenfold(small.dryRunFresh, biggestDryRun);
  const storm = results.storm;
  const rates = [storm.randomLimit, storm.limiter].map((row) => row.requestsPerSecond);
  const rows = [
    [
      `dry-run of ${count(big.size)} files: the tool's own work (wall − API calls) under ${ms(TARGETS.ownWorkMs)}`,
      `${ms(big.dryRunFresh.ownWorkMs)} fresh, ${ms(big.dryRunInSync.ownWorkMs)} in sync`,
      mark(ownWork < TARGETS.ownWorkMs),
    ],
    [
      'dry-run: a constant number of list calls, not one per session',
      `${listCalls.join(', ')} at N = ${dryRuns.map((row) => count(row.size)).filter((v, i, a) => a.indexOf(v) === i).join(', ')}`,
      mark(listCalls.length === 1),
    ],
    [
      `apply of ${count(big.size)} creates within ${TARGETS.applyOverIdeal} × ceil(N/C)·D`,
      `${ms(big.creates.wallMs)} / ${ms(big.creates.idealMs)} = ${ratio(overIdeal)} (whole command)`,
      mark(overIdeal <= TARGETS.applyOverIdeal),
    ],
    [
      'polls per operation no more than the backoff schedule needs',
      `${per(pollsMeasured)} measured, ${per(pollsModel)} by the schedule (model)`,
      mark(pollsMeasured <= pollsModel * TARGETS.pollsTolerance),
    ],
    [
      `memory flat in N (peak RSS × at most ${TARGETS.rssGrowthPerTenfold} per 10× sessions)`,
      `apply N=${count(small.size)} → ${count(big.size)}: ${mib(small.creates.peakRssBytes)} → ${mib(big.creates.peakRssBytes)} (×${per(rssGrowth)} per 10×); ` +
        `dry-run N=${count(small.size)} → ${count(biggestDryRun.size)}: ${mib(small.dryRunFresh.peakRssBytes)} → ${mib(biggestDryRun.peakRssBytes)} (×${per(dryGrowth)} per 10×)`,
      mark(Math.max(rssGrowth, dryGrowth) <= TARGETS.rssGrowthPerTenfold),
    ],
    [
      'when the API answers 429, the total request rate falls',
      `${per(storm.baseline.requestsPerSecond, 1)} requests/s without; ${rates.map((rate) => per(rate, 1)).join(' and ')} with`,
      mark(rates.every((rate) => rate < storm.baseline.requestsPerSecond)),
    ],
  ];
  return `## Targets\n\n${table(['target', 'measured', 'verdict'], rows)}`;
}

export function whereTimeGoesSection(results) {
  const big = largest(results);
  const dry = big.dryRunInSync;
  const setup = dry.setupMs;
  const creates = big.creates;
  const lag = Math.max(0, creates.modelMs - creates.idealMs);
  const overhead = creates.applyMs - creates.modelMs;
  const over = big.createsOverCap;
  const naive = results.naive;
  const { cap, operationDurationMs: durationMs } = results.config;
  const naiveWaitMs = naive.modelWaitMs;
  const lines = [
    `**Dry-run of ${count(big.size)} files in sync** (${ms(dry.wallMs)}): starting node and loading the CLI's modules ` +
      `${ms(setup)} (${percent(setup, dry.wallMs)}; \`--version\` alone takes ${ms(results.startupMs)}), reading and checking the files ` +
      `${ms(dry.stages.load)} (${percent(dry.stages.load, dry.wallMs)}), fingerprints ${ms(dry.stages.fingerprint)}, the API calls ` +
      `${ms(dry.stages.observe)} (${percent(dry.stages.observe, dry.wallMs)}; ${dry.listCalls} list call with ${results.config.latencyMs} ms latency), ` +
      `planning ${ms(dry.stages.plan)}, rendering, printing and exiting ${ms(dry.afterReportMs)} (${percent(dry.afterReportMs, dry.wallMs)}).`,
    `**Apply of ${count(creates.operations)} creates at concurrency C = ${creates.concurrency}** (${ms(creates.wallMs)}): ` +
      `${ms(creates.idealMs)} (${percent(creates.idealMs, creates.wallMs)}) is the server's own work, ceil(N/C)·D; ` +
      `${ms(lag)} (${percent(lag, creates.wallMs)}) is noticing each end late, which the poll schedule predicts ` +
      `(a slot stays idle from an operation's end until the next poll sees it, then a start); ` +
      `${ms(overhead)} (${percent(Math.abs(overhead), creates.wallMs)}) is the client's own overhead beyond the model (state writes, HTTP, event loop); ` +
      `${ms(creates.beforeApplyMs)} (${percent(creates.beforeApplyMs, creates.wallMs)}) is everything before the apply (start, files, list, plan).`,
    `**At concurrency 2C = ${over.concurrency}** the server queues the extra starts, so a slot never waits for the client to notice an end: ` +
      `${ms(over.wallMs)} (${ratio(over.wallMs / over.idealMs)} the ideal) instead of ${ms(creates.wallMs)}, ` +
      `for ${per(over.polls / over.operations)} polls per operation instead of ${per(creates.polls / creates.operations)} (queued operations are polled while pending).`,
    `**The naive loop** costs ${ms(naive.perSessionMs)} per session, one after the other: ${ms(naiveWaitMs)} starting one operation of ${ms(durationMs)} ` +
      `and polling until its end is seen (model), and ${ms(naive.perSessionMs - naiveWaitMs)} starting a process, reading the file, listing the sessions and exiting. ` +
      `The tool overlaps C = ${cap} operations and pays the process start once.`,
  ];
  return `## Where the time goes\n\n${lines.map((line) => `- ${line}`).join('\n')}`;
}

/** Peak RSS factor per tenfold sessions between two runs of the same command. */
function growthPerTenfold(smaller, larger) {
  const decades = Math.log10(larger.size / smaller.size);
  return (larger.peakRssBytes / smaller.peakRssBytes) ** (1 / decades);
}
