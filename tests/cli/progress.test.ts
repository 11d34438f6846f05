import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bufferOutput } from '../../src/front-end/io.js';
import { createProgress, pausingFor } from '../../src/front-end/progress.js';
import { createEntry, resumeEntry, updateEntry } from '../helpers/plan-builders.js';

const acme = createEntry('acme');
const beta = updateEntry('beta');

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('progress in a log', () => {
  it('says a resumed operation is waited for, not started', () => {
    const output = bufferOutput(false);
    const progress = createProgress(output);
    progress.expect(2);
    progress.onEvent({ type: 'start', entry: resumeEntry('acme', 'create', 'op-1') });
    progress.onEvent({ type: 'start', entry: beta });
    progress.stop();
    expect(output.stderr).toBe('  create acme: waiting for the create an earlier run started\n  update beta: started\n');
  });
});

describe('live progress on a terminal', () => {
  it('writes nothing while a one-time-code prompt is open, then prints what finished meanwhile', async () => {
    const output = bufferOutput(true);
    const progress = createProgress(output);
    progress.expect(2);
    progress.onEvent({ type: 'start', entry: acme });
    progress.onEvent({ type: 'start', entry: beta });
    vi.advanceTimersByTime(300);

    let answer!: (code: string) => void;
    const ask = pausingFor(progress, () => new Promise<string>((resolve) => (answer = resolve)));
    const asked = ask();
    output.err('acme: Intuned asks: enter the code\n  one-time code: ');
    const prompted = output.stderr;
    vi.advanceTimersByTime(2_000);
    progress.onEvent({ type: 'end', result: { entry: beta, status: 'succeeded', durationMs: 1200 } });
    expect(output.stderr).toBe(prompted);

    answer('123456');
    expect(await asked).toBe('123456');
    expect(output.stderr.slice(prompted.length)).toMatch(/^✓ update beta succeeded in 1\.2s\n/);
    progress.stop();
  });

  it('draws no status line before the plan is known', () => {
    const output = bufferOutput(true);
    const progress = createProgress(output);
    vi.advanceTimersByTime(1_000);
    expect(output.stderr).toBe('');
    progress.stop();
  });

  it('says running and queued, not the API words', () => {
    const output = bufferOutput(true);
    const progress = createProgress(output);
    progress.expect(2);
    progress.onEvent({ type: 'status', entry: acme, status: 'in_progress' });
    progress.onEvent({ type: 'status', entry: beta, status: 'pending' });
    vi.advanceTimersByTime(300);
    expect(output.stderr).toContain('acme running, beta queued');
    expect(output.stderr).not.toMatch(/in_progress|pending/);
    progress.stop();
  });
});
