/**
 * Polling in virtual time: pollers of one run waking each other, and whole applies against a
 * server of C slots, counted in requests and in time over the ideal. The schedule's decisions
 * one operation at a time are in poll-schedule.test.ts. Nothing here waits for real time;
 * "slower" and "late" are read off the virtual clock.
 */
import { describe, expect, it } from 'vitest';
import { intunedPort } from '../../src/api/port.js';
import { apply } from '../../src/engine/apply.js';
import { plan } from '../../src/engine/plan.js';
import { pollOperation } from '../../src/engine/poll.js';
import { OperationTimes } from '../../src/engine/poll-schedule.js';
import { StateStore } from '../../src/state/store.js';
import { emptyState, type StateBackend } from '../../src/state/types.js';
import type { OperationResult } from '../../src/api/types.js';
import { fingerprintOf, KEY } from './builders.js';
import { desired } from '../helpers/sessions.js';
import { VirtualClock } from '../helpers/virtual-clock.js';
import { SlotApi } from './virtual-time.js';

const T0 = 1_000_000;

describe('what the run learns', () => {
  it('wakes a sleeping poller when another operation ends, and it polls at once if its expected end has passed', async () => {
    const clock = new VirtualClock(T0);
    const times = new OperationTimes();
    const sent: Array<{ who: string; at: number }> = [];
    const endsAt = T0 + 1_000;
    const poller = (who: string) =>
      pollOperation({
        fetch: async (): Promise<OperationResult> => {
          sent.push({ who, at: clock.now() - T0 });
          return clock.now() >= endsAt ? { status: 'done' } : { status: 'in_progress' };
        },
        answer: async () => {},
        deadline: T0 + 600_000,
        clock,
        times,
      });
    const all = clock.run(Promise.all(['a', 'b', 'c', 'd', 'e'].map(poller)));
    await all;
    // a, b and c scout; d and e would wait 4 s, but wake when the first scout sees done.
    const firstDone = Math.min(...sent.filter((poll) => poll.at >= 1_000).map((poll) => poll.at));
    for (const who of ['d', 'e']) {
      const theirs = sent.filter((poll) => poll.who === who);
      expect(theirs).toEqual([{ who, at: firstDone }]);
    }
  });
});

const nullBackend: StateBackend = { description: 'none', read: async () => undefined, write: async () => {} };

/** Creates `sessions` sessions against a server of `slots` slots, in virtual time. */
async function createAll(options: { sessions: number; slots: number; concurrency: number; durationMs: number; latencyMs?: number; pendingShareOfRun?: number }) {
  const clock = new VirtualClock();
  const api = new SlotApi(clock, { slots: options.slots, durationMs: () => options.durationMs, latencyMs: options.latencyMs ?? 20, pendingShareOfRun: options.pendingShareOfRun ?? 0 });
  const files = Array.from({ length: options.sessions }, (_, index) => desired(`session-${index}`));
  const state = emptyState({ workspaceId: 'ws', project: 'proj', keyId: KEY.id });
  const fingerprints = new Map(files.map((file) => [file.id, fingerprintOf(file)]));
  const thePlan = plan({ desired: files, remote: [], state, fingerprints, keyMatches: true, inUse: new Map(), pendingResults: new Map() }, { force: false });
  const began = clock.now();
  const result = await clock.run(apply(thePlan, { api: intunedPort(api), store: new StateStore(nullBackend, state), fingerprints, clock, concurrency: options.concurrency, timeoutMs: 3_600_000 }));
  const idealMs = Math.ceil(options.sessions / options.slots) * options.durationMs;
  return {
    created: result.summary.created,
    requestsPerSession: (api.requests.starts + api.requests.polls) / options.sessions,
    overIdeal: (clock.now() - began) / idealMs,
  };
}

describe('an apply of 300 creates on a server running 25 at once, at concurrency 50', () => {
  it.each([1_000, 10_000, 60_000])('of %i ms each costs at most 4 requests per session, within 1.05× the ideal', async (durationMs) => {
    const run = await createAll({ sessions: 300, slots: 25, concurrency: 50, durationMs });
    expect(run.created).toBe(300);
    expect(run.requestsPerSession).toBeLessThanOrEqual(4);
    expect(run.overIdeal).toBeLessThanOrEqual(1.05);
  });

  it.each([1_000, 60_000])('of %i ms each, whose runs show pending for their first fifth as the emulator\'s do, likewise', async (durationMs) => {
    const run = await createAll({ sessions: 300, slots: 25, concurrency: 50, durationMs, pendingShareOfRun: 0.2 });
    expect(run.requestsPerSession).toBeLessThanOrEqual(4);
    expect(run.overIdeal).toBeLessThanOrEqual(1.05);
  });
});

describe('an apply of 300 creates at concurrency 25, the server\'s cap', () => {
  it.each([
    { shown: 'never pending', pendingShareOfRun: 0 },
    { shown: 'pending for the first fifth of each run', pendingShareOfRun: 0.2 },
  ])('of 10 s each, $shown, stays within 1.1× the ideal for 4 requests per session or fewer', async ({ pendingShareOfRun }) => {
    // A run seen pending, then running at the probe, has run since its start: nothing queues.
    const run = await createAll({ sessions: 300, slots: 25, concurrency: 25, durationMs: 10_000, pendingShareOfRun });
    expect(run.requestsPerSession).toBeLessThanOrEqual(4);
    expect(run.overIdeal).toBeLessThanOrEqual(1.1);
  });
});
