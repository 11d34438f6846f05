/**
 * Live progress of an apply on stderr. On a terminal: a line per finished operation and one
 * status line redrawn in place. Elsewhere (CI logs): plain lines, one when an operation starts
 * and one when it ends, so a log reads top to bottom.
 */
import type { Output } from './io.js';
import type { ApplyEvent } from '../engine/operation.js';
import { entryKey, isResume, isWaitThenUpdate, type PlanEntry } from '../engine/types.js';
import { formatDuration } from '../engine/duration.js';
import { statusWord } from '../engine/reasons.js';
import { resourceName } from '../render/describe.js';

const REDRAW_MS = 250;
const CLEAR_LINE = '\r\u001b[2K';

export interface Progress {
  /** How many operations the apply will run (known once planned). */
  /** `holdsJobs`: the plan holds jobs, so lines name each resource's kind. */
  expect(total: number, holdsJobs?: boolean): void;
  onEvent(event: ApplyEvent): void;
  /**
   * Holds the terminal for a prompt: the status line is cleared and not redrawn, and finished
   * operations are printed only once `resume` is called, so nothing overwrites what is asked.
   */
  pause(): void;
  resume(): void;
  stop(): void;
}

/** Runs `ask` with the progress paused: a one-time-code prompt stays readable while typed into. */
export function pausingFor<A extends unknown[], R>(progress: Progress, ask: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    progress.pause();
    try {
      return await ask(...args);
    } finally {
      progress.resume();
    }
  };
}

/** An operation an earlier run started is waited for, not started again: say so. */
function startPhrase(entry: PlanEntry): string {
  if (isResume(entry)) return `waiting for the ${entry.action} an earlier run started`;
  if (isWaitThenUpdate(entry)) return 'waiting for the operation an earlier run started, then starting';
  return 'started';
}

export function createProgress(output: Output, now: () => number = Date.now): Progress {
  let began = now();
  let total = 0;
  const running = new Map<string, { shown: string; status: string }>();
  // Where a plan holds jobs, every line names the kind (`job nightly-orders`).
  let mixed = false;
  const name = (entry: PlanEntry) => resourceName(entry, mixed);
  let finished = 0;
  let failed = 0;
  let statusShown = false;
  // Nothing is drawn before the plan is known (expect), nor while a prompt holds the terminal.
  let expecting = false;
  let pauses = 0;
  const held: string[] = [];

  const statusLine = () => {
    const sample = [...running.values()].slice(0, 3).map(({ shown, status }) => `${shown} ${status}`).join(', ');
    const more = running.size > 3 ? `, +${running.size - 3}` : '';
    return `  ${finished}/${total} done${failed ? `, ${failed} failed` : ''} · ${running.size} started${sample ? ` (${sample}${more})` : ''} · ${formatDuration(now() - began)}`;
  };
  const redraw = () => {
    if (!output.interactive || !expecting || pauses > 0) return;
    output.err(`${CLEAR_LINE}${statusLine()}`);
    statusShown = true;
  };
  const print = (line: string) => {
    if (pauses > 0) {
      held.push(line);
      return;
    }
    output.err(`${output.interactive && statusShown ? CLEAR_LINE : ''}${line}\n`);
    statusShown = false;
    redraw();
  };
  const timer = output.interactive ? setInterval(redraw, REDRAW_MS) : undefined;
  timer?.unref();

  return {
    expect(count, holdsJobs = false) {
      total = count;
      mixed = holdsJobs;
      began = now();
      expecting = true;
    },
    onEvent(event) {
      if (event.type === 'start') {
        const { entry } = event;
        running.set(entryKey(entry), { shown: name(entry), status: isResume(entry) || isWaitThenUpdate(entry) ? 'waiting' : 'starting' });
        if (!output.interactive) print(`  ${entry.action} ${name(entry)}: ${startPhrase(entry)}`);
      } else if (event.type === 'status') {
        running.set(entryKey(event.entry), { shown: name(event.entry), status: statusWord(event.status) });
      } else {
        const { result } = event;
        running.delete(entryKey(result.entry));
        finished += 1;
        if (result.status === 'failed') failed += 1;
        const mark = result.status === 'succeeded' ? '✓' : result.status === 'skipped' ? '-' : '✗';
        const detail = result.status === 'succeeded' ? '' : `: ${result.message ?? result.status}${result.code ? ` (${result.code})` : ''}`;
        // A change skipped before it was sent took no time worth saying.
        const took = result.status === 'skipped' ? '' : ` in ${formatDuration(result.durationMs ?? 0)}`;
        print(`${mark} ${result.entry.action} ${name(result.entry)} ${result.status}${took}${detail}`);
      }
    },
    pause() {
      pauses += 1;
      if (output.interactive && statusShown) output.err(CLEAR_LINE);
      statusShown = false;
    },
    resume() {
      pauses = Math.max(0, pauses - 1);
      if (pauses > 0) return;
      for (const line of held.splice(0)) print(line);
      redraw();
    },
    stop() {
      pauses = 0;
      for (const line of held.splice(0)) print(line);
      if (timer) clearInterval(timer);
      if (output.interactive && statusShown) output.err(CLEAR_LINE);
    },
  };
}
