/**
 * README promises Node.js 20.19: no package `npm ci` installs may ask for more (EBADENGINE),
 * bundled into the Action or not.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROMISED = [20, 19, 0] as const;

type Version = readonly [number, number, number];

function versionOf(text: string): Version {
  const [major = 0, minor = 0, patch = 0] = text.replace(/\.\*$/, '').split('.').map((part) => (part === '*' || part === 'x' ? 0 : Number(part)));
  return [major, minor, patch];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The npm range forms the lock file holds: `^`, `>=`, `>`, `<=`, `<`, `X.*`, joined by spaces (and) and `||` (or). */
function satisfies(version: Version, range: string): boolean {
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/([<>]=?)\s+/g, '$1')
      .split(/\s+/)
      .every((comparator) => {
        const [, operator = '', operand = ''] = /^(\^|>=|<=|>|<|=)?(.+)$/.exec(comparator) ?? [];
        const bound = versionOf(operand);
        const order = compare(version, bound);
        if (operator === '^') return version[0] === bound[0] && order >= 0;
        if (operator === '>=') return order >= 0;
        if (operator === '>') return order > 0;
        if (operator === '<=') return order <= 0;
        if (operator === '<') return order < 0;
        return operand.endsWith('.*') || !operand.includes('.') ? version[0] === bound[0] : order === 0;
      }),
  );
}

describe('the Node.js version README promises', () => {
  it('reads npm ranges as npm does', () => {
    expect(satisfies(PROMISED, '>=22')).toBe(false);
    expect(satisfies(PROMISED, '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies(PROMISED, '^20.20.0 || >=22.12.0')).toBe(false);
    expect(satisfies(PROMISED, '6.* || 8.* || >= 10.*')).toBe(true);
    expect(satisfies(PROMISED, '>=0.6.11 <=0.7.0 || >=0.7.3')).toBe(true);
  });

  it('is enough for every package in the lock file', async () => {
    const packageJson = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    expect(packageJson.engines.node).toBe(`>=${PROMISED[0]}.${PROMISED[1]}`);
    const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8'));
    const refusing = Object.entries(lock.packages as Record<string, { version?: string; engines?: { node?: string } }>)
      .filter(([, entry]) => typeof entry.engines?.node === 'string' && !satisfies(PROMISED, entry.engines.node))
      .map(([path, entry]) => `${path}@${entry.version} needs node ${entry.engines!.node}`);
    expect(refusing).toEqual([]);
  });
});
