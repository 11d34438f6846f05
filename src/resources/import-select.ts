/**
 * Which resources `import` writes files for, decided from data alone: what Intuned holds, the IDs
 * the project's files declare and the IDs the state owns. A resource is unmanaged when no file
 * declares it and the state does not own it. Without IDs, every unmanaged one is imported; with
 * IDs, exactly those, and each that is declared, owned or absent is a failure saying what to do.
 */
import { compareIds } from '../engine/order.js';
import type { ResourceKind } from './kind.js';

export type Selection<Resource> =
  | { id: string; action: 'import'; resource: Resource }
  /** Not asked for by ID and never manageable from a file (a RECORDER session): listed, not an error. */
  | { id: string; action: 'skip'; reason: string }
  | { id: string; action: 'fail'; reason: string };

export interface SelectInput<Resource extends { id: string }> {
  kind: Pick<ResourceKind, 'title' | 'ids'>;
  remote: readonly Resource[];
  /** Declared IDs and the file that declares each. */
  declared: ReadonlyMap<string, string>;
  owned: ReadonlySet<string>;
  /** IDs given on the command line; empty: every unmanaged resource. */
  asked: readonly string[];
  /** For messages: `file:.intuned-gitops/state.json`. */
  stateDescription: string;
  /** Why a resource can never be managed from a file, if it cannot. */
  unmanageable?: (resource: Resource) => string | undefined;
}

function fileNameProblem(id: string, ids: ResourceKind['ids']): string | undefined {
  if (id.length >= ids.minLength && ids.pattern.test(id)) return undefined;
  return `its ID cannot be a file name (one of at least ${ids.minLength} of ${ids.allowed}), so no file can declare it; nothing was written`;
}

export function selectImports<Resource extends { id: string }>(input: SelectInput<Resource>): Selection<Resource>[] {
  const { kind, declared, owned } = input;
  const remote = new Map(input.remote.map((resource) => [resource.id, resource]));
  const asked = input.asked.length > 0;
  const ids = asked ? [...new Set(input.asked)] : [...remote.keys()].filter((id) => !declared.has(id) && !owned.has(id));
  return ids.sort(compareIds).map((id): Selection<Resource> => {
    const named = `${kind.title} ${JSON.stringify(id)}`;
    const fail = (reason: string) => ({ id, action: 'fail' as const, reason: `${named}: ${reason}` });
    const file = declared.get(id);
    if (file !== undefined) return fail(`already declared by ${file}; nothing to import`);
    if (owned.has(id)) {
      return fail(
        `intuned-gitops manages it (the state ${input.stateDescription} owns it) and no file declares it any more, so the next apply deletes it; to keep it, restore its file (from git history, say) instead of importing it`,
      );
    }
    const resource = remote.get(id);
    if (!resource) return fail('Intuned holds none with this ID in this project; check the ID and --project');
    const problem = fileNameProblem(id, kind.ids) ?? input.unmanageable?.(resource);
    if (problem === undefined) return { id, action: 'import', resource };
    return asked ? fail(problem) : { id, action: 'skip', reason: `${named}: ${problem}` };
  });
}
