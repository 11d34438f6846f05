/** The settings of `import`: where to read and write, which project, which kind, which IDs. */
import { DEFAULT_STATE } from '../../defaults.js';
import { InputError } from '../../errors.js';
import type { KindName } from '../../resources/kind.js';
import { missingTarget, nonEmpty, resolveConfig, type RunConfig } from '../../front-end/settings.js';
import { definedOnly } from '../../engine/optional.js';

export interface ImportFlags {
  dir?: string;
  project?: string;
  workspaceId?: string;
  apiUrl?: string;
  state?: string;
  output?: string;
  kind?: string;
  ids?: readonly string[];
}

export interface ImportSettings {
  config: RunConfig;
  output: 'text' | 'json';
  kind: KindName;
  dir: string;
  state: string;
  ids: readonly string[];
}

export function importSettings(flags: ImportFlags, env: Record<string, string | undefined>): ImportSettings {
  const config = resolveConfig(
    { ...definedOnly({ project: flags.project, workspaceId: flags.workspaceId, apiUrl: flags.apiUrl }), names: { concurrency: '--concurrency', timeout: '--timeout', apiGeneration: 'INTUNED_API_GENERATION' } },
    env,
  );
  const missing = missingTarget(config, { project: 'the project: --project or INTUNED_PROJECT', workspaceId: 'the workspace ID: --workspace-id or INTUNED_WORKSPACE_ID', apiKey: 'the API key: INTUNED_API_KEY (environment only, never a flag)' });
  if (missing.length > 0) throw new InputError(`missing settings: ${missing.join('; ')}`);
  const output = flags.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new InputError(`--output ${JSON.stringify(output)} is not one of text, json`);
  // Jobs by default: their definitions can be read back, so their files are whole.
  const kind = flags.kind ?? 'job';
  if (kind !== 'job' && kind !== 'auth-session') throw new InputError(`--kind ${JSON.stringify(kind)} is not one of job, auth-session`);
  const dir = flags.dir ?? '.';
  const state = flags.state ?? nonEmpty(env.INTUNED_GITOPS_STATE) ?? DEFAULT_STATE;
  return { config, output, kind, dir, state, ids: flags.ids ?? [] };
}
