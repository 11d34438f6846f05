/**
 * The file `import --kind auth-session` writes for a CREDENTIALS session: a skeleton, because
 * Intuned never returns a session's parameters. Its parameters are placeholders read from
 * variables that are not set yet, so until the user fills them in, `validate` and `plan` name
 * what is missing and nothing is sent: applying the skeleton as it is cannot log in with blanks.
 */
import type { RemoteAuthSession } from '../engine/port.js';
import { envNameFor, type EnvNames } from './env-names.js';
import { importPath, type ImportedFile } from './job-import.js';
import { AUTH_SESSION_KIND } from './kinds.js';
import { AUTH_SESSION_SCHEMA_ID } from './schema.js';

/** A guess at what a login takes, said to be one in the file and in the output. */
export const PLACEHOLDER_PARAMETERS = ['username', 'password'] as const;

/** The only sessions a file can manage (engine/plan.ts refuses the others). */
export const IMPORTABLE_SESSION_TYPE = 'CREDENTIALS';

/** Why a session can never be managed from a file, if it cannot. */
export function unmanageableSession(session: RemoteAuthSession): string | undefined {
  if (session.type === IMPORTABLE_SESSION_TYPE) return undefined;
  return `it is a ${session.type} session; only ${IMPORTABLE_SESSION_TYPE} sessions can be managed from files`;
}

/** The skeleton for a CREDENTIALS session (the caller leaves out the others: `unmanageableSession`). */
export function sessionSkeletonText(session: RemoteAuthSession, names: EnvNames): ImportedFile {
  const parameters: Record<string, string> = {};
  const env: string[] = [];
  for (const parameter of PLACEHOLDER_PARAMETERS) {
    const name = names.claim(envNameFor(['AUTH_SESSION', session.id], [parameter]));
    parameters[parameter] = `\${env:${name}}`;
    env.push(name);
  }
  const lines = [
    `// Imported from Intuned by \`intuned-gitops import\`: AuthSession "${session.id}" (${session.type}).`,
    "// Intuned never returns a session's parameters, so these are placeholders, and the names",
    '// "username" and "password" are a guess: write the parameters your auth-sessions/create code',
    '// expects, each secret as ${env:NAME}. The next apply adopts the session by running its login',
    '// once with them; until the variables are set, validate and plan say so and nothing is sent.',
    JSON.stringify({ $schema: AUTH_SESSION_SCHEMA_ID, parameters }, null, 2),
  ];
  return { ok: true, file: importPath(AUTH_SESSION_KIND, session.id), text: `${lines.join('\n')}\n`, env };
}
