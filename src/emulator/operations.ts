/**
 * The lifecycle of emulated operations, computed from timestamps: no timer per operation, so
 * thousands of them cost nothing, and a result is right whenever it is asked for.
 *
 * Each project has `capacity` slots. An operation takes the slot that frees first (FIFO, like a
 * queue of workers) at the moment it is started, so its start and end times are fixed right
 * away: with capacity C and duration D, N operations end at ceil(N/C)*D whether or not anybody
 * polls in between. Every operation holds its slot for exactly D, a `hang` included: it then
 * stays `in_progress` for ever but frees the slot, so one stuck login does not starve the
 * project (a real worker gives up on a run too; only its result never arrives).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { EmulatedOutcome } from './types.js';

export type OperationKind = 'create' | 'update' | 'validate';

export type OperationPhase = 'pending' | 'in_progress' | 'requested_more_info' | 'done' | 'failed' | 'canceled';

/** The share of a started operation's duration shown as `pending` (the rest is `in_progress`). */
export const PENDING_SHARE = 0.2;

/** Run IDs are nanoid-style: 21 characters of a 64-letter URL-safe alphabet. */
const RUN_ID_LENGTH = 21;
const RUN_ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-';

function newRunId(): string {
  return [...randomBytes(RUN_ID_LENGTH)].map((byte) => RUN_ID_ALPHABET[byte % RUN_ID_ALPHABET.length]).join('');
}

export type FinalOutcome = Extract<EmulatedOutcome, { status: 'done' | 'failed' | 'canceled' }>;

export interface Operation {
  id: string;
  kind: OperationKind;
  authSessionId: string;
  /** The session generation it acts on: a session deleted and created again is another one. */
  sessionToken: number;
  outcome: EmulatedOutcome;
  queuedAt: number;
  startAt: number;
  inProgressAt: number;
  endsAt: number;
  runId: string;
  /** Set when the outcome asks for more information (older API generation). */
  infoRequestId?: string;
  /** How it ended, once it has (by its outcome at `endsAt`, or by a resume). */
  final?: FinalOutcome;
}

export interface StartRequest {
  kind: OperationKind;
  authSessionId: string;
  sessionToken: number;
  outcome: EmulatedOutcome;
  now: number;
}

export class OperationBook {
  private readonly byId = new Map<string, Operation>();
  private readonly slotFreeAt: number[];
  /**
   * Operations whose end has not been applied yet, in end order: with one duration for all,
   * ends come in start order and starts in call order, so a queue with a head index suffices.
   */
  private unsettled: Operation[] = [];
  private head = 0;

  constructor(
    capacity: number,
    private readonly durationMs: number,
  ) {
    this.slotFreeAt = new Array<number>(Math.max(1, capacity)).fill(0);
  }

  start(request: StartRequest): Operation {
    const slot = this.earliestSlot();
    const startAt = Math.max(request.now, this.slotFreeAt[slot] ?? 0);
    const endsAt = startAt + this.durationMs;
    this.slotFreeAt[slot] = endsAt;
    const operation: Operation = {
      id: randomUUID(),
      kind: request.kind,
      authSessionId: request.authSessionId,
      sessionToken: request.sessionToken,
      outcome: request.outcome,
      queuedAt: request.now,
      startAt,
      inProgressAt: startAt + this.durationMs * PENDING_SHARE,
      endsAt,
      runId: newRunId(),
    };
    if (request.outcome.status === 'requested_more_info') operation.infoRequestId = randomUUID();
    this.byId.set(operation.id, operation);
    this.unsettled.push(operation);
    return operation;
  }

  get(id: string): Operation | undefined {
    return this.byId.get(id);
  }

  all(): Operation[] {
    return [...this.byId.values()];
  }

  /** Ends every operation whose time has come, calling `onEnd` for each final outcome in order. */
  settle(now: number, onEnd: (operation: Operation) => void): void {
    while (this.head < this.unsettled.length) {
      const operation = this.unsettled[this.head];
      if (!operation || operation.endsAt > now) break;
      this.head += 1;
      const outcome = operation.outcome;
      if (outcome.status === 'done' || outcome.status === 'failed' || outcome.status === 'canceled') {
        operation.final = outcome;
        onEnd(operation);
      }
    }
    if (this.head > 0 && this.head * 2 >= this.unsettled.length) {
      this.unsettled = this.unsettled.slice(this.head);
      this.head = 0;
    }
  }

  private earliestSlot(): number {
    let best = 0;
    for (let index = 1; index < this.slotFreeAt.length; index += 1) {
      if ((this.slotFreeAt[index] ?? 0) < (this.slotFreeAt[best] ?? 0)) best = index;
    }
    return best;
  }
}

/** Where an operation stands at `now` (after `settle`). */
export function phaseAt(operation: Operation, now: number): OperationPhase {
  if (operation.final) return operation.final.status;
  if (now < operation.inProgressAt) return 'pending';
  if (now < operation.endsAt) return 'in_progress';
  switch (operation.outcome.status) {
    case 'hang':
      return 'in_progress';
    case 'requested_more_info':
      return 'requested_more_info';
    default:
      return operation.outcome.status;
  }
}
