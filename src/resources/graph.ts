/**
 * Rules across kinds: a job names the AuthSession it runs with, so sessions and jobs are one
 * graph (each kind's `references`). Offline, a reference that no file declares may still be
 * right (a RECORDER session made in the dashboard exists in Intuned only), so it is a warning;
 * the plan, which sees Intuned, is where a reference that exists nowhere becomes an error.
 */
import type { Problem } from '../errors.js';
import { valueAt, type KindName, type Reference, type ResourceKind } from './kind.js';
import { kindNamed } from './kinds.js';
import { START_OF_FILE, type Position } from './positions.js';

export interface Referrer {
  id: string;
  file: string;
  spec: unknown;
  secretPaths: readonly (readonly (string | number)[])[];
  /** Where a value is in the file. */
  positionOf?: (path: (string | number)[]) => Position | undefined;
}

/** The IDs of `reference.kind` that a resource names (one, for a job's session). */
export function referencedId(spec: unknown, reference: Reference): string | undefined {
  const value = valueAt(spec, reference.path);
  return typeof value === 'string' ? value : undefined;
}

function isSecretPath(referrer: Referrer, path: readonly string[]): boolean {
  return referrer.secretPaths.some((secret) => secret.length === path.length && secret.every((part, index) => part === path[index]));
}

/**
 * `declared`: for each kind, every ID its files give, valid or not (a broken file still
 * declares its ID, and has its own problems).
 */
export function unknownReferenceWarnings(
  kind: ResourceKind,
  referrers: readonly Referrer[],
  declared: ReadonlyMap<KindName, ReadonlySet<string>>,
): Problem[] {
  return kind.references.flatMap((reference) => {
    const target = kindNamed(reference.kind);
    if (!target) return [];
    return referrers.flatMap((referrer) => {
      const id = referencedId(referrer.spec, reference);
      if (id === undefined || declared.get(reference.kind)?.has(id)) return [];
      const field = JSON.stringify(reference.path.join('.'));
      // A name from the environment is secret-bearing like any such value: not shown.
      const named = isSecretPath(referrer, reference.path) ? `an ${target.title} (from \${env:})` : `${target.title} ${JSON.stringify(id)}`;
      return [
        {
          file: referrer.file,
          ...(referrer.positionOf?.([...reference.path]) ?? START_OF_FILE),
          offlineOnly: true as const,
          message:
            `${field} names ${named}, which no file in ${target.folder} declares; ` +
            'fine if it exists in Intuned (a session made in the dashboard, say), otherwise add its file or fix the ID',
        },
      ];
    });
  });
}
