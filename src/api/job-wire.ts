/**
 * The job list (`GET /jobs`), read twice over. Its names, state and reason are read from the
 * masked body, like every other answer. Its definitions are read from the body as Intuned sent
 * it: the engine compares their secret values (sink headers, S3 keys, the proxy) with the
 * files' in memory, where a masked value would look like drift or hide it. A definition that
 * does not fit is reported by its path only, so its values never reach a message.
 */
import { z } from 'zod';
import type { Job, JobDefinition } from './types.js';
import { compact, optionalText, parseWire, sessionRefSchema, type WireParse } from './wire.js';

const jobSchema = z.object({
  id: z.string(),
  state: optionalText,
  auth_session: sessionRefSchema
    .extend({ checkAttempts: z.number().nullish(), createAttempts: z.number().nullish() })
    .nullish(),
  // The published "get job" reference spells it camelCase; accepted as well.
  authSession: sessionRefSchema.nullish(),
  // Only shown to people: one that does not fit is dropped rather than failing the whole list.
  reason: z.object({ type: z.string(), message: optionalText }).nullish().catch(undefined),
});

/** Checked, not copied: the value stays Intuned's exactly (a copy could lose a `__proto__` key). */
const wireObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'expected an object',
);

/**
 * Only the fields a job file holds: list-only ones (`workspace_id`, `project_id`, `created_at`,
 * `next_run_time`, `schedule_id`, ...) are left out, and so are keys a newer API adds.
 */
const definitionSchema = z.object({
  payload: z.array(z.unknown()).nullish(),
  configuration: wireObject.nullish(),
  schedule: wireObject.nullish(),
  sink: wireObject.nullish(),
  // A string on write and in get-one; an object `{version, url}` in the list.
  proxy: z.union([z.string(), z.object({ url: z.string().nullish() })]).nullish(),
  auth_session: wireObject.nullish(),
  authSession: wireObject.nullish(),
});

type WireJob = z.infer<typeof jobSchema>;
type WireDefinition = z.infer<typeof definitionSchema>;

/** `masked` is the body after `maskWire`, `raw` the same body as parsed: two views of one list. */
export function parseJobList(masked: unknown, raw: unknown): WireParse<Job[]> {
  const jobs = parseWire(z.array(jobSchema), masked);
  if (!jobs.ok) return jobs;
  const definitions = parseWire(z.array(definitionSchema), raw);
  if (!definitions.ok) return definitions;
  return { ok: true, value: jobs.value.map((job, index) => toJob(job, definitions.value[index]!)) };
}

function toJob(wire: WireJob, definition: WireDefinition): Job {
  const session = wire.auth_session ?? wire.authSession ?? null;
  const attempts = wire.auth_session;
  return compact({
    id: wire.id,
    state: wire.state ?? undefined,
    auth_session: session && compact({
      id: session.id,
      checkAttempts: attempts?.checkAttempts ?? undefined,
      createAttempts: attempts?.createAttempts ?? undefined,
    }),
    definition: toDefinition(definition),
    stateReason: wire.reason ? { type: wire.reason.type, message: wire.reason.message ?? '' } : undefined,
  });
}

/** Absent stays absent and null stays null: the engine tells "not given" from "cleared". */
function toDefinition(wire: WireDefinition): JobDefinition {
  const proxy = wire.proxy;
  return compact({
    // Required in the list and never null on write: a null from a looser server means not given.
    payload: wire.payload ?? undefined,
    configuration: wire.configuration ?? undefined,
    schedule: wire.schedule,
    sink: wire.sink,
    proxy: proxy === undefined || proxy === null || typeof proxy === 'string' ? proxy : (proxy.url ?? null),
    auth_session: wire.auth_session !== undefined ? wire.auth_session : wire.authSession,
  });
}
