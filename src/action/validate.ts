/**
 * A pull request that cannot be planned (from a fork, or without an API key) is still
 * validated offline, and its comment says why no plan ran. A fork's files never run with the
 * repository's secrets, even under `pull_request_target` where GitHub would provide them.
 */
import { formatProblem } from '../errors.js';
import { loadResources } from '../resources/loader.js';
import { codeSpan } from '../render/markdown-escape.js';
import type { PullRequest } from './event.js';
import type { ActionSettings } from './inputs.js';
import { logOutput, type ActionSecrets } from './masking.js';
import { renderValidateMarkdown } from './markdown.js';
import type { Publisher } from './publish.js';
import type { ActionIO } from './types.js';

export interface ValidateContext {
  io: ActionIO;
  env: Readonly<Record<string, string | undefined>>;
  settings: ActionSettings;
  secrets: ActionSecrets;
  publisher: Publisher;
  pr: PullRequest;
}

/** Returns the step's failure message when the files have problems. */
export async function validateOnly(context: ValidateContext): Promise<string | undefined> {
  const { settings, publisher, pr } = context;
  const load = await loadResources({ dir: settings.dir, env: context.env, requireEnv: false });
  context.secrets.addLoaded(load);
  const log = logOutput(context.io, context.secrets);
  const why = pr.fork ? `this pull request comes from ${pr.headRepo ? `the fork ${pr.headRepo}` : 'a fork that no longer exists'}` : 'the api-key input is empty';
  log.out(`No plan: ${why}. Validating the files offline.`);
  for (const problem of load.problems) log.out(formatProblem(problem));
  publisher.annotate(load.problems);

  const unsetEnv = [...new Set([...load.sessions, ...(load.jobs ?? [])].flatMap((resource) => resource.unsetEnv ?? []))].sort();
  const markdown = renderValidateMarkdown(
    {
      reason: pr.fork
        ? `this pull request comes from ${pr.headRepo ? `the fork ${codeSpan(pr.headRepo)}` : 'a fork that no longer exists'}. GitHub gives workflows of pull requests from forks no secrets, and intuned-gitops never runs a fork's files with them, so it could not read Intuned.`
        : 'the `api-key` input is empty: its secret is not set for this workflow, or GitHub withheld it (pull requests from Dependabot get no Actions secrets).',
      next: pr.fork
        ? "Once merged, the push to the default branch applies these files with the repository's secrets, so review the changes under `intuned-resources/` with that in mind. To see the plan first, a maintainer can push this branch to the repository and open the pull request from there."
        : 'Pass the API key from a secret to the `api-key` input (see the example workflow) to get a plan here.',
      folderFound: load.folderFound || (load.jobFolderFound ?? false),
      sessions: load.sessions.length,
      files: load.fileCount,
      problems: load.problems,
      unsetEnv,
    },
    { footer: publisher.footer, pathOf: publisher.pathOf },
  );
  await publisher.markdown(markdown);
  if (load.problems.length === 0) return undefined;
  const files = new Set(load.problems.map((problem) => problem.file)).size;
  return `${load.problems.length} problem(s) in ${files} resource file(s); no plan ran (${why})`;
}
