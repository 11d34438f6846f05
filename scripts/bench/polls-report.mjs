/**
 * The sections of issue 14: the learned poll schedule (requests per created session and the
 * apply's time over the ideal at several operation durations, measured and modelled) and the
 * rate-limit sweep. A run of these sections alone (BENCH_ONLY=polls,rates) replaces them in an
 * existing BENCHMARKS.md.
 */
import { count, ms, per, ratio, table } from './format.mjs';

export const POLLS_HEADING = '## Polls learned from the run';

/** Said in a section written by a partial run, whose neighbours may be older. */
export function partialNote(results) {
  if (!results.only) return '';
  return ` in a run of the issue-14 sections alone (\`BENCH_ONLY=${[results.only].flat().join(',')} npm run bench\`); ` +
    'the other sections come from the last full run (dated at the top) or other partial runs (dated in their sections)';
}

/** The targets of issue 14, each named once. */
export const POLL_TARGETS = { requestsPerSession: 4, applyOverIdeal: 1.05 };

const mark = (met) => (met ? '**met**' : '**not met**');

export function pollsSection(results) {
  const rows = results.polls;
  const { config } = results;
  const body = rows.map((row) => {
    const requests = (row.starts + row.polls) / row.operations;
    const overIdeal = row.applyMs / row.idealMs;
    return [
      ms(row.durationMs),
      count(row.operations),
      String(row.cap),
      String(row.concurrency),
      ms(row.wallMs),
      ms(row.applyMs),
      ms(row.idealMs),
      `**${ratio(overIdeal)}** ${mark(overIdeal <= POLL_TARGETS.applyOverIdeal)}`,
      ratio(row.wallMs / row.idealMs),
      per(row.polls / row.operations),
      `**${per(requests)}** ${mark(requests <= POLL_TARGETS.requestsPerSession)}`,
      per(1 + row.modelPollsPerOperation),
      ratio(row.modelMs / row.idealMs),
    ];
  });
  const head = ['D', 'N', 'C', 'concurrency', 'wall', 'apply stage', 'ideal ceil(N/C)·D', 'apply / ideal', 'wall / ideal', 'polls / session', 'requests / session (start + polls)', 'model: requests / session', 'model: apply / ideal'];
  const waves = Math.ceil(config.pollSize / config.pollCap);
  const longest = Math.max(...config.pollDurationsMs);
  const loads = `load average (1 min) ${per(results.loadBefore)} at the start of the run, ${per(results.loadAfter)} at the end`;
  return [
    POLLS_HEADING,
    '',
    `Apply of N creates at concurrency 2C (the setting of issue 14) against an emulator in its own process running at most C operations at once ` +
      `(more wait \`pending\`), each taking D, ${config.latencyMs} ms added to every response; one emulator per D and a fresh project each. ` +
      `N and C give ceil(N/C) = ${waves} waves of D, so the D = ${ms(longest)} run takes ${ms(waves * longest)} rather than hours, and the first operations, which learn nothing yet, ` +
      'weigh as little as they would in a project of a few hundred sessions. Targets: at most ' +
      `${POLL_TARGETS.requestsPerSession} requests per created session and an apply stage within ${POLL_TARGETS.applyOverIdeal}× the ideal ` +
      '("wall" adds the process start, reading files and the list call). The model runs the CLI\'s own pool and poll code in virtual time against the emulator\'s slots ' +
      '(`scripts/bench/model.mjs`). Before the learned schedule (a poll every 10% of the time waited) the same apply cost 11.2 requests per session at D = 1 s ' +
      'and about 38 polls per 30 s operation (issue 14).',
    '',
    `Measured ${results.date}${partialNote(results)}; ` +
      `on a machine shared with other engineers' work (2 cores), so times carry noise; ${loads}.`,
    '',
    table(head, body),
  ].join('\n');
}

/** Replaces the section headed `heading` in `markdown` with `section`, or appends it. */
export function spliceSection(markdown, heading, section) {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line === heading);
  if (start < 0) return `${markdown.trimEnd()}\n\n${section}\n`;
  let end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  if (end < 0) end = lines.length;
  return [...lines.slice(0, start), ...section.split('\n'), ...(end < lines.length ? ['', ...lines.slice(end)] : [''])].join('\n');
}

export const RATES_HEADING = '## Rate limits used well';

/** The targets of issue 14 under a rate limit. */
export const RATE_TARGETS = { rateLimitedShare: 0.05, overBestFixed: 1.2 };

export function ratesSection(results) {
  const { rates, config } = results;
  const fixed = rates.rows.filter((row) => !row.adaptive && !row.failed);
  const best = fixed.reduce((a, b) => (!a || b.wallMs < a.wallMs ? b : a), undefined);
  const body = rates.rows.map((row) => {
    if (row.failed) return [row.adaptive ? 'adaptive' : 'fixed', String(row.concurrency), '**failed**', '–', '–', '–', '–', '–', '–', '–'];
    const share = row.rateLimited / row.requests;
    const overBest = best ? row.wallMs / best.wallMs : Number.NaN;
    return [
      row.adaptive ? '**adaptive**' : 'fixed',
      String(row.concurrency),
      row === best ? `**${ms(row.wallMs)}** (best fixed)` : ms(row.wallMs),
      ratio(row.wallMs / row.idealMs),
      row.adaptive ? `**${ratio(overBest)}** ${mark(overBest <= RATE_TARGETS.overBestFixed)}` : ratio(overBest),
      count(row.requests),
      count(row.rateLimited),
      row.adaptive ? `**${(share * 100).toFixed(1)}%** ${mark(share < RATE_TARGETS.rateLimitedShare)}` : `${(share * 100).toFixed(1)}%`,
      per(row.requestsPerSecond, 1),
      per((row.starts + row.polls) / row.operations),
    ];
  });
  const head = ['pace', 'concurrency', 'wall', 'wall / ideal', 'wall / best fixed', 'requests', 'answered 429', '429 share', 'requests/s', 'requests / session'];
  return [
    RATES_HEADING,
    '',
    `Apply of ${count(rates.size)} creates (D = ${ms(config.operationDurationMs)}, C = ${config.cap}) while the emulator admits ${rates.limit} requests per second ` +
      '(a one-second sliding window) and answers 429 with `Retry-After` beyond. "Fixed" runs turn the adaptive pace off (`INTUNED_GITOPS_FIXED_PACE=1`: ' +
      'requests go out as the pool makes them and only the retries wait), sweeping the concurrency to find the best; "adaptive" runs keep the default pace ' +
      '(`src/api/limiter.ts`: before the first 429 a slow start, a few requests in flight and more with each answer; after it one pace for all requests of the run, ' +
      'lowered by 429s, raised by answers, never above what the server admitted over the last second). A run that fails is one where a request was refused past its retries. ' +
      `Targets for the adaptive runs: under ${RATE_TARGETS.rateLimitedShare * 100}% of requests answered 429, no failed request, ` +
      `within ${RATE_TARGETS.overBestFixed}× the best fixed concurrency's wall time.`,
    '',
    `Measured ${results.date}${partialNote(results)}; on a machine shared with other engineers' work (2 cores), so times carry noise; ` +
      `load average (1 min) ${per(results.loadBefore)} at the start of the run, ${per(results.loadAfter)} at the end.`,
    '',
    table(head, body),
  ].join('\n');
}
