import { StateError } from '../errors.js';
import { STATE_FORMAT_VERSION, stateDocumentSchema, type StateDocument } from './types.js';

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

/** Stable output (sessions sorted) so a git-backed state diffs cleanly. */
export function serializeState(document: StateDocument): string {
  const sessions = Object.fromEntries(Object.keys(document.sessions).sort().map((id) => [id, document.sessions[id]]));
  return `${JSON.stringify({ ...document, sessions }, null, 2)}\n`;
}
