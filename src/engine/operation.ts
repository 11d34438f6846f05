/** One create, update or delete: start it, record it, poll it, record how it ended. */
import { ApiError } from '../errors.js';
import { isOwned } from '../state/sessions.js';
import { ResultUnknownError, type AuthSessionBody, type DeleteAnswer, type Failure, type IntunedPort, type OperationResult, type StartAnswer } from './port.js';
import type { StateStore } from '../state/store.js';
import type { OperationRecord } from '../state/types.js';
import type { Fingerprint } from './fingerprint.js';
import { pollOperation, type Clock, type MoreInfoResult, type PollOutcome } from './poll.js';
import { definedOnly } from './optional.js';
import type { OperationTimes } from './poll-schedule.js';
import { formatDuration } from './duration.js';
import { statusWord } from './reasons.js';
import { INTERRUPT_ANSWER_MS, isInterrupted, unlessInterrupted } from './interrupt.js';
import { isResume, isWaitThenUpdate, type ChangeEntry, type ChangeResult, type DeleteEntry, type PlanEntry } from './types.js';

export type ApplyEvent =
  | { type: 'start'; entry: PlanEntry }
  | { type: 'status'; entry: PlanEntry; status: OperationResult['status'] }
  | { type: 'end'; result: ChangeResult };

export type PromptForInfo = (request: { id: string; messageToUser: string; requestType: string; choices?: string[] }) => Promise<string>;

export interface OperationContext {
  api: IntunedPort;
  store: StateStore;
  fingerprints: ReadonlyMap<string, Fingerprint>;
  clock: Clock;
  /** How long this apply's operations take, shared by their pollers. */
  times: OperationTimes;
  deadline: number;
  timeoutMs: number;
  prompt: PromptForInfo | undefined;
  emit(event: ApplyEvent): void;
  /** Masks secrets in what the API said before it is recorded or reported. */
  redact(text: string): string;
  /** Aborted when the run is interrupted: nothing more starts, and no wait goes on. */
  signal?: AbortSignal;
}

type Kind = 'create' | 'update';

export async function runChange(entry: ChangeEntry, context: OperationContext): Promise<ChangeResult> {
  const kind: Kind = entry.action;
  if (context.signal?.aborted) return notStartedInterrupted(entry);
  const finish = track(entry, context);
  if (pastDeadline(context)) return finish(notStarted(context));

  if (isWaitThenUpdate(entry)) {
    // The earlier operation may be of another kind (a create still running when the file changed).
    const earlierKind = context.store.session(entry.id)?.operation?.kind;
    let earlier: PollOutcome;
    try {
      earlier = await unlessInterrupted(poll(entry, earlierKind === 'create' || earlierKind === 'update' ? earlierKind : kind, entry.waitForOperationId, context, false), context.signal);
    } catch (error) {
      if (isInterrupted(error)) return finish(interruptedWaiting(entry.waitForOperationId));
      throw error;
    }
    if (earlier.kind === 'timeout') return finish(timedOut(context, earlier, entry.waitForOperationId, 'an earlier run\'s operation'));
  }

  let operationId = isResume(entry) ? entry.resumeOperationId : undefined;
  if (!operationId && context.signal?.aborted) return finish({ status: 'failed', code: 'interrupted', message: NOT_STARTED_INTERRUPTED });
  if (!operationId) {
    const target = context.fingerprints.get(entry.id);
    const ownedBefore = isOwned(context.store.session(entry.id));
    // Owned from here on: a run killed now leaves the outcome unknown, and it may have created it.
    record(context, entry, { kind, status: 'starting', target });
    await context.store.flush();
    let answer: StartAnswer;
    try {
      answer = await unlessInterrupted(start(entry, kind, context.api), context.signal, INTERRUPT_ANSWER_MS);
    } catch (error) {
      // Sent, but not answered in time: the state keeps it `starting`, and the next run re-plans it.
      if (isInterrupted(error)) return finish({ status: 'failed', code: 'interrupted', message: 'interrupted before Intuned answered the start; the next run checks what it did' });
      // Not an answer of the API's: whatever happened, the session is the tool's from here on.
      const detail = errorDetail(error, context);
      record(context, entry, { kind, status: 'failed', target, ...detail });
      await context.store.flush();
      return finish({ status: 'failed', ...detail, ...(pastDeadline(context) ? { timedOut: true } : {}) });
    }
    if (answer.outcome === 'timed-out') {
      // The deadline came before the start was carried out: nothing runs, the next run starts
      // it. Like a refusal, it creates and adopts nothing.
      const ending = notStarted(context);
      record(context, entry, { kind, status: 'failed', target, message: ending.message!, code: 'timed-out' }, kind === 'update' && ownedBefore);
      await context.store.flush();
      return finish(ending);
    }
    if (answer.outcome !== 'started') {
      const detail = failureDetail(answer, context);
      // No answer leaves the outcome unknown: the state stays `starting` and the next run re-plans it.
      if (answer.outcome !== 'no-answer') {
        // A refusal creates nothing and adopts nothing. A create is planned only where no
        // session was found, so one refused (say, "already exists") leaves nothing of the
        // tool's under that ID; an update refused leaves ownership as it was.
        const owned = answer.outcome !== 'refused' || (kind === 'update' && ownedBefore);
        record(context, entry, { kind, status: 'failed', target, ...detail }, owned);
      }
      await context.store.flush();
      return finish({ status: 'failed', ...detail, ...(pastDeadline(context) ? { timedOut: true } : {}) });
    }
    operationId = answer.operationId;
    record(context, entry, { kind, status: 'started', operationId, target });
    await context.store.flush();
  }

  let outcome: PollOutcome;
  try {
    outcome = await unlessInterrupted(poll(entry, kind, operationId, context, !isResume(entry)), context.signal);
  } catch (error) {
    if (isInterrupted(error)) return finish(interruptedWaiting(operationId));
    // The operation may still be running: the state keeps it `started` for the next run.
    return finish({ status: 'failed', operationId, ...errorDetail(error, context) });
  }
  if (outcome.kind === 'timeout') return finish(timedOut(context, outcome, operationId, kind));
  const result = outcome.result;
  const owned = context.store.session(entry.id);
  if (result.status === 'done') {
    context.store.update(entry.id, (session) => ({
      ...session,
      file: entry.file,
      applied: owned?.operation?.target ?? context.fingerprints.get(entry.id),
      appliedAt: new Date(context.clock.now()).toISOString(),
      operation: { kind, status: 'succeeded', operationId, at: new Date(context.clock.now()).toISOString() },
    }));
    await context.store.flush();
    return finish({ status: 'succeeded', operationId, lastStatus: 'done' });
  }
  const detail =
    result.status === 'failed'
      ? { message: context.redact(result.message || result.error.message), ...definedOnly({ code: result.error.code || undefined }) }
      : { message: context.redact(result.message || result.reason.message), code: result.reason.type };
  const left = kind === 'create' ? await sessionLeft(entry.id, context) : true;
  record(context, entry, { kind, status: result.status, operationId, target: owned?.operation?.target, ...detail }, left);
  await context.store.flush();
  return finish({ status: 'failed', operationId, lastStatus: result.status, ...detail });
}

export function runDelete(entry: DeleteEntry, context: OperationContext): Promise<ChangeResult> {
  return runDeleteOf(entry, context, {
    send: () => context.api.deleteAuthSession(entry.id),
    record: (operation) => record(context, entry, operation),
    forget: () => context.store.forget(entry.id),
  });
}

/** How one kind's delete is sent and recorded; the steps around it are every kind's. */
export interface DeleteSteps {
  send(): Promise<DeleteAnswer>;
  record(operation: { kind: 'delete'; status: 'starting' | 'failed' | 'skipped'; message?: string; code?: string }): void;
  forget(): void;
}

/** A delete: recorded as starting, sent, then forgotten, or kept as failed or skipped while in use. */
export async function runDeleteOf(entry: PlanEntry, context: OperationContext, steps: DeleteSteps): Promise<ChangeResult> {
  if (context.signal?.aborted) return notStartedInterrupted(entry);
  const finish = track(entry, context);
  if (pastDeadline(context)) return finish(notStarted(context));
  steps.record({ kind: 'delete', status: 'starting' });
  await context.store.flush();
  let answer: DeleteAnswer;
  try {
    answer = await steps.send();
  } catch (error) {
    const detail = errorDetail(error, context);
    steps.record({ kind: 'delete', status: 'failed', ...detail });
    await context.store.flush();
    return finish({ status: 'failed', ...detail });
  }
  if (answer.outcome === 'in-use') {
    const detail = failureDetail(answer, context);
    steps.record({ kind: 'delete', status: 'skipped', ...detail });
    await context.store.flush();
    return finish({ status: 'skipped', message: `in use: Intuned refused the delete (${detail.message}); a later run deletes it`, ...definedOnly({ code: detail.code }) });
  }
  steps.forget();
  await context.store.flush();
  return finish({ status: 'succeeded' });
}

export type Ending = Omit<ChangeResult, 'entry' | 'durationMs'>;

/** Announces the start of an operation; the function it returns announces its end. */
export function track(entry: PlanEntry, context: OperationContext): (ending: Ending) => ChangeResult {
  const began = context.clock.now();
  context.emit({ type: 'start', entry });
  return (ending) => {
    const result: ChangeResult = { entry, ...ending, durationMs: context.clock.now() - began };
    context.emit({ type: 'end', result });
    return result;
  };
}

/** Records the session's last operation, and whether the tool owns the session (state/types.ts). */
function record(context: OperationContext, entry: PlanEntry, operation: Omit<OperationRecord, 'at'>, owned = true): void {
  context.store.update(entry.id, ({ owned: _before, ...session }) => ({
    ...(owned ? {} : { owned: false as const }),
    ...session,
    ...definedOnly({ file: entry.action === 'delete' ? undefined : entry.file }),
    operation: { ...operation, at: new Date(context.clock.now()).toISOString() },
  }));
}

/**
 * Whether a create that ended failed or canceled left its session (Intuned may keep it EXPIRED):
 * if not, the tool owns nothing under that ID. When this cannot be told, it is owned.
 */
async function sessionLeft(id: string, context: OperationContext): Promise<boolean> {
  try {
    return (await context.api.getAuthSession(id)) !== undefined;
  } catch {
    return true;
  }
}

/**
 * The API's documented defaults. An update sends every setting, these for the ones a file leaves
 * out: whether Intuned keeps an omitted field on update is not documented, and a setting removed
 * from a file (a proxy taken out) must not live on in Intuned.
 */
const UPDATE_DEFAULTS = { proxy: null, createAttempts: 3, checkAttempts: 3, saveTrace: true } as const;

function start(entry: ChangeEntry, kind: Kind, api: IntunedPort): Promise<StartAnswer> {
  const spec = entry.desired.spec;
  const body: Omit<AuthSessionBody, 'id'> = { parameters: spec.parameters };
  if (spec.proxy !== undefined) body.proxy = spec.proxy;
  if (spec.createAttempts !== undefined) body.createAttempts = spec.createAttempts;
  if (spec.checkAttempts !== undefined) body.checkAttempts = spec.checkAttempts;
  if (spec.saveTrace !== undefined) body.saveTrace = spec.saveTrace;
  return kind === 'create' ? api.startCreate({ id: entry.id, ...body }) : api.startUpdate(entry.id, { ...UPDATE_DEFAULTS, ...body });
}

function poll(entry: PlanEntry, kind: Kind, operationId: string, context: OperationContext, fresh: boolean): Promise<PollOutcome> {
  return pollOperation({
    fetch: async () => {
      const answer = kind === 'create' ? await context.api.getCreateResult(operationId) : await context.api.getUpdateResult(entry.id, operationId);
      if (answer.status === 'unknown') throw new ResultUnknownError(answer);
      return answer;
    },
    answer: (request) => answer(entry, kind, operationId, request, context),
    deadline: context.deadline,
    clock: context.clock,
    times: context.times,
    fresh,
    onStatus: (result) => context.emit({ type: 'status', entry, status: result.status }),
  });
}

async function answer(entry: PlanEntry, kind: Kind, operationId: string, request: MoreInfoResult, context: OperationContext): Promise<void> {
  if (!context.prompt) {
    throw new Error(
      `Intuned asks for more information to log in to ${entry.id} ("${request.messageToUser}", ${request.requestType}), ` +
        'but there is no terminal to ask: run `intuned-gitops reconcile` in a terminal to answer it, or make the login work without a one-time code (e.g. a TOTP secret parameter)',
    );
  }
  const input = await context.prompt({ id: entry.id, messageToUser: request.messageToUser, requestType: request.requestType, ...definedOnly({ choices: request.choices }) });
  await context.api.resume(kind, operationId, { input, infoRequestId: request.infoRequestId }, entry.id);
}

export function pastDeadline(context: OperationContext): boolean {
  return context.clock.now() >= context.deadline;
}

export function notStarted(context: OperationContext): Ending {
  return { status: 'failed', timedOut: true, message: `not started: the timeout of ${formatDuration(context.timeoutMs)} was reached` };
}

/** The message of a change an interrupted run did not start; `run()` counts them by it. */
export const NOT_STARTED_INTERRUPTED = 'not started: the run was interrupted';

/** Not announced: an interrupted run lists no line per operation it did not start. */
export function notStartedInterrupted(entry: PlanEntry): ChangeResult {
  return { entry, status: 'failed', code: 'interrupted', message: NOT_STARTED_INTERRUPTED, durationMs: 0 };
}

function interruptedWaiting(operationId: string): Ending {
  return { status: 'failed', code: 'interrupted', operationId, message: 'interrupted: it keeps running in Intuned, and the next run picks it up' };
}

/**
 * What to do about a timeout. The state keeps the operation as running, so every run waits for
 * it, and a change to the file waits for it too: only its end, or the file's removal (planned as
 * a delete, which does not wait), lets the session go.
 */
const TIMEOUT_ADVICE =
  'it may still finish, and the next run picks it up: it waits for the same operation instead of starting another ' +
  '(raise --timeout to wait longer); if it never ends, remove its file: the next apply then deletes the session';

function timedOut(context: OperationContext, outcome: Extract<PollOutcome, { kind: 'timeout' }>, operationId: string, what: string): Ending {
  const last = outcome.last?.status ?? 'unknown';
  return {
    status: 'failed',
    timedOut: true,
    operationId,
    lastStatus: last,
    message: `timed out after ${formatDuration(context.timeoutMs)} waiting for ${what} (last status ${statusWord(last)}); ${TIMEOUT_ADVICE}`,
  };
}

export function errorDetail(error: unknown, context: OperationContext): Failure {
  if (error instanceof ApiError || error instanceof ResultUnknownError) return failureDetail(error, context);
  return { message: context.redact(error instanceof Error ? error.message : String(error)) };
}

export function failureDetail(failure: { message: string; code?: string | undefined }, context: OperationContext): Failure {
  return { message: context.redact(failure.message), ...definedOnly({ code: failure.code || undefined }) };
}
