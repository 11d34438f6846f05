/**
 * An API for engine tests that run many operations at once, on the shared VirtualClock: its
 * operations hold one of C slots for their duration, queued (`pending`) while every slot is busy,
 * like a server that caps the operations running at once per project.
 */
import type { OperationResult } from '../../src/api/types.js';
import type { VirtualClock } from '../helpers/virtual-clock.js';
import { FakeApi } from './fake-api.js';

export interface SlotOptions {
  /** Operations running at once; more wait `pending`, first come first served. */
  slots: number;
  /** How long an operation runs once it has a slot. */
  durationMs: (id: string) => number;
  /** Added to every request before the server looks. */
  latencyMs?: number;
  /** The first share of a run that still shows `pending`, as the emulator's runs do; none by default. */
  pendingShareOfRun?: number;
}

/** FakeApi whose creates and updates run in time on `slots`, and which counts every request. */
export class SlotApi extends FakeApi {
  readonly requests = { starts: 0, polls: 0 };
  private readonly slotFreeAt: number[];
  private readonly ops = new Map<string, { id: string; runningAt: number; endsAt: number }>();
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
    const durationMs = this.options.durationMs(id);
    const endsAt = startAt + durationMs;
    this.slotFreeAt[slot] = endsAt;
    const operationId = `slot-op-${++this.counter}`;
    this.ops.set(operationId, { id, runningAt: startAt + durationMs * (this.options.pendingShareOfRun ?? 0), endsAt });
    this.sessions.set(id, { id, type: 'CREDENTIALS', status: 'PENDING' });
    return { operationId };
  }

  private async lookSlot(operationId: string): Promise<OperationResult> {
    this.requests.polls += 1;
    await this.clock.sleep(this.options.latencyMs ?? 0);
    const op = this.ops.get(operationId)!;
    const now = this.clock.now();
    if (now < op.runningAt) return { status: 'pending' };
    if (now < op.endsAt) return { status: 'in_progress', runId: 'run' };
    this.sessions.set(op.id, { id: op.id, type: 'CREDENTIALS', status: 'READY' });
    return { status: 'done' };
  }
}
