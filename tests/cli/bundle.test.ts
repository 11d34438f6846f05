/**
 * The CLI bundle (scripts/build-cli.mjs) against the sources it is built from: the bundle puts
 * every string-width behind an ASCII path (scripts/ascii-string-width.mjs), which must change
 * no output. The unbundled build (build/cli.js) runs the real string-width.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/project.js';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Width = (text: unknown, options?: Record<string, unknown>) => number;

async function load<T>(...path: string[]): Promise<T> {
  return (await import(pathToFileURL(join(root, ...path)).href)) as T;
}

describe('the bundled CLI', () => {
  it.each([[[]], [['reconcile']], [['plan']], [['apply']], [['validate']], [['emulator']], [['schema']]])(
    'prints the help of %j as the unbundled CLI does, to the byte',
    async (command) => {
      const env = { PATH: process.env.PATH ?? '' };
      const bundled = await run(process.execPath, [CLI, ...command, '--help'], { env });
      const unbundled = await run(process.execPath, [join(root, 'build', 'cli.js'), ...command, '--help'], { env });
      expect(bundled).toEqual(unbundled);
    },
  );
});

describe('the ASCII path of string-width', () => {
  const copies = [
    { copy: 'string-width', path: ['node_modules', 'string-width'] },
    { copy: "cliui's string-width", path: ['node_modules', 'cliui', 'node_modules', 'string-width'] },
    { copy: "wrap-ansi's string-width", path: ['node_modules', 'wrap-ansi', 'node_modules', 'string-width'] },
  ];

  it.each(copies)('measures every printable ASCII text as $copy does, without loading it', async ({ path }) => {
    const { asciiFirst } = await load<{ asciiFirst(loadReal: () => Width): Width }>('scripts', 'ascii-string-width.mjs');
    const { default: real } = await load<{ default: Width }>(...path, 'index.js');
    let loaded = 0;
    const width = asciiFirst(() => {
      loaded += 1;
      return real;
    });
    const printable = Array.from({ length: 0x7f - 0x20 }, (_, index) => String.fromCharCode(0x20 + index));
    for (const text of ['', ...printable, printable.join(''), '  --dry-run  print the plan, change nothing [boolean]']) {
      for (const options of [undefined, { ambiguousIsNarrow: false }, { countAnsiEscapeCodes: true }]) {
        expect(width(text, options)).toBe(real(text, options));
      }
    }
    expect(loaded).toBe(0);
    // Anything else is the real one's to measure: wide characters, escapes, tabs.
    for (const text of ['日本語', '\u001b[1mbold\u001b[22m', 'a\tb', 'é', '👍']) expect(width(text)).toBe(real(text));
    expect(loaded).toBe(1);
  });
});
