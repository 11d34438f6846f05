/** `intuned-gitops schema [auth-session|job]`: the JSON Schema of a resource file, as committed in `schemas/`. */
import { EXIT_OK } from '../../errors.js';
import type { Output } from '../../front-end/io.js';
import { AUTH_SESSION_KIND, kindNamed } from '../../resources/kinds.js';

/** `kind` is checked by the command line (a choice); absent means `auth-session`. */
export function schemaCommand(options: { output: Output; kind?: string }): number {
  const kind = options.kind === undefined ? AUTH_SESSION_KIND : kindNamed(options.kind);
  if (!kind) throw new Error(`unknown resource kind ${JSON.stringify(options.kind)}`);
  options.output.out(kind.jsonSchemaText());
  return EXIT_OK;
}
