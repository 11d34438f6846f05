/** Where a command writes. The CLI passes process streams; tests pass buffers. */
import { maskSecrets } from '../secrets.js';

export interface Output {
  /** stdout: the command's result (the only thing on it with --output json). */
  out(text: string): void;
  /** stderr: progress, warnings, errors. */
  err(text: string): void;
  /** True when stderr is an interactive terminal (live progress, prompts). */
  readonly interactive: boolean;
}

export function processOutput(): Output {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    interactive: Boolean(process.stderr.isTTY) && process.env.CI !== 'true',
  };
}

/** An Output that masks the run's secrets (read at each write: the list grows as the files load). */
export function maskingOutput(output: Output, secrets: () => readonly string[]): Output {
  return {
    out: (text) => output.out(maskSecrets(text, secrets())),
    err: (text) => output.err(maskSecrets(text, secrets())),
    interactive: output.interactive,
  };
}

/** An Output that keeps everything, for tests. */
export function bufferOutput(interactive = false): Output & { stdout: string; stderr: string } {
  const buffer = {
    stdout: '',
    stderr: '',
    interactive,
    out(text: string) {
      buffer.stdout += text;
    },
    err(text: string) {
      buffer.stderr += text;
    },
  };
  return buffer;
}
