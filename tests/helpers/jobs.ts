/** The tests' one builder of jobs: a declared job file as the loader returns it, and a job as Intuned lists it. */
import type { Job, JobDefinition } from '../../src/engine/port.js';
import type { DesiredJob, JobSpec } from '../../src/resources/types.js';
import { JOB_KIND } from '../../src/resources/kinds.js';
import { secretPaths } from '../../src/resources/kind.js';
import { pathKey } from '../../src/resources/body.js';

export function jobFile(id: string, folder = ''): string {
  return `intuned-resources/jobs/${folder ? `${folder}/` : ''}${id}.job.jsonc`;
}

/** The smallest job a file can declare: one API, default configuration, optionally a session. */
export function jobSpec(session?: string, extra: Partial<JobSpec> = {}): JobSpec {
  return {
    payload: [{ apiName: 'orders/export', parameters: { since: 'yesterday' } }],
    configuration: {},
    ...(session ? { auth_session: { id: session } } : {}),
    ...extra,
  };
}

/**
 * A job file's job. `fromEnv`: paths (as written, e.g. `['payload', 0, 'parameters', 'token']`)
 * whose value came from `${env:}`; the kind's secret fields are added as the loader adds them.
 */
export function desiredJob(id: string, spec: JobSpec = jobSpec(), fromEnv: (string | number)[][] = []): DesiredJob {
  const substituted = new Set(fromEnv.map((path) => pathKey(path)));
  return { id, file: jobFile(id), spec, secrets: [], secretPaths: secretPaths(spec, JOB_KIND.secretFields, substituted) };
}

/**
 * A job as Intuned's list gives it: the file's definition with the defaults Intuned fills in
 * (request timeouts 600, attempts 3, `skipOnFail` false), as the emulator answers too.
 */
export function remoteJob(id: string, spec: JobSpec = jobSpec(), options: { state?: string; definition?: JobDefinition } = {}): Job {
  const definition = options.definition ?? withIntunedDefaults(spec);
  const session = definition.auth_session as { id: string } | null | undefined;
  return { id, state: options.state ?? 'ACTIVE', auth_session: session ? { id: session.id } : null, definition };
}

export function withIntunedDefaults(spec: JobSpec): JobDefinition {
  const run = <T extends { requestTimeout?: number; retry?: { maximumAttempts?: number } }>(item: T) => ({
    ...item,
    requestTimeout: item.requestTimeout ?? 600,
    ...(item.retry ? { retry: { maximumAttempts: 3, ...item.retry } } : {}),
  });
  return structuredClone({
    payload: spec.payload.map(run),
    configuration: run(spec.configuration),
    schedule: spec.schedule ?? null,
    sink: spec.sink ? { skipOnFail: false, ...spec.sink } : null,
    proxy: spec.proxy ?? null,
    auth_session: spec.auth_session ? { checkAttempts: 3, createAttempts: 3, ...spec.auth_session } : null,
  }) as unknown as JobDefinition;
}
