/** `startEmulator`: wires the store, the fault gate and the HTTP server into a handle. */
import { FaultGate } from './faults.js';
import { settleRuns } from './job-model.js';
import { phaseAt } from './operations.js';
import { defaultOutcome } from './outcome.js';
import { applyEnd } from './results.js';
import { BASE_PATH, EmulatorServer } from './server.js';
import { EmulatorStore } from './store.js';
import type { ProjectState } from './store.js';
import type { EmulatedOperation, EmulatedSession, EmulatorHandle, EmulatorOptions, RequestLogEntry } from './types.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_OPERATION_DURATION_MS = 300;
export const DEFAULT_MAX_CONCURRENT_OPERATIONS = 10;
export const DEFAULT_IN_USE_DELETE_STATUS = 409;
export const DEFAULT_JOB_RUN_DURATION_MS = 2_000;

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const now = options.now ?? Date.now;
  const store = new EmulatorStore({
    capacity: options.maxConcurrentOperations ?? DEFAULT_MAX_CONCURRENT_OPERATIONS,
    durationMs: options.operationDurationMs ?? DEFAULT_OPERATION_DURATION_MS,
    now,
  });
  const faults = new FaultGate(options.faults, options.random ?? Math.random, now);
  const requests: RequestLogEntry[] = [];
  const logRequests = options.logRequests ?? true;
  let requestCount = 0;
  const server = new EmulatorServer({
    store,
    faults,
    config: {
      legacy: options.legacyApi ?? false,
      inUseDeleteStatus: options.inUseDeleteStatus ?? DEFAULT_IN_USE_DELETE_STATUS,
      outcome: options.outcome ?? defaultOutcome,
      jobRunDurationMs: options.jobRunDurationMs ?? DEFAULT_JOB_RUN_DURATION_MS,
      jobRunOutcome: options.jobRunOutcome ?? (() => 'COMPLETED'),
      maskJobSecrets: options.maskJobSecrets ?? false,
    },
    apiKey: options.apiKey,
    now,
    record(entry, event) {
      requestCount += 1;
      if (logRequests) requests.push(entry);
      options.onRequest?.(event);
    },
  });
  const host = options.host ?? DEFAULT_HOST;
  const port = await server.listen(options.port ?? 0, host);

  const settled = (filter?: { workspaceId?: string; project?: string }): ProjectState[] => {
    const states = store.all(filter);
    for (const state of states) {
      state.book.settle(now(), (operation) => applyEnd(state, operation));
      settleRuns(state.jobs.values(), now());
    }
    return states;
  };

  return {
    url: `http://${urlHost(host)}:${port}${BASE_PATH}`,
    port,
    requests,
    sessions: (filter) => settled(filter).flatMap(sessionsOf),
    seedSession: (session) => store.seedSession(session),
    seedJob: (job) => store.seedJob(job),
    setJobRunStatus: (jobId, runId, status) => store.setJobRunStatus(jobId, runId, status),
    setFaults: (next) => faults.set(next),
    operations: () => settled().flatMap((state) => operationsOf(state, now())),
    requestCount: () => requestCount,
    close: () => server.close(),
  };
}

function sessionsOf(state: ProjectState): EmulatedSession[] {
  return [...state.sessions.values()].map(({ token: _token, ...session }) => ({
    ...session,
    parameters: structuredClone(session.parameters),
    workspaceId: state.workspaceId,
    project: state.project,
  }));
}

function operationsOf(state: ProjectState, now: number): EmulatedOperation[] {
  return state.book.all().map((operation) => ({
    operationId: operation.id,
    kind: operation.kind,
    authSessionId: operation.authSessionId,
    status: phaseAt(operation, now),
    workspaceId: state.workspaceId,
    project: state.project,
  }));
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
