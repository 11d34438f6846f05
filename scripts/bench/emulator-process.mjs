#!/usr/bin/env node
/**
 * The Intuned API emulator in a process of its own, so that its work (and its memory) never
 * counts as the CLI's, and both get a core. Options come as JSON in argv[2] (EmulatorOptions
 * without functions). It counts every answered request by route template, status and second.
 *
 * A `randomSeed` option seeds the fault draws (a function cannot travel as JSON).
 *
 * Under fork() (IPC): sends `{type: 'ready', url}`, then answers `{id, type}` messages:
 * `stats` (with `reset: true` to start new counts), `faults` (setFaults) and `close`.
 * Run by hand (`node scripts/bench/emulator-process.mjs '{"operationDurationMs":2000}'`), it
 * prints its URL and, when stopped with Ctrl-C, its counts.
 */
import { startEmulator } from '../../build/emulator/index.js';
import { seededRandom } from './random.mjs';

/** The client's route templates (src/api/routes.ts), recognised from a path after the project. */
const ROUTES = [
  [/^\/auth-sessions$/, '/auth-sessions'],
  [/^\/auth-sessions\/create$/, '/auth-sessions/create'],
  [/^\/auth-sessions\/create\/[^/]+\/result$/, '/auth-sessions/create/{op}/result'],
  [/^\/auth-sessions\/[^/]+\/update$/, '/auth-sessions/{id}/update'],
  [/^\/auth-sessions\/[^/]+\/update\/[^/]+\/result$/, '/auth-sessions/{id}/update/{op}/result'],
  [/^\/auth-sessions\/[^/]+$/, '/auth-sessions/{id}'],
  [/^\/jobs$/, '/jobs'],
  [/^\/jobs\/[^/]+\/runs$/, '/jobs/{id}/runs'],
];

function routeOf(method, path) {
  const rest = path.replace(/^\/[^/]+\/projects\/[^/]+/, '');
  const match = ROUTES.find(([pattern]) => pattern.test(rest));
  return `${method} ${match ? match[1] : rest}`;
}

function freshCounts() {
  return { startedAt: Date.now(), requests: 0, byRoute: {}, byStatus: {}, bySecond: {} };
}

let counts = freshCounts();
const bump = (table, key) => {
  table[key] = (table[key] ?? 0) + 1;
};

function record(event) {
  counts.requests += 1;
  bump(counts.byRoute, routeOf(event.method, event.path));
  bump(counts.byStatus, String(event.status));
  bump(counts.bySecond, String(Math.floor((Date.now() - counts.startedAt) / 1000)));
}

function snapshot() {
  const seconds = Object.values(counts.bySecond);
  return {
    requests: counts.requests,
    byRoute: counts.byRoute,
    byStatus: counts.byStatus,
    windowMs: Date.now() - counts.startedAt,
    peakPerSecond: seconds.length > 0 ? Math.max(...seconds) : 0,
    rssBytes: process.memoryUsage().rss,
  };
}

const { randomSeed, ...options } = JSON.parse(process.argv[2] ?? '{}');
const emulator = await startEmulator({
  ...options,
  ...(randomSeed !== undefined ? { random: seededRandom(randomSeed) } : {}),
  logRequests: false,
  onRequest: record,
});

let closing;
const closeOnce = () => (closing ??= emulator.close());

async function handle(message) {
  if (message.type === 'stats') {
    const stats = snapshot();
    if (message.reset) counts = freshCounts();
    return stats;
  }
  if (message.type === 'faults') {
    emulator.setFaults(message.faults ?? undefined);
    return {};
  }
  if (message.type === 'close') {
    await closeOnce();
    return snapshot();
  }
  throw new Error(`unknown message ${message.type}`);
}

if (process.send) {
  // A benchmark that dies must not leave its emulator serving.
  process.on('disconnect', () => void closeOnce().then(() => process.exit(0)));
  process.on('message', (message) => {
    handle(message).then(
      (result) => {
        process.send({ id: message.id, result });
        if (message.type === 'close') process.disconnect();
      },
      (error) => process.send({ id: message.id, error: String(error) }),
    );
  });
  process.send({ type: 'ready', url: emulator.url });
} else {
  process.stdout.write(`${emulator.url}\n`);
  process.once('SIGINT', async () => {
    const stats = await handle({ type: 'close' });
    process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
    process.exit(0);
  });
}
