/** The tests' one builder of desired sessions: a declared file as the loader returns it. */
import type { AuthSessionSpec, DesiredSession } from '../../src/resources/types.js';

export function sessionFile(id: string, folder = ''): string {
  return `intuned-resources/auth-sessions/${folder ? `${folder}/` : ''}${id}.auth-session.jsonc`;
}

/** A session `id` in its own file, with `parameters` (a username and password by default) and any other spec fields. */
export function desired(
  id: string,
  parameters: Record<string, unknown> = { username: `${id}-user`, password: `${id}-pw` },
  extra: Partial<AuthSessionSpec> = {},
  secrets: string[] = [],
): DesiredSession {
  return { id, file: sessionFile(id), spec: { parameters, ...extra }, secrets };
}

/** The body of a session file on disk: `parameters` and any other spec fields. */
export function session(parameters: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { parameters, ...extra };
}
