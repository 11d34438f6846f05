/**
 * A job file's spec to Intuned's request bodies. Whether an update that omits an optional
 * field keeps or clears it is unconfirmed, so an update sends every field, `null` to clear.
 */
import type { JobSpec } from './types.js';

const OPTIONAL_FIELDS = ['auth_session', 'schedule', 'sink', 'proxy'] as const;

export function jobCreateBody(id: string, spec: JobSpec): Record<string, unknown> {
  return { id, ...spec };
}

export function jobUpdateBody(spec: JobSpec): Record<string, unknown> {
  const body: Record<string, unknown> = { payload: spec.payload, configuration: spec.configuration };
  for (const field of OPTIONAL_FIELDS) body[field] = spec[field] ?? null;
  return body;
}
