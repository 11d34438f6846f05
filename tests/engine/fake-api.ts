/** An in-memory IntunedApi for engine tests: operations end after a set number of polls. */
import { ApiError } from '../../src/errors.js';
import type { IntunedApi, Job, JobRun, OperationResult, RemoteAuthSession } from '../../src/api/types.js';

type Script = (id: string, parameters: Record<string, unknown>) => OperationResult;

export class FakeApi implements IntunedApi {
  sessions = new Map<string, RemoteAuthSession>();
  jobs: Job[] = [];
  runs = new Map<string, JobRun[]>();
  calls: string[] = [];
  refuseDeleteAsInUse = new Set<string>();
  /** Create and update starts that fail with this error (a refusal, or an ApiError without a status: no answer). */
  refuseStart = new Map<string, ApiError>();
  /** A start whose answer is lost after the server acted on it (no status: the outcome is unknown). */
  loseStartAnswer = new Set<string>();
  /** Runs as a start arrives, before it is handled (a person in the dashboard, say). */
  beforeStart: (kind: 'create' | 'update', id: string) => void = () => {};
  /** A create that ends failed or canceled removes its session instead of leaving it EXPIRED. */
  failedCreatesLeaveNothing = false;
  /** How many polls an operation reports in_progress before its final result. */
  pollsUntilDone = 2;
  /** The final result of an operation; done unless scripted. */
  script: Script = () => ({ status: 'done' });
  private operations = new Map<string, { id: string; polls: number; final: OperationResult; kind: 'create' | 'update' }>();
  private next = 1;

  async listAuthSessions() {
    this.calls.push('list');
    return [...this.sessions.values()];
  }
  async getAuthSession(id: string) {
    return this.sessions.get(id);
  }
  async deleteAuthSession(id: string) {
    this.calls.push(`delete ${id}`);
    if (this.refuseDeleteAsInUse.has(id)) {
      throw new ApiError('Auth session is in use by an active job run', { method: 'DELETE', path: `/auth-sessions/${id}`, status: 409, retryable: false });
    }
    this.sessions.delete(id);
  }
  async startCreate(body: { id: string; parameters: Record<string, unknown> }) {
    this.calls.push(`create ${body.id}`);
    this.beforeStart('create', body.id);
    this.refuse(body.id);
    if (this.sessions.has(body.id)) {
      throw new ApiError('An auth session with this ID already exists', { method: 'POST', path: '/auth-sessions/create', status: 409, retryable: false });
    }
    this.sessions.set(body.id, { id: body.id, type: 'CREDENTIALS', status: 'PENDING' });
    return this.answer(body.id, this.begin(body.id, 'create', body.parameters));
  }
  async startUpdate(id: string, body: { parameters: Record<string, unknown> }) {
    this.calls.push(`update ${id}`);
    this.beforeStart('update', id);
    this.refuse(id);
    return this.answer(id, this.begin(id, 'update', body.parameters));
  }
  async getCreateResult(operationId: string) {
    return this.result(operationId);
  }
  async getUpdateResult(_id: string, operationId: string) {
    return this.result(operationId);
  }
  async startValidate(): Promise<never> {
    throw new Error('not used');
  }
  async getValidateResult(): Promise<never> {
    throw new Error('not used');
  }
  async resume(kind: string, operationId: string, body: { input: string }) {
    this.calls.push(`resume ${kind} ${operationId} ${body.input}`);
    const operation = this.operations.get(operationId)!;
    operation.final = { status: 'done' };
  }
  async listJobs() {
    this.calls.push('jobs');
    return this.jobs;
  }
  async createJob(body: { id: string; auth_session?: unknown }) {
    this.calls.push(`create job ${body.id}`);
    this.jobs.push({ id: body.id, auth_session: (body.auth_session as Job['auth_session']) ?? null });
  }
  async updateJob(id: string) {
    this.calls.push(`update job ${id}`);
  }
  async deleteJob(id: string) {
    this.calls.push(`delete job ${id}`);
    const before = this.jobs.length;
    this.jobs = this.jobs.filter((job) => job.id !== id);
    return this.jobs.length < before ? ('deleted' as const) : ('gone' as const);
  }
  async listJobRuns(jobId: string) {
    this.calls.push(`runs ${jobId}`);
    return this.runs.get(jobId) ?? [];
  }

  private refuse(id: string): void {
    const refusal = this.refuseStart.get(id);
    if (refusal) throw refusal;
  }
  private answer<T>(id: string, started: T): T {
    if (this.loseStartAnswer.has(id)) throw new ApiError('no response: socket hang up (ECONNRESET)', { method: 'POST', path: `/auth-sessions/${id}`, retryable: false });
    return started;
  }
  private begin(id: string, kind: 'create' | 'update', parameters: Record<string, unknown>) {
    const operationId = `op-${this.next++}`;
    this.operations.set(operationId, { id, polls: 0, final: this.script(id, parameters), kind });
    return { operationId };
  }
  private result(operationId: string): OperationResult {
    const operation = this.operations.get(operationId);
    if (!operation) throw new ApiError('not found', { method: 'GET', path: operationId, status: 404, retryable: false });
    operation.polls += 1;
    if (operation.polls <= this.pollsUntilDone || (operation.final.status as string) === 'hang') return { status: 'in_progress', runId: 'run' };
    if (operation.final.status === 'done') this.sessions.set(operation.id, { id: operation.id, type: 'CREDENTIALS', status: 'READY' });
    const ended = operation.final.status === 'failed' || operation.final.status === 'canceled';
    if (ended && operation.kind === 'create' && this.failedCreatesLeaveNothing) this.sessions.delete(operation.id);
    else if (ended && this.sessions.has(operation.id)) this.sessions.set(operation.id, { id: operation.id, type: 'CREDENTIALS', status: 'EXPIRED' });
    return operation.final;
  }
}
