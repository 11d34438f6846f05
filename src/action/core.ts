/** The runner adapter: `ActionIO` on `@actions/core` (workflow commands, GITHUB_OUTPUT, job summary). */
import * as core from '@actions/core';
import type { ActionIO, Annotation } from './types.js';
import { definedOnly } from '../engine/optional.js';

export function coreIO(): ActionIO {
  const properties = (annotation: Annotation | undefined): core.AnnotationProperties | undefined =>
    annotation && { file: annotation.file, startLine: annotation.startLine, startColumn: annotation.startColumn, ...definedOnly({ title: annotation.title || undefined }) };
  return {
    setSecret: (value) => core.setSecret(value),
    info: (message) => core.info(message),
    warning: (message, annotation) => core.warning(message, properties(annotation)),
    error: (message, annotation) => core.error(message, properties(annotation)),
    setOutput: (name, value) => core.setOutput(name, value),
    async summary(markdown) {
      // Outside a runner (a local try of dist/index.js) there is no summary file to append to.
      if (!process.env.GITHUB_STEP_SUMMARY) return;
      await core.summary.addRaw(markdown, true).write();
    },
    setFailed: (message) => core.setFailed(message),
  };
}
