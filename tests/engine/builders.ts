/** In-memory builders for the pure core: desired files, remote sessions, state. */
import type { RemoteAuthSession } from '../../src/api/types.js';
import type { DesiredSession } from '../../src/resources/types.js';
import { deriveStateKey, fingerprintSession, type Fingerprint } from '../../src/engine/fingerprint.js';
import { plan, type PlanInput } from '../../src/engine/plan.js';
import type { InUse } from '../../src/engine/types.js';
import { emptyState, type SessionState, type StateDocument } from '../../src/state/types.js';
import type { OperationResult } from '../../src/api/types.js';

export const KEY = deriveStateKey({ apiKey: 'test-api-key', workspaceId: 'ws', project: 'proj' });

export function remote(id: string, type = 'CREDENTIALS', status = 'READY'): RemoteAuthSession {
  return { id, type, status };
}

export function fingerprintOf(session: DesiredSession): Fingerprint {
  return fingerprintSession(KEY.key, session.id, session.spec);
}

/** A state that owns each session, recorded as applied with the given desired sessions' values. */
export function stateWith(applied: DesiredSession[], extra: Record<string, SessionState> = {}): StateDocument {
  const document = emptyState({ workspaceId: 'ws', project: 'proj', keyId: KEY.id });
  for (const session of applied) document.sessions[session.id] = { file: session.file, applied: fingerprintOf(session), appliedAt: '2026-01-01T00:00:00.000Z' };
  Object.assign(document.sessions, extra);
  return document;
}

export interface Scenario {
  desired?: DesiredSession[];
  remote?: RemoteAuthSession[];
  state?: StateDocument;
  inUse?: Record<string, InUse>;
  pendingResults?: Record<string, OperationResult | undefined>;
  keyMatches?: boolean;
  force?: boolean;
  /** Where a state was looked for and not found. */
  missingState?: string;
}

export function planOf(scenario: Scenario) {
  const sessions = scenario.desired ?? [];
  const input: PlanInput = {
    desired: sessions,
    remote: scenario.remote ?? [],
    state: scenario.state ?? emptyState({ workspaceId: 'ws', project: 'proj', keyId: KEY.id }),
    fingerprints: new Map(sessions.map((session) => [session.id, fingerprintOf(session)])),
    keyMatches: scenario.keyMatches ?? true,
    inUse: new Map(Object.entries(scenario.inUse ?? {})),
    pendingResults: new Map(Object.entries(scenario.pendingResults ?? {})),
    ...(scenario.missingState ? { missingState: scenario.missingState } : {}),
  };
  return plan(input, { force: scenario.force ?? false });
}

/** id → action: reason, for compact assertions. */
export function summaryOf(scenario: Scenario): string[] {
  return planOf(scenario).entries.map((entry) => `${entry.action} ${entry.id}: ${entry.reason}`);
}
