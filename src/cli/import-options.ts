/**
 * The options of `import`, declared apart from `main.ts` so that its help is complete without
 * loading the command, and the command gets its flags as one typed object.
 */
import type { Argv } from 'yargs';
import { DEFAULT_API_URL, DEFAULT_STATE } from '../defaults.js';
import type { ImportFlags } from './commands/import-settings.js';

export function importOptions<T>(argv: Argv<T>) {
  return argv
    .positional('ids', { type: 'string', array: true, describe: 'IDs to import (default: every unmanaged one of the kind)' })
    .option('kind', { type: 'string', choices: ['job', 'auth-session'], default: 'job', describe: 'what to import: jobs (whole definitions) or auth-session skeletons (Intuned never returns parameters)' })
    .option('dir', { type: 'string', describe: 'project directory holding intuned-resources/', default: '.' })
    .option('project', { type: 'string', describe: 'Intuned project name [env INTUNED_PROJECT]' })
    .option('workspace-id', { type: 'string', describe: 'Intuned workspace ID [env INTUNED_WORKSPACE_ID]' })
    .option('api-url', { type: 'string', describe: 'Intuned API base URL [env INTUNED_API_URL]', defaultDescription: DEFAULT_API_URL })
    .option('state', { type: 'string', describe: 'state location, file:PATH or git:BRANCH, relative to --dir: read only, to leave out what it owns [env INTUNED_GITOPS_STATE]', defaultDescription: DEFAULT_STATE })
    .option('output', { type: 'string', choices: ['text', 'json'], default: 'text', describe: 'output format on stdout' })
    .epilog(
      'Writes intuned-resources/jobs/<id>.job.jsonc (or auth-sessions/<id>.auth-session.jsonc) for each resource in ' +
        'Intuned that no file declares and the state does not own. It never overwrites a file and records nothing: ' +
        'the next apply adopts what was written. Secrets become ${env:NAME} references, and the names to set are ' +
        'printed. INTUNED_API_KEY (environment only) is required.',
    );
}

/** The flags yargs parsed, as the command takes them. */
export function importFlags(args: Record<string, unknown>): ImportFlags {
  return {
    dir: args.dir as string,
    project: args.project as string | undefined,
    workspaceId: args.workspaceId as string | undefined,
    apiUrl: args.apiUrl as string | undefined,
    state: args.state as string | undefined,
    output: args.output as string,
    kind: args.kind as string,
    // Words after `--` (an ID that starts with "-") come in `_`, after the command's name.
    ids: [...((args.ids as unknown[] | undefined) ?? []), ...((args._ as unknown[] | undefined) ?? []).slice(1)].map(String),
  };
}
