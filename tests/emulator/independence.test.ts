import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const EMULATOR_DIR = join(import.meta.dirname, '../../src/emulator');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('the emulator', () => {
  it('keeps its own copy of the API facts: it imports nothing from the client, the loader or the engine', () => {
    const borrowed = sourceFiles(EMULATOR_DIR).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/from '(\.\.\/)+(api|resources|engine)\/[^']*'/g)].map(
        (match) => `${file.slice(EMULATOR_DIR.length + 1)}: ${match[0]}`,
      ),
    );
    expect(borrowed).toEqual([]);
  });
});
