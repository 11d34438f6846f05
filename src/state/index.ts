/** Picks the state backend from `--state` / INTUNED_GITOPS_STATE: `file:PATH` or `git:BRANCH`. */
import { InputError } from '../errors.js';
import { fileStateBackend } from './file.js';
import type { StateBackend } from './types.js';

import { DEFAULT_STATE } from '../defaults.js';

export async function openStateBackend(spec: string, dir: string): Promise<StateBackend> {
  const colon = spec.indexOf(':');
  const scheme = colon > 0 ? spec.slice(0, colon) : '';
  const target = spec.slice(colon + 1);
  if (scheme === 'file' && target) return fileStateBackend({ path: target, dir, spec });
  if (scheme === 'git' && target) {
    const { gitStateBackend } = await import('./git.js');
    return gitStateBackend({ branch: target, dir, spec });
  }
  throw new InputError(`--state ${JSON.stringify(spec)} is not a state location: use file:PATH (e.g. ${DEFAULT_STATE}) or git:BRANCH (e.g. git:intuned-gitops-state)`);
}
