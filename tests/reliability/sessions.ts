/** The standard set of declared sessions the fault tests start from. */
import { expand } from './invariants.js';
import type { Project } from '../helpers/project.js';
import { baseEnv, ENV_SECRETS, secretSession } from './secrets.js';

export const SESSIONS = 5;
export const IDS = Array.from({ length: SESSIONS }, (_, index) => `s-${index}`);
/** An `${env:}` value rotated between runs, so every session needs an update (still a planted value). */
export const ROTATED_ENV = { REL_PASSWORD: `${ENV_SECRETS.REL_PASSWORD}-rotated` };

export async function writeSessions(project: Project): Promise<void> {
  for (let index = 0; index < SESSIONS; index += 1) await project.file(`s-${index}.auth-session.json`, secretSession(index));
}

/** What Intuned must hold for the standard sessions under `env`. */
export function expectedSessions(env: Record<string, string> = {}): Record<string, Record<string, unknown>> {
  const values = { ...baseEnv(''), ...env };
  return Object.fromEntries(IDS.map((id, index) => [id, expand(secretSession(index).parameters, values)]));
}

/** `{id: count}` for every standard session. */
export function each(count: number): Record<string, number> {
  return Object.fromEntries(IDS.map((id) => [id, count]));
}

/** Session IDs whose line in `text` matches `pattern(id)`. */
export function named(text: string, pattern: (id: string) => string): string[] {
  return IDS.filter((id) => new RegExp(pattern(id)).test(text));
}
