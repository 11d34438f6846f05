/**
 * The emulator's state: sessions, jobs and operations, kept per workspace + project, plus the
 * seeds that tests scope to one project or to all of them.
 */
import { randomUUID } from 'node:crypto';
import { RUNNING_JOB_RUN_STATUSES } from './api-facts.js';
import type { JobRunStatus } from './api-facts.js';
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

export interface JobRunRecord {
  id: string;
  status: string;
  startTime: number;
  endTime: number | null;
}

export interface JobRecord {
  id: string;
  state: string;
  authSessionId: string | null;
  /** Oldest first. */
  runs: JobRunRecord[];
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

  constructor(
    readonly workspaceId: string,
    readonly project: string,
    settings: StoreSettings,
  ) {
    this.book = new OperationBook(settings.capacity, settings.durationMs);
  }

  /** The first job run, if any, that makes the session in use. */
  activeRunUsing(sessionId: string): { jobId: string; runId: string } | undefined {
    for (const job of this.jobs.values()) {
      if (job.authSessionId !== sessionId) continue;
      const run = job.runs.find((candidate) => RUNNING_JOB_RUN_STATUSES.has(candidate.status));
      if (run) return { jobId: job.id, runId: run.id };
    }
    return undefined;
  }
}

type Seed = { kind: 'session'; seed: SeedSession } | { kind: 'job'; seed: SeedJob };

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

  seedJob(seed: SeedJob): void {
    const runs = (seed.runs ?? []).map((run) => ({ id: run.id ?? randomUUID(), status: run.status }));
    this.seed({ kind: 'job', seed: { ...seed, runs } }, seed);
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
      run.status = status;
      run.endTime = RUNNING_JOB_RUN_STATUSES.has(status) ? null : this.settings.now();
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
    state.jobs.set(seed.seed.id, {
      id: seed.seed.id,
      state: seed.seed.state ?? 'ACTIVE',
      authSessionId: seed.seed.authSessionId,
      runs: runs.map((run, index) => {
        const startTime = now - (runs.length - index) * SEEDED_RUN_SPACING_MS;
        const finished = !RUNNING_JOB_RUN_STATUSES.has(run.status);
        return { id: run.id ?? randomUUID(), status: run.status, startTime, endTime: finished ? now : null };
      }),
    });
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
