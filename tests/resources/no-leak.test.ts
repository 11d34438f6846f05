/**
 * Nothing `validate` prints may contain a value from `parameters` or from `${env:...}`.
 * The leak-check fixture plants values marked "s3cr3t" in every kind of bad file (wrong
 * types, typos, duplicates, syntax errors next to a value, invalid proxies built from the
 * environment, ...) and every output is scanned for the marker.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateCommand } from '../../src/cli/commands/validate.js';
import { bufferOutput } from '../../src/front-end/io.js';
import { checkResourceText } from '../../src/resources/check.js';
import { loadResources } from '../../src/resources/loader.js';

const MARKER = /s3cr3t/i;
const LEAK_CHECK = join(import.meta.dirname, '../fixtures/resources/leak-check');

const ENV = {
  LEAK_PASSWORD: 's3cr3t-env-password "quoted" \n newline',
  LEAK_NUMBER: '3-s3cr3t',
  // A slash breaks the proxy URL, so the proxy message is produced from a secret.
  LEAK_PROXY_PASSWORD: 's3cr3t/env/proxy#password',
  LEAK_PROXY_URL: 'not a url s3cr3t-env-proxy-url',
};

describe('validate never prints a secret', () => {
  const runs = [
    { name: 'text', format: 'text' as const, requireEnv: true },
    { name: 'json', format: 'json' as const, requireEnv: true },
    { name: 'text, requireEnv: false', format: 'text' as const, requireEnv: false },
    { name: 'json, requireEnv: false', format: 'json' as const, requireEnv: false },
  ];

  it.each(runs)('$name', async ({ format, requireEnv }) => {
    const output = bufferOutput();
    const exitCode = await validateCommand({ dir: LEAK_CHECK, env: ENV, output, format, requireEnv });
    expect(exitCode).toBe(1);
    // The fixture must actually exercise the messages it is meant to.
    const printed = output.stdout + output.stderr;
    expect(printed).toContain('unknown key');
    expect(printed).toContain('invalid JSONC');
    expect(printed).toContain('is not a valid URL');
    expect(printed).toContain('duplicate ID');
    expect(printed).not.toMatch(MARKER);
  });

  it('while the loaded sessions do hold them', async () => {
    const result = await loadResources({ dir: LEAK_CHECK, env: ENV });
    expect(JSON.stringify(result.problems)).not.toMatch(MARKER);
    expect(result.sessions.map((session) => session.id)).toEqual(['all-good']);
    expect(result.sessions[0]?.spec.parameters.password).toBe(ENV.LEAK_PASSWORD);
    expect(result.sessions[0]?.secrets).toEqual([ENV.LEAK_PASSWORD, ENV.LEAK_NUMBER]);
    // Values from files with problems too, so a caller can mask everything.
    expect([...(result.secrets ?? [])].sort()).toEqual(Object.values(ENV).sort());
  });
});

describe('file checks never put a value in a message', () => {
  const secret = fc
    .string({ minLength: 1, maxLength: 12, unit: 'binary' })
    .map((random) => `s3cr3t${random}`);
  const templates = [
    (value: string) => ({ parameters: { password: value }, saveTrace: value }),
    (value: string) => ({ parameters: value }),
    (value: string) => ({ parameters: {}, proxy: value, createAttempts: value }),
    (value: string) => ({ parameters: { [value.length > 8 ? 'k' : 'j']: [value, { deep: value }] }, paramters: value }),
    (value: string) => [value],
    (value: string) => value,
  ];

  it('for literal values, values from the environment and syntax errors after values', () => {
    fc.assert(
      fc.property(secret, secret, fc.nat(templates.length - 1), fc.boolean(), (literal, fromEnv, index, broken) => {
        const body = JSON.stringify((templates[index] as (value: string) => unknown)(literal));
        const withEnv = body.replace('"parameters":{', '"parameters":{"e":"${env:PLANTED}","u":"http://${env:PLANTED}@h",');
        const text = broken ? `${withEnv.slice(0, -1)} "tail": ` : withEnv;
        const check = checkResourceText({
          file: 'f.auth-session.json',
          text,
          env: { PLANTED: fromEnv },
          requireEnv: true,
        });
        for (const problem of check.problems) expect(problem.message).not.toMatch(MARKER);
      }),
      { numRuns: 300 },
    );
  });
});
