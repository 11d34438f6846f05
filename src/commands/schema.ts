/** `intuned-gitops schema`: the JSON Schema of a resource file, as committed in `schemas/`. */
import { EXIT_OK } from '../errors.js';
import type { Output } from '../io.js';
import { authSessionJsonSchemaText } from '../resources/schema.js';

export function schemaCommand(options: { output: Output }): number {
  options.output.out(authSessionJsonSchemaText());
  return EXIT_OK;
}
