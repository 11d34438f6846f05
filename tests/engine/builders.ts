/** In-memory builders for the pure core: desired files, remote sessions, state. */
import type { RemoteAuthSession } from '../../src/api/types.js';
import type { DesiredSession } from '../../src/resources/types.js';
import { deriveStateKey, fingerprintSession, type Fingerprint } from '../../src/engine/fingerprint.js';
import { plan, type PlanInput } from '../../src/engine/plan.js';
import type { InUse } from '../../src/engine/types.js';
import { emptyState, type JobState, type SessionState, type StateDocument } from '../../src/state/types.js';
import type { Job } from '../../src/engine/port.js';
import type { DesiredJob } from '../../src/resources/types.js';
import { fingerprintJob, type JobFingerprint } from '../../src/engine/fingerprint.js';
import { sessionRecords } from '../../src/state/sessions.js';
import type { OperationResult } from '../../src/api/types.js';

export const KEY = deriveStateKey({ apiKey: 'test-api-key', workspaceId: 'ws', project: 'proj' });

export function remote(id: string, type = 'CREDENTIALS', status = 'READY'): RemoteAuthSession {
  return { id, type, status };
}

export function fingerprintOf(session: DesiredSession): Fingerprint {
  return fingerprintSession(KEY.key, session.id, session.spec);
}

/** A state that owns each session, recorded as applied with the given desired sessions' values. */
export function stateWith(applied: DesiredSession[], extra: Record<string, SessionState> = {}): StateDocument {
  const document = emptyState({ workspaceId: 'ws', project: 'proj', keyId: KEY.id });
  for (const session of applied) document.sessions[session.id] = { file: session.file, applied: fingerprintOf(session), appliedAt: '2026-01-01T00:00:00.000Z' };
  Object.assign(document.sessions, extra);
  return document;
}

export function jobFingerprintOf(job: DesiredJob): JobFingerprint {
  return fingerprintJob(KEY.key, job.id, job.spec, job.secretPaths);
}

/** Job records that own each job, as applied with the given jobs' values. */
export function jobRecordsWith(applied: DesiredJob[], extra: Record<string, JobState> = {}): Record<string, JobState> {
  const records = sessionRecords<JobState>();
  for (const job of applied) {
    const { target, secretTargets } = jobFingerprintOf(job);
    records[job.id] = { file: job.file, applied: { job: target, secrets: secretTargets }, appliedAt: '2026-01-01T00:00:00.000Z' };
  }
  return Object.assign(records, extra);
}

export interface JobScenario {
  desired?: DesiredJob[];
  remote?: Job[];
  records?: Record<string, JobState>;
  /** Unfinished runs of jobs whose file is gone. */
  inUse?: Record<string, InUse>;
}

export interface Scenario {
  jobs?: JobScenario;
  desired?: DesiredSession[];
  remote?: RemoteAuthSession[];
  state?: StateDocument;
  inUse?: Record<string, InUse>;
  pendingResults?: Record<string, OperationResult | undefined>;
  keyMatches?: boolean;
  force?: boolean;
  /** Where a state was looked for and not found. */
  missingState?: string;
}

export function planOf(scenario: Scenario) {
  const sessions = scenario.desired ?? [];
  const input: PlanInput = {
    desired: sessions,
    remote: scenario.remote ?? [],
    state: scenario.state ?? emptyState({ workspaceId: 'ws', project: 'proj', keyId: KEY.id }),
    fingerprints: new Map(sessions.map((session) => [session.id, fingerprintOf(session)])),
    keyMatches: scenario.keyMatches ?? true,
    inUse: new Map(Object.entries(scenario.inUse ?? {})),
    pendingResults: new Map(Object.entries(scenario.pendingResults ?? {})),
    ...(scenario.missingState ? { missingState: scenario.missingState } : {}),
    ...(scenario.jobs ? { jobs: jobInput(scenario.jobs, scenario.keyMatches ?? true) } : {}),
  };
  return plan(input, { force: scenario.force ?? false });
}

function jobInput(jobs: JobScenario, keyMatches: boolean): NonNullable<PlanInput['jobs']> {
  const desired = jobs.desired ?? [];
  return {
    desired,
    remote: jobs.remote ?? [],
    records: jobs.records ?? sessionRecords<JobState>(),
    fingerprints: new Map(desired.map((job) => [job.id, jobFingerprintOf(job)])),
    keyMatches,
    inUse: new Map(Object.entries(jobs.inUse ?? {})),
  };
}

/** id → action: reason, for compact assertions (`job ` before a job's ID). */
export function summaryOf(scenario: Scenario): string[] {
  return planOf(scenario).entries.map((entry) => `${entry.action} ${entry.kind === 'job' ? 'job ' : ''}${entry.id}: ${entry.reason}`);
}
