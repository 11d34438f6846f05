import { StateError } from '../errors.js';
import { STATE_FORMAT_VERSION, stateDocumentSchema, type StateDocument, type StoredFingerprint } from './types.js';

export function parseStateDocument(text: string, where: string): StateDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new StateError(`the state in ${where} is not valid JSON (${(error as Error).message}); restore it from a backup or git history`);
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > STATE_FORMAT_VERSION) {
    throw new StateError(`the state in ${where} has formatVersion ${version}, newer than this intuned-gitops understands (${STATE_FORMAT_VERSION}); upgrade intuned-gitops`);
  }
  const parsed = stateDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue ? issue.path.join('.') || '(top level)' : '';
    throw new StateError(`the state in ${where} does not fit the state format at ${at}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/**
 * Canonical output: fields in the schema's order, sessions and fingerprint maps sorted, so the
 * same state always serializes to the same bytes (a git-backed state diffs cleanly, and an
 * unchanged state makes no commit).
 */
export function serializeState(document: StateDocument): string {
  const canonical = stateDocumentSchema.parse(document);
  const sessions = Object.fromEntries(
    sortedEntries(canonical.sessions).map(([id, session]) => [
      id,
      {
        ...session,
        ...(session.applied ? { applied: sortFingerprint(session.applied) } : {}),
        ...(session.operation?.target ? { operation: { ...session.operation, target: sortFingerprint(session.operation.target) } } : {}),
      },
    ]),
  );
  // Written only once there are jobs, so a sessions-only state keeps its bytes.
  const { jobs: jobRecords, ...rest } = canonical;
  const jobs = Object.fromEntries(
    sortedEntries(jobRecords ?? {}).map(([id, job]) => [id, job.applied ? { ...job, applied: { ...job.applied, secrets: Object.fromEntries(sortedEntries(job.applied.secrets)) } } : job]),
  );
  return `${JSON.stringify({ ...rest, sessions, ...(Object.keys(jobs).length > 0 ? { jobs } : {}) }, null, 2)}\n`;
}

function sortFingerprint(fingerprint: StoredFingerprint): StoredFingerprint {
  return { ...fingerprint, parameters: Object.fromEntries(sortedEntries(fingerprint.parameters)), settings: Object.fromEntries(sortedEntries(fingerprint.settings)) };
}

function sortedEntries<T>(record: Record<string, T>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
