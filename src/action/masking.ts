/**
 * Secrets in the Action: the run's one `RunSecrets`, whose every value is registered with the
 * runner (`::add-mask::`) as it is learned, before anything could print it. The runner masks
 * its log; `secrets.mask` masks what the runner does not see: the PR comment, the job summary
 * and the outputs.
 */
import type { Output } from '../front-end/io.js';
import { RunSecrets } from '../secrets.js';
import type { ActionInputs } from './inputs.js';
import type { ActionIO } from './types.js';

/** Whatever the inputs turn out to say, these are secrets from the start. */
export function actionSecrets(io: ActionIO, inputs: ActionInputs, env: Readonly<Record<string, string | undefined>>): RunSecrets {
  const keys = { apiKey: inputs['api-key'] ?? '', stateKey: env.INTUNED_GITOPS_STATE_KEY, others: [env.INTUNED_API_KEY, inputs['github-token']] };
  return new RunSecrets(keys, {
    onSecret: (value) => {
      io.setSecret(value);
      // The runner masks line by line: a multi-line value is registered per line too.
      for (const line of value.split(/\r?\n/)) if (line.trim() && line !== value) io.setSecret(line);
    },
  });
}

/** The log as an `Output` (progress and renderers write to it), masked. */
export function logOutput(io: ActionIO, secrets: RunSecrets): Output {
  const write = (text: string) => {
    const trimmed = text.endsWith('\n') ? text.slice(0, -1) : text;
    if (trimmed) io.info(secrets.mask(trimmed));
  };
  return { out: write, err: write, interactive: false };
}
