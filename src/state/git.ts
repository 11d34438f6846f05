/** Placeholder until the git backend lands (issue 5): says so instead of failing obscurely. */
import { InputError } from '../errors.js';
import type { StateBackend } from './types.js';

export function gitStateBackend(options: { branch: string; dir: string; spec: string }): StateBackend {
  throw new InputError(`${options.spec}: the git: state backend is not available in this build; use file:PATH`);
}
