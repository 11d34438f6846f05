/**
 * The poll schedule's decisions, in virtual time: when each poll goes out, from what the
 * operation's own polls saw and what the run's ended operations taught. Nothing here waits
 * for real time; "slower" and "late" are read off the virtual clock.
 */
import { describe, expect, it } from 'vitest';
import { intunedPort } from '../../src/api/port.js';
import { apply } from '../../src/engine/apply.js';
import { plan } from '../../src/engine/plan.js';
import { pollOperation } from '../../src/engine/poll.js';
import { newHistory, notePoll, OperationTimes, planPoll, type PollHistory } from '../../src/engine/poll-schedule.js';
import { StateStore } from '../../src/state/store.js';
import { emptyState, type StateBackend } from '../../src/state/types.js';
import type { OperationResult } from '../../src/api/types.js';
import { fingerprintOf, KEY } from './builders.js';
import { desired } from '../helpers/sessions.js';
import { VirtualClock } from '../helpers/virtual-clock.js';
import { SlotApi } from './virtual-time.js';

const T0 = 1_000_000;
/** Draws in the middle of their range: no jitter, the probe half way into its window. */
const middle = () => 0.5;

function history(overrides: Partial<PollHistory> = {}): PollHistory {
  return { ...newHistory(T0, middle), ...overrides };
}

describe('the poll schedule before anything has ended', () => {
  it('has a few scouts poll closely, at a quarter of the time waited, and the others wait longer', () => {
    const times = new OperationTimes();
    const histories = Array.from({ length: 5 }, () => history());
    for (const each of histories) times.enlist(each);
    expect(histories.map((each) => each.scout)).toEqual([true, true, true, false, false]);
    expect(planPoll(histories[0]!, undefined).at - T0).toBe(500);
    expect(planPoll({ ...histories[0]!, lastPollAt: T0 + 8_000 }, undefined).at - T0).toBe(10_000);
    expect(planPoll(histories[4]!, undefined).at - T0).toBe(4_000);
    expect(planPoll({ ...histories[4]!, lastPollAt: T0 + 4_000 }, undefined).at - T0).toBe(16_000);
  });

  it('never waits more than a minute between polls', () => {
    expect(planPoll(history({ lastPollAt: T0 + 600_000 }), undefined).at - (T0 + 600_000)).toBe(60_000);
  });
});

describe('the poll schedule with an estimate', () => {
  const estimate = { totalMs: 20_000, runMs: undefined };

  it('polls first near the end the run expects, a little before it', () => {
    // early = 0.5: 7.5% before the expected 20 s.
    expect(planPoll(history(), estimate)).toEqual({ kind: 'probe', at: T0 + 18_500 });
  });

  it('after that poll, backs off in short steps that double up to a fifth of the expected time', () => {
    const h = history();
    let plan = planPoll(h, estimate);
    const waits: number[] = [];
    for (let poll = 0; poll < 6; poll += 1) {
      notePoll(h, plan, plan.at, 'in_progress', middle);
      plan = planPoll(h, estimate);
      waits.push(plan.at - h.lastPollAt);
    }
    expect(plan.kind).toBe('late');
    expect(waits).toEqual([1_000, 2_000, 4_000, 4_000, 4_000, 4_000]);
  });

  it('keeps a queued operation waiting at least a run after it was last seen queued', () => {
    const h = history();
    const run = { totalMs: 20_000, runMs: 8_000 };
    const plan = planPoll(h, run);
    notePoll(h, plan, plan.at, 'pending', middle);
    expect(planPoll(h, run)).toEqual({ kind: 'probe', at: plan.at + 7_400 });
    notePoll(h, planPoll(h, run), plan.at + 7_400, 'in_progress', middle);
    // Seen running at last: about a run from there, not a short backoff.
    expect(planPoll(h, run)).toEqual({ kind: 'probe', at: plan.at + 7_400 + 7_400 });
  });

  it('waits no more than a minute for an expected end farther away', () => {
    expect(planPoll(history(), { totalMs: 600_000, runMs: undefined }).at - T0).toBe(60_000);
  });
});

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
async function createAll(options: { sessions: number; slots: number; concurrency: number; durationMs: number; latencyMs?: number }) {
  const clock = new VirtualClock();
  const api = new SlotApi(clock, { slots: options.slots, durationMs: () => options.durationMs, latencyMs: options.latencyMs ?? 20 });
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
  it.each([
    { durationMs: 1_000, requests: 4, overIdeal: 1.05 },
    { durationMs: 10_000, requests: 4, overIdeal: 1.05 },
    // The first 50 operations learn nothing before a minute has passed: a few more polls.
    { durationMs: 60_000, requests: 4.5, overIdeal: 1.06 },
  ])('of $durationMs ms each costs at most $requests requests per session, within $overIdeal× the ideal', async ({ durationMs, requests, overIdeal }) => {
    const run = await createAll({ sessions: 300, slots: 25, concurrency: 50, durationMs });
    expect(run.created).toBe(300);
    expect(run.requestsPerSession).toBeLessThanOrEqual(requests);
    expect(run.overIdeal).toBeLessThanOrEqual(overIdeal);
  });

  it('at concurrency 25 (= the server\'s cap), stays within 1.1× the ideal for 4 requests per session or fewer', async () => {
    const run = await createAll({ sessions: 300, slots: 25, concurrency: 25, durationMs: 10_000 });
    expect(run.requestsPerSession).toBeLessThanOrEqual(4);
    expect(run.overIdeal).toBeLessThanOrEqual(1.1);
  });
});
