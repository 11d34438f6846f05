/**
 * One job create, update or delete. A job is written by one request (no operation to poll),
 * so its record says `starting` before the request and how it ended after: a run killed in
 * between leaves `starting`, which the next run reads as "outcome unknown" and settles by
 * comparing the file with what Intuned then holds.
 */
import { jobCreateBody, jobUpdateBody } from '../resources/job-body.js';
import type { WriteAnswer } from './port.js';
import type { JobState } from '../state/types.js';
import { isOwned } from '../state/sessions.js';
import { INTERRUPT_ANSWER_MS, isInterrupted, unlessInterrupted } from './interrupt.js';
import {
  errorDetail,
  failureDetail,
  notStarted,
  notStartedInterrupted,
  pastDeadline,
  runDeleteOf,
  track,
  type OperationContext,
} from './operation.js';
import type { ChangeResult, JobChangeEntry, JobDeleteEntry } from './types.js';
import { definedOnly } from './optional.js';

type Operation = NonNullable<JobState['operation']>;

/**
 * `session`: the result of this apply's change to the AuthSession the job runs with, if it
 * made one. A job is written only once that session is `done`.
 */
export async function runJobChange(entry: JobChangeEntry, context: OperationContext, session?: ChangeResult): Promise<ChangeResult> {
  if (context.signal?.aborted) return notStartedInterrupted(entry);
  if (session && session.status !== 'succeeded') return sessionNotReady(entry, session, context);
  const finish = track(entry, context);
  if (pastDeadline(context)) return finish(notStarted(context));

  const kind = entry.action;
  const ownedBefore = isOwned(context.store.job(entry.id));
  // Owned from here on: a run killed now leaves the outcome unknown, and it may have written it.
  record(context, entry, { kind, status: 'starting' }, true);
  await context.store.flush();
  let answer: WriteAnswer;
  try {
    const spec = entry.desired.spec;
    const write = kind === 'create' ? context.api.createJob(jobCreateBody(entry.id, spec) as { id: string }) : context.api.updateJob(entry.id, jobUpdateBody(spec));
    answer = await unlessInterrupted(write, context.signal, INTERRUPT_ANSWER_MS);
  } catch (error) {
    if (isInterrupted(error)) return finish({ status: 'failed', code: 'interrupted', message: 'interrupted before Intuned answered; the next run checks what it did' });
    const detail = errorDetail(error, context);
    record(context, entry, { kind, status: 'failed', ...detail }, true);
    await context.store.flush();
    return finish({ status: 'failed', ...detail });
  }

  if (answer.outcome === 'done') {
    const at = now(context);
    context.store.updateJob(entry.id, ({ owned: _owned, ...job }) => ({
      ...job,
      file: entry.file,
      applied: { job: entry.target, secrets: entry.secretTargets },
      appliedAt: at,
      operation: { kind, status: 'succeeded', at },
    }));
    await context.store.flush();
    return finish({ status: 'succeeded' });
  }
  const detail = failureDetail(answer, context);
  if (answer.outcome === 'timed-out') {
    const ending = notStarted(context);
    record(context, entry, { kind, status: 'failed', message: ending.message!, code: 'timed-out' }, kind === 'update' && ownedBefore);
    await context.store.flush();
    return finish(ending);
  }
  if (answer.outcome === 'refused') {
    // A create is planned only where no job was found, so one refused (say, "already exists")
    // leaves nothing of the tool's under that ID; an update refused leaves ownership as it was.
    record(context, entry, { kind, status: 'failed', ...detail }, kind === 'update' && ownedBefore);
    await context.store.flush();
    return finish({ status: 'failed', ...detail });
  }
  // No answer, or one that cannot be read: it may have been written. The record stays
  // `starting` (owned), and the next run compares the file with what Intuned holds.
  await context.store.flush();
  return finish({ status: 'failed', ...detail, message: `${detail.message}; whether Intuned ${kind}d it is unknown, and the next run checks` });
}

export function runJobDelete(entry: JobDeleteEntry, context: OperationContext): Promise<ChangeResult> {
  return runDeleteOf(entry, context, {
    send: () => context.api.deleteJob(entry.id),
    record: (operation) => record(context, entry, operation, true),
    forget: () => context.store.forgetJob(entry.id),
  });
}

/** The session's change did not end done: writing the job now would point it at a broken or missing login. */
function sessionNotReady(entry: JobChangeEntry, session: ChangeResult, context: OperationContext): ChangeResult {
  const finish = track(entry, context);
  const why = session.status === 'skipped' ? 'was skipped' : `failed${session.message ? ` (${session.message})` : ''}`;
  return finish({
    status: 'skipped',
    code: 'session-not-ready',
    message: `not ${entry.action}d: the ${session.entry.action} of its AuthSession ${entry.session ?? session.entry.id} ${why}; the next run ${entry.action}s it once the session is done`,
  });
}

function record(context: OperationContext, entry: JobChangeEntry | JobDeleteEntry, operation: Omit<Operation, 'at'>, owned: boolean): void {
  context.store.updateJob(entry.id, ({ owned: _before, ...job }) => ({
    ...(owned ? {} : { owned: false as const }),
    ...job,
    ...definedOnly({ file: entry.action === 'delete' ? undefined : entry.file }),
    operation: { ...operation, at: now(context) },
  }));
}

function now(context: OperationContext): string {
  return new Date(context.clock.now()).toISOString();
}
