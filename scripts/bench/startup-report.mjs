/**
 * The start-up section of issue 14: `node -e 0`, `--version` and a dry-run in sync side by side,
 * and memory against N. A run of this section alone (BENCH_ONLY=startup) replaces it in an
 * existing BENCHMARKS.md.
 */
import { count, mib, ms, per, ratio, table } from './format.mjs';
import { partialNote } from './polls-report.mjs';

export const STARTUP_HEADING = '## Start-up and a dry-run in sync';

/** The targets of issue 14, each named once. */
export const STARTUP_TARGETS = { versionOverNode: 1.5, dryRunMs: 300, memoryPerTenfold: 1.5 };

const mark = (met) => (met ? '**met**' : '**not met**');

function dryRunCells(run) {
  const stages = Object.values(run.stages).reduce((total, value) => total + value, 0);
  return [ms(run.setupMs), ms(run.stages.load), ms(run.stages.state), ms(run.stages.fingerprint), ms(run.stages.observe), ms(run.stages.plan), ms(run.wallMs - stages - run.setupMs), mib(run.peakRssBytes)];
}

export function startupSection(results) {
  const { startup, config } = results;
  const [first, ...larger] = startup.rows;
  const versionOver = startup.version.medianMs / startup.node.medianMs;
  const dryOver = first.dryRun.medianMs / startup.node.medianMs;
  const dash = Array.from({ length: 8 }, () => '–');
  const body = [
    ['`node -e 0`', `**${ms(startup.node.medianMs)}**`, ms(startup.node.minMs), '1.00×', ...dash],
    ['`intuned-gitops --version`', `**${ms(startup.version.medianMs)}**`, ms(startup.version.minMs), `**${ratio(versionOver)}** ${mark(versionOver <= STARTUP_TARGETS.versionOverNode)}`, ...dash],
    [
      `dry-run, ${count(first.size)} files in sync`,
      `**${ms(first.dryRun.medianMs)}** ${mark(first.dryRun.medianMs <= STARTUP_TARGETS.dryRunMs)}`,
      ms(first.dryRun.minMs),
      ratio(dryOver),
      ...dryRunCells(first.dryRun),
    ],
    ...larger.map((row) => [`dry-run, ${count(row.size)} files in sync`, ms(row.dryRun.medianMs), ms(row.dryRun.minMs), ratio(row.dryRun.medianMs / startup.node.medianMs), ...dryRunCells(row.dryRun)]),
  ];
  const head = ['run', 'wall, median', 'fastest', '÷ `node -e 0`', 'node start + modules', 'load files', 'read state', 'fingerprint', 'API calls (observe)', 'plan', 'render, print, exit', 'peak RSS'];
  const memory = startup.rows.map((row, index) => {
    const previous = startup.rows[index - 1];
    const perTenfold = (now, before) => (previous ? ratio((now / before) ** (1 / Math.log10(row.size / previous.size))) : '–');
    return [
      count(row.size),
      mib(row.apply.peakRssBytes),
      previous ? perTenfold(row.apply.peakRssBytes, previous.apply.peakRssBytes) : '–',
      mib(row.dryRun.peakRssBytes),
      previous ? perTenfold(row.dryRun.peakRssBytes, previous.dryRun.peakRssBytes) : '–',
    ];
  });
  const loads = `load average (1 min) ${per(results.loadBefore)} at the start of the run, ${per(results.loadAfter)} at the end`;
  return [
    STARTUP_HEADING,
    '',
    `A bare \`node -e 0\`, \`intuned-gitops --version\` and \`intuned-gitops reconcile --dry-run --dir <project> --timings\` on ${count(first.size)} files in sync, ` +
      `one of each in turn, ${startup.rounds} times, so that load from elsewhere on the machine falls on all three alike; larger projects are dry-run fewer times. ` +
      `The emulator adds ${config.latencyMs} ms to every response (the dry-run makes one list call). A project is brought in sync by an apply of all its creates ` +
      `(concurrency ${100}, operations of ${ms(config.startupOperationMs)}). "node start + modules" is the CLI's uptime minus its stages, the rest of the wall time comes after its report. ` +
      `Targets: \`--version\` within ${STARTUP_TARGETS.versionOverNode}× \`node -e 0\`; the dry-run of ${count(first.size)} files in sync within ${ms(STARTUP_TARGETS.dryRunMs)}; ` +
      `peak memory at most ×${STARTUP_TARGETS.memoryPerTenfold} per tenfold N.`,
    '',
    `Measured ${results.date}${partialNote(results)}; on a machine shared with other engineers' work (2 cores), so times carry noise; ${loads}.`,
    '',
    table(head, body),
    '',
    table(['N', 'apply of N creates: peak RSS', 'per 10× N', 'dry-run in sync: peak RSS', 'per 10× N'], memory),
  ].join('\n');
}
