/**
 * Live progress of an apply on stderr. On a terminal: a line per finished operation and one
 * status line redrawn in place. Elsewhere (CI logs): plain lines, one when an operation starts
 * and one when it ends, so a log reads top to bottom.
 */
import type { Output } from './io.js';
import type { ApplyEvent } from './engine/operation.js';
import { formatDuration } from './engine/duration.js';

const REDRAW_MS = 250;
const CLEAR_LINE = '\r\u001b[2K';

export interface Progress {
  /** How many operations the apply will run (known once planned). */
  expect(total: number): void;
  onEvent(event: ApplyEvent): void;
  stop(): void;
}

export function createProgress(output: Output, now: () => number = Date.now): Progress {
  let began = now();
  let total = 0;
  const running = new Map<string, string>();
  let finished = 0;
  let failed = 0;
  let statusShown = false;

  const statusLine = () => {
    const sample = [...running.entries()].slice(0, 3).map(([id, status]) => `${id} ${status}`).join(', ');
    const more = running.size > 3 ? `, +${running.size - 3}` : '';
    return `  ${finished}/${total} done${failed ? `, ${failed} failed` : ''} · ${running.size} running${sample ? ` (${sample}${more})` : ''} · ${formatDuration(now() - began)}`;
  };
  const redraw = () => {
    if (!output.interactive) return;
    output.err(`${CLEAR_LINE}${statusLine()}`);
    statusShown = true;
  };
  const print = (line: string) => {
    output.err(`${output.interactive && statusShown ? CLEAR_LINE : ''}${line}\n`);
    statusShown = false;
    redraw();
  };
  const timer = output.interactive ? setInterval(redraw, REDRAW_MS) : undefined;
  timer?.unref();

  return {
    expect(count) {
      total = count;
      began = now();
    },
    onEvent(event) {
      if (event.type === 'start') {
        running.set(event.entry.id, 'starting');
        if (!output.interactive) print(`  ${event.entry.action} ${event.entry.id}: started`);
      } else if (event.type === 'status') {
        running.set(event.entry.id, event.status);
      } else {
        const { result } = event;
        running.delete(result.entry.id);
        finished += 1;
        if (result.status === 'failed') failed += 1;
        const mark = result.status === 'succeeded' ? '✓' : result.status === 'skipped' ? '-' : '✗';
        const detail = result.status === 'succeeded' ? '' : `: ${result.message ?? result.status}${result.code ? ` (${result.code})` : ''}`;
        print(`${mark} ${result.entry.action} ${result.entry.id} ${result.status} in ${formatDuration(result.durationMs ?? 0)}${detail}`);
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      if (output.interactive && statusShown) output.err(CLEAR_LINE);
    },
  };
}
