/**
 * The tool's record of what it owns and what it last applied. It never holds a secret: only
 * keyed fingerprints (src/engine/fingerprint.ts), IDs, file paths, operation IDs and the
 * API's own failure messages.
 */
import { z } from 'zod';
import type { StateLocking } from './lock.js';
import { AUTH_SESSION_ID_MIN_LENGTH, AUTH_SESSION_ID_PATTERN } from '../resources/schema.js';
import { JOB_ID_MIN_LENGTH, JOB_ID_PATTERN } from '../resources/job-schema.js';
import { putSession, sessionRecords, type Records } from './sessions.js';

export const STATE_FORMAT_VERSION = 1;

/**
 * Fingerprints by parameter name, into a record with no prototype. Not `z.record`: it drops a
 * `__proto__` key, and `__proto__` is a parameter name like any other, so its fingerprint would
 * be lost on every read and a change of its value never planned.
 */
function fingerprintsByName() {
  return z
    .custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'expected an object of fingerprints by name')
    .transform((raw, context) => {
      const records = Object.create(null) as Record<string, string>;
      for (const [name, value] of Object.entries(raw)) {
        if (typeof value === 'string') Object.defineProperty(records, name, { value, enumerable: true, writable: true, configurable: true });
        else context.addIssue({ code: 'custom', message: 'expected a fingerprint string', path: [name] });
      }
      return records;
    });
}

const fingerprintSchema = z.object({
  session: z.string(),
  parameters: fingerprintsByName(),
  settings: fingerprintsByName(),
});

const operationSchema = z.object({
  kind: z.enum(['create', 'update', 'delete']),
  /**
   * starting: about to call the API (a kill now leaves the outcome unknown);
   * started: the API answered with an operation ID that a later run can poll;
   * the others are final outcomes of the last operation.
   */
  status: z.enum(['starting', 'started', 'succeeded', 'failed', 'canceled', 'skipped']),
  operationId: z.string().optional(),
  /** What the operation applies; becomes `applied` when it succeeds. */
  target: fingerprintSchema.optional(),
  at: z.string(),
  message: z.string().optional(),
  code: z.string().optional(),
});

const sessionStateSchema = z.object({
  /**
   * false: the tool does not own a session with this ID. Its last create or adopting update was
   * refused, or failed and left no session, so whatever holds the ID now was made by someone
   * else: it is never deleted, and is listed as unmanaged once its file goes. The record only
   * remembers why the last attempt failed. Absent: owned (a create or update the API accepted,
   * or one whose outcome is unknown).
   */
  owned: z.literal(false).optional(),
  /** The resource file that declared it when last applied. */
  file: z.string().optional(),
  /** Fingerprint of what Intuned is known to hold. Absent: unknown (adopted, or never confirmed). */
  applied: fingerprintSchema.optional(),
  appliedAt: z.string().optional(),
  operation: operationSchema.optional(),
});

const sessionIdSchema = z.string().min(AUTH_SESSION_ID_MIN_LENGTH).regex(AUTH_SESSION_ID_PATTERN, 'not a valid AuthSession ID');
const jobIdSchema = z.string().min(JOB_ID_MIN_LENGTH).regex(JOB_ID_PATTERN, 'not a valid Job ID');

/** What was applied to a job: the whole body, and each secret-bearing value by path. */
const jobFingerprintSchema = z.object({ job: z.string(), secrets: fingerprintsByName() });

const jobStateSchema = z.object({
  /** As for sessions: false when the job with this ID is not the tool's (its create was refused). */
  owned: z.literal(false).optional(),
  file: z.string().optional(),
  /** Fingerprints of what Intuned is known to hold. Absent: unknown (adopted, or not confirmed). */
  applied: jobFingerprintSchema.optional(),
  appliedAt: z.string().optional(),
  /**
   * The last write. Jobs are written by one request each, so `starting` means a request was
   * sent and its answer never recorded (a kill, a lost connection): its outcome is unknown.
   */
  operation: z
    .object({
      kind: z.enum(['create', 'update', 'delete']),
      status: z.enum(['starting', 'succeeded', 'failed', 'skipped']),
      at: z.string(),
      message: z.string().optional(),
      code: z.string().optional(),
    })
    .optional(),
});

/**
 * Records by ID, checked entry by entry into records with no prototype (sessions.ts).
 * Not `z.record`: it drops a `__proto__` key, unchecked, and `__proto__` is a valid ID, so a
 * resource with that ID would never be recorded and would be changed again on every apply.
 */
function recordsSchema<T>(idSchema: z.ZodType<string>, recordSchema: z.ZodType<T>, noun: string) {
  return z
    .custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), `expected an object of ${noun} by ID`)
    .transform((raw, context) => {
      const records = sessionRecords<T>();
      for (const [id, value] of Object.entries(raw)) {
        const key = idSchema.safeParse(id);
        const record = recordSchema.safeParse(value);
        for (const issue of [...(key.error?.issues ?? []), ...(record.error?.issues ?? [])]) {
          context.addIssue({ code: 'custom', message: issue.message, path: [id, ...issue.path] });
        }
        if (key.success && record.success) putSession(records, id, record.data);
      }
      return records;
    });
}

export const stateDocumentSchema = z.object({
  formatVersion: z.literal(STATE_FORMAT_VERSION),
  workspaceId: z.string(),
  project: z.string(),
  /** Which key made the fingerprints (not the key). */
  keyId: z.string(),
  /**
   * Every session here is owned (the tool may update and delete it) unless marked `owned:
   * false`. Keys must be IDs the API could hold, so a hand-edited state cannot aim a delete at
   * another path.
   */
  sessions: recordsSchema(sessionIdSchema, sessionStateSchema, 'sessions'),
  /** The jobs, by the same rules; absent until the tool records a job (a state from before jobs has none). */
  jobs: recordsSchema(jobIdSchema, jobStateSchema, 'jobs').optional(),
});

export type StateDocument = z.infer<typeof stateDocumentSchema>;
export type SessionState = z.infer<typeof sessionStateSchema>;
export type JobState = z.infer<typeof jobStateSchema>;
export type JobRecords = Records<JobState>;
export type JobFingerprint = z.infer<typeof jobFingerprintSchema>;
export type OperationRecord = z.infer<typeof operationSchema>;
export type StoredFingerprint = z.infer<typeof fingerprintSchema>;

/** Where the state lives. Adapters: `file:` (file.ts) and `git:` (git.ts). */
export interface StateBackend {
  /** For messages, e.g. `file:.intuned-gitops/state.json`. */
  readonly description: string;
  /** undefined when there is no state yet. */
  read(): Promise<StateDocument | undefined>;
  /** Durable, atomic checkpoint; called often during an apply. */
  write(document: StateDocument): Promise<void>;
  /** Called once when an apply ends (e.g. commit and push); may throw a StateError on conflict. */
  finish?(document: StateDocument): Promise<void>;
  /** One apply at a time (lock.ts); a backend without it (an in-memory fake) is not locked. */
  readonly locking?: StateLocking;
}

export function emptyState(options: { workspaceId: string; project: string; keyId: string }): StateDocument {
  return { formatVersion: STATE_FORMAT_VERSION, ...options, sessions: sessionRecords(), jobs: sessionRecords<JobState>() };
}
