/**
 * Virtual time for engine tests that run many operations at once: a clock whose sleeps end in
 * time order (fakeClock in fake-api.ts adds each sleep to one shared time, which is right for
 * one poller and wrong for fifty), and an API whose operations hold one of C slots for their
 * duration, queued (`pending`) while every slot is busy, like a server that caps the
 * operations running at once per project.
 */
import type { OperationResult } from '../../src/api/types.js';
import type { Clock } from '../../src/engine/poll.js';
import { FakeApi } from './fake-api.js';

interface Timer {
  at: number;
  order: number;
  fire(): void;
}

/** A linear congruential generator: the same draws on every run. */
function seeded(seed: number): () => number {
  let value = seed >>> 0;
  return () => {
    value = (Math.imul(value, 1_664_525) + 1_013_904_223) >>> 0;
    return value / 2 ** 32;
  };
}

export class VirtualClock implements Clock {
  private time: number;
  private timers: Timer[] = [];
  private order = 0;
  readonly random: () => number;

  constructor(start = 1_000_000, seed = 7) {
    this.time = start;
    this.random = seeded(seed);
  }

  now = (): number => this.time;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer: Timer = { at: this.time + Math.max(0, ms), order: this.order++, fire: resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((other) => other !== timer);
          resolve();
        },
        { once: true },
      );
    });

  /** Runs `task` to its end, moving time to the next timer whenever nothing else can run. */
  async run<T>(task: Promise<T>): Promise<T> {
    let settled = false;
    task.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let idle = 0; !settled; ) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) break;
      const next = this.timers.reduce<Timer | undefined>((best, timer) => (!best || timer.at < best.at || (timer.at === best.at && timer.order < best.order) ? timer : best), undefined);
      if (!next) {
        if ((idle += 1) > 100) throw new Error('the task waits on something other than the virtual clock');
        continue;
      }
      idle = 0;
      this.timers = this.timers.filter((timer) => timer !== next);
      this.time = Math.max(this.time, next.at);
      next.fire();
    }
    return task;
  }
}

export interface SlotOptions {
  /** Operations running at once; more wait `pending`, first come first served. */
  slots: number;
  /** How long an operation runs once it has a slot. */
  durationMs: (id: string) => number;
  /** Added to every request before the server looks. */
  latencyMs?: number;
}

/** FakeApi whose creates and updates run in time on `slots`, and which counts every request. */
export class SlotApi extends FakeApi {
  readonly requests = { starts: 0, polls: 0 };
  private readonly slotFreeAt: number[];
  private readonly ops = new Map<string, { id: string; startAt: number; endsAt: number }>();
  private counter = 0;

  constructor(
    private readonly clock: VirtualClock,
    private readonly options: SlotOptions,
  ) {
    super();
    this.slotFreeAt = new Array<number>(options.slots).fill(0);
  }

  override async startCreate(body: { id: string; parameters: Record<string, unknown> }) {
    return this.startSlot(body.id);
  }
  override async startUpdate(id: string) {
    return this.startSlot(id);
  }
  override async getCreateResult(operationId: string) {
    return this.lookSlot(operationId);
  }
  override async getUpdateResult(_id: string, operationId: string) {
    return this.lookSlot(operationId);
  }

  private async startSlot(id: string) {
    this.requests.starts += 1;
    await this.clock.sleep(this.options.latencyMs ?? 0);
    const slot = this.slotFreeAt.indexOf(Math.min(...this.slotFreeAt));
    const startAt = Math.max(this.clock.now(), this.slotFreeAt[slot]!);
    const endsAt = startAt + this.options.durationMs(id);
    this.slotFreeAt[slot] = endsAt;
    const operationId = `slot-op-${++this.counter}`;
    this.ops.set(operationId, { id, startAt, endsAt });
    this.sessions.set(id, { id, type: 'CREDENTIALS', status: 'PENDING' });
    return { operationId };
  }

  private async lookSlot(operationId: string): Promise<OperationResult> {
    this.requests.polls += 1;
    await this.clock.sleep(this.options.latencyMs ?? 0);
    const op = this.ops.get(operationId)!;
    const now = this.clock.now();
    if (now < op.startAt) return { status: 'pending' };
    if (now < op.endsAt) return { status: 'in_progress', runId: 'run' };
    this.sessions.set(op.id, { id: op.id, type: 'CREDENTIALS', status: 'READY' });
    return { status: 'done' };
  }
}
