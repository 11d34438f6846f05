/**
 * The emulator's state: sessions, jobs and operations, kept per workspace + project, plus the
 * seeds that tests scope to one project or to all of them.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { JobRunStatus } from './api-facts.js';
import { DEFAULT_SEED_DEFINITION, finish, isUnfinished, newJob, startRun } from './job-model.js';
import type { JobRecord } from './job-model.js';
import { checkJobUpdate } from './job-schema.js';
import type { JobDefinition } from './job-schema.js';
import { OperationBook } from './operations.js';
import type { SeedJob, SeedSession } from './types.js';

export interface SessionRecord {
  id: string;
  type: string;
  status: string;
  parameters: Record<string, unknown>;
  proxy?: string | null;
  createAttempts?: number;
  checkAttempts?: number;
  saveTrace?: boolean;
  /** Generation: an operation only changes the session it was started on. */
  token: number;
}

export interface StoreSettings {
  capacity: number;
  durationMs: number;
  now: () => number;
}

/** Seeded runs are spaced this far apart so their start times sort like their order. */
const SEEDED_RUN_SPACING_MS = 60_000;

let lastToken = 0;
export function nextSessionToken(): number {
  lastToken += 1;
  return lastToken;
}

export class ProjectState {
  readonly sessions = new Map<string, SessionRecord>();
  readonly jobs = new Map<string, JobRecord>();
  readonly book: OperationBook;
  /** The API's `project_id`: stable per project, and never the name (clients must not mix them). */
  readonly projectId: string;

  constructor(
    readonly workspaceId: string,
    readonly project: string,
    settings: StoreSettings,
  ) {
    this.book = new OperationBook(settings.capacity, settings.durationMs);
    this.projectId = uuidOf(projectKey(workspaceId, project));
  }

  /** The first unfinished job run, if any, whose snapshot names the session. */
  activeRunUsing(sessionId: string): { jobId: string; runId: string } | undefined {
    for (const job of this.jobs.values()) {
      const run = job.runs.find((candidate) => isUnfinished(candidate) && candidate.snapshot.auth_session?.id === sessionId);
      if (run) return { jobId: job.id, runId: run.id };
    }
    return undefined;
  }
}

type Seed = { kind: 'session'; seed: SeedSession } | { kind: 'job'; seed: SeedJob; definition: JobDefinition };

interface Scope {
  workspaceId?: string;
  project?: string;
}

export class EmulatorStore {
  private readonly projects = new Map<string, ProjectState>();
  /** Seeds not tied to one project, replayed into each matching project when it is first served. */
  private readonly everywhere: Seed[] = [];

  constructor(private readonly settings: StoreSettings) {}

  project(workspaceId: string, project: string): ProjectState {
    const key = projectKey(workspaceId, project);
    let state = this.projects.get(key);
    if (!state) {
      state = new ProjectState(workspaceId, project, this.settings);
      this.projects.set(key, state);
      for (const seed of this.everywhere) {
        if (inScope(state, seed.seed)) this.apply(state, seed);
      }
    }
    return state;
  }

  all(filter: { workspaceId?: string; project?: string } = {}): ProjectState[] {
    return [...this.projects.values()].filter(
      (state) =>
        (filter.workspaceId === undefined || state.workspaceId === filter.workspaceId) &&
        (filter.project === undefined || state.project === filter.project),
    );
  }

  seedSession(seed: SeedSession): void {
    this.seed({ kind: 'session', seed: { ...seed } }, seed);
  }

  /** Throws for a definition the API would refuse: a test double must not hold what Intuned cannot. */
  seedJob(seed: SeedJob): void {
    const sessionId = seed.authSessionId ?? null;
    const checked = checkJobUpdate({ ...(seed.definition ?? DEFAULT_SEED_DEFINITION), auth_session: sessionId === null ? null : { id: sessionId } });
    if (!checked.ok) {
      throw new Error(`emulator: seedJob ${seed.id}: ${checked.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
    }
    const runs = (seed.runs ?? []).map((run) => ({ ...run, id: run.id ?? randomUUID() }));
    this.seed({ kind: 'job', seed: { ...seed, runs }, definition: checked.value }, seed);
  }

  setJobRunStatus(jobId: string, runId: string, status: JobRunStatus): void {
    let found = false;
    for (const seed of this.everywhere) {
      if (seed.kind !== 'job' || seed.seed.id !== jobId) continue;
      const run = seed.seed.runs?.find((candidate) => candidate.id === runId);
      if (run) {
        run.status = status;
        found = true;
      }
    }
    for (const state of this.projects.values()) {
      const run = state.jobs.get(jobId)?.runs.find((candidate) => candidate.id === runId);
      if (!run) continue;
      finish(run, status, this.settings.now());
      found = true;
    }
    if (!found) throw new Error(`emulator: no job run ${runId} in job ${jobId}`);
  }

  private seed(seed: Seed, scope: Scope): void {
    if (scope.workspaceId !== undefined && scope.project !== undefined) {
      this.apply(this.project(scope.workspaceId, scope.project), seed);
      return;
    }
    this.everywhere.push(seed);
    for (const state of this.all(scope)) this.apply(state, seed);
  }

  private apply(state: ProjectState, seed: Seed): void {
    if (seed.kind === 'session') {
      const { id, type = 'CREDENTIALS', status = 'READY' } = seed.seed;
      state.sessions.set(id, { id, type, status, parameters: {}, token: nextSessionToken() });
      return;
    }
    const now = this.settings.now();
    const runs = seed.seed.runs ?? [];
    const job = newJob(seed.seed.id, structuredClone(seed.definition), now - (runs.length + 1) * SEEDED_RUN_SPACING_MS);
    if (seed.seed.state === 'PAUSED') {
      job.state = 'PAUSED';
      job.pausedAt = now;
    }
    runs.forEach((run, index) => {
      const startedAt = now - (runs.length - index) * SEEDED_RUN_SPACING_MS;
      const record = startRun(job, { now: startedAt, type: run.type ?? 'MANUAL', status: run.status, id: run.id || undefined });
      if (!isUnfinished(record)) record.endTime = record.updatedAt = now;
    });
    state.jobs.set(job.id, job);
  }
}

function inScope(state: ProjectState, scope: Scope): boolean {
  return (
    (scope.workspaceId === undefined || state.workspaceId === scope.workspaceId) &&
    (scope.project === undefined || state.project === scope.project)
  );
}

function projectKey(workspaceId: string, project: string): string {
  return JSON.stringify([workspaceId, project]);
}

/** A UUID-shaped digest: the same project always gets the same ID. */
function uuidOf(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
