/**
 * Rules across kinds: a job names the AuthSession it runs with, so sessions and jobs are one
 * graph. Offline, a reference that no session file declares may still be right (a RECORDER
 * session made in the dashboard exists in Intuned only), so it is a warning; the plan, which
 * sees Intuned, is where a reference that exists nowhere becomes an error.
 */
import type { Problem } from '../errors.js';
import { START_OF_FILE, type Position } from './positions.js';
import type { DesiredJob } from './types.js';

export interface JobReference {
  job: DesiredJob;
  /** Where `auth_session.id` is in the job's file. */
  position?: Position;
}

const SESSION_ID_PATH = ['auth_session', 'id'] as const;

/** The AuthSession a job references, if any. */
export function referencedSession(job: DesiredJob): string | undefined {
  return job.spec.auth_session?.id;
}

function fromEnvironment(job: DesiredJob): boolean {
  return job.secretPaths.some((path) => path.length === 2 && path[0] === SESSION_ID_PATH[0] && path[1] === SESSION_ID_PATH[1]);
}

/** `declared`: every session ID a session file gives, valid or not (a broken file still declares it). */
export function unknownSessionWarnings(references: readonly JobReference[], declared: ReadonlySet<string>): Problem[] {
  return references.flatMap(({ job, position }) => {
    const id = referencedSession(job);
    if (id === undefined || declared.has(id)) return [];
    // A name from the environment is secret-bearing like any such value: not shown.
    const named = fromEnvironment(job) ? 'an AuthSession (from ${env:})' : `AuthSession ${JSON.stringify(id)}`;
    return [
      {
        file: job.file,
        ...(position ?? START_OF_FILE),
        message:
          `"auth_session.id" names ${named}, which no file in intuned-resources/auth-sessions declares; ` +
          'fine if it exists in Intuned (a session made in the dashboard, say), otherwise add its file or fix the ID',
      },
    ];
  });
}

export { SESSION_ID_PATH };
