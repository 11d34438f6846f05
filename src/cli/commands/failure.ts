/**
 * The one way a command reports a failure: a line a person can act on, on stderr, and on
 * stdout the error in the format asked for (`--output json`: the error document; `markdown`:
 * an error block), so whatever reads stdout always gets an answer.
 */
import { failureOf, formatErrorReport } from '../../errors.js';
import type { Output } from '../../front-end/io.js';
import type { Mask } from '../../render/error.js';
import { RENDERERS, type OutputFormat } from '../../render/formats.js';

export interface FailureOptions {
  /** For the JSON document, which is written unmasked (a masking output masks text as it writes). */
  mask?: Mask;
}

/** Writes the failure and returns its exit code (`failureOf`, as the Action maps it). */
export function reportFailure(output: Output, format: OutputFormat, error: unknown, options: FailureOptions = {}): number {
  output.err(`${formatErrorReport(error)}\n`);
  const rendered = RENDERERS[format].error(error, options.mask);
  if (rendered !== undefined) output.out(rendered);
  return failureOf(error).exitCode;
}

/** A value of `--output`, or `text` for anything else (an invalid value is itself the error). */
export function outputFormatOf(value: unknown): OutputFormat {
  return value === 'json' || value === 'markdown' ? value : 'text';
}

/**
 * The `--output` of a command line that could not be parsed (a usage error), read from the raw
 * arguments before `--`. Given more than once (itself a usage error), JSON wins over markdown
 * over text: a pipeline that asked for a document gets one.
 */
export function requestedOutput(argv: readonly string[]): OutputFormat {
  const asked = new Set<OutputFormat>();
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--') break;
    if (arg === '--output' && index + 1 < argv.length) asked.add(outputFormatOf(argv[++index]));
    else if (arg.startsWith('--output=')) asked.add(outputFormatOf(arg.slice('--output='.length)));
  }
  return asked.has('json') ? 'json' : asked.has('markdown') ? 'markdown' : 'text';
}
