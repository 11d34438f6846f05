/** The shipped examples validate, and load into the sessions the engine will send. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fg from 'fast-glob';
import { describe, expect, it } from 'vitest';
import { validateCommand } from '../../src/cli/commands/validate.js';
import { InputError } from '../../src/errors.js';
import { bufferOutput } from '../../src/front-end/io.js';
import { loadResources } from '../../src/resources/loader.js';

const EXAMPLES = join(import.meta.dirname, '../../examples');

/** Every variable examples/README.md lists, with a value derived from its name. */
const EXAMPLE_ENV_NAMES = [
  'OPS_PASSWORD',
  'OPS_TOTP_SECRET',
  'BILLING_PASSWORD',
  'AUDIT_PASSWORD',
  'EU_PASSWORD',
  'EU_TOTP_SECRET',
  'EU_PROXY_PASSWORD',
  'US_PASSWORD',
  'US_TOTP_SECRET',
  'US_PROXY_USER',
  'US_PROXY_PASSWORD',
  'ORDERS_WEBHOOK_TOKEN',
];
const ENV = Object.fromEntries(EXAMPLE_ENV_NAMES.map((name) => [name, `value-of-${name}`]));

describe('examples/', () => {
  it('validates', async () => {
    const output = bufferOutput();
    expect(await validateCommand({ dir: EXAMPLES, env: ENV, output })).toBe(0);
    expect(output.stdout).toBe('✓ 5 auth sessions and 3 jobs valid in 8 files\n');
    expect(output.stderr).toBe('');
  });

  it('loads every job, each naming a session a file declares', async () => {
    const result = await loadResources({ dir: EXAMPLES, env: ENV });
    expect(result.warnings).toEqual([]);
    expect(result.jobFileCount).toBe(3);
    expect(result.jobs?.map(({ id, file, spec }) => ({ id, file, session: spec.auth_session?.id }))).toEqual([
      { id: 'eu-west-catalog', file: 'intuned-resources/jobs/regions/eu-west-catalog.job.json', session: 'eu-west' },
      { id: 'hourly-prices', file: 'intuned-resources/jobs/hourly-prices.job.jsonc', session: 'audit-bot' },
      { id: 'nightly-orders', file: 'intuned-resources/jobs/nightly-orders.job.jsonc', session: 'ops-team' },
    ]);
    const nightly = result.jobs?.find((job) => job.id === 'nightly-orders');
    expect(nightly?.spec.sink).toEqual({
      type: 'webhook',
      url: 'https://hooks.supplier-sync.example.com/intuned/orders',
      headers: { Authorization: 'Bearer value-of-ORDERS_WEBHOOK_TOKEN' },
      skipOnFail: true,
    });
    expect(nightly?.secrets).toEqual(['value-of-ORDERS_WEBHOOK_TOKEN']);
    expect(nightly?.secretPaths).toEqual([['sink', 'headers', 'Authorization']]);
  });

  it('loads every session by ID with its values substituted and its secrets listed', async () => {
    const result = await loadResources({ dir: EXAMPLES, env: ENV });
    expect(result.problems).toEqual([]);
    expect(result.fileCount).toBe(5);
    expect(result.sessions.map(({ id, file }) => ({ id, file }))).toEqual([
      { id: 'audit-bot', file: 'intuned-resources/auth-sessions/audit-bot.auth-session.jsonc' },
      { id: 'billing_readonly', file: 'intuned-resources/auth-sessions/billing_readonly.auth-session.json' },
      { id: 'eu-west', file: 'intuned-resources/auth-sessions/regions/eu-west.auth-session.jsonc' },
      { id: 'ops-team', file: 'intuned-resources/auth-sessions/ops-team.auth-session.jsonc' },
      { id: 'us-east', file: 'intuned-resources/auth-sessions/regions/us-east.auth-session.jsonc' },
    ]);
    const usEast = result.sessions.find((session) => session.id === 'us-east');
    expect(usEast?.spec).toEqual({
      parameters: {
        username: 'us-buyer@supplier-sync.example.com',
        password: 'value-of-US_PASSWORD',
        totpSecret: 'value-of-US_TOTP_SECRET',
        tenant: 'US East',
      },
      proxy: 'socks5://value-of-US_PROXY_USER:value-of-US_PROXY_PASSWORD@proxy.us.example.com:1080',
      createAttempts: 3,
      saveTrace: true,
    });
    expect(usEast?.secrets).toEqual([
      'value-of-US_PASSWORD',
      'value-of-US_TOTP_SECRET',
      'value-of-US_PROXY_USER',
      'value-of-US_PROXY_PASSWORD',
    ]);
    // Every variable is used by some file, and every secret comes from them.
    const used = new Set([...result.sessions, ...(result.jobs ?? [])].flatMap((resource) => resource.secrets));
    expect([...used].sort()).toEqual(Object.values(ENV).sort());
  });

  it('names each unset variable, and with requireEnv: false only notes them', async () => {
    const strict = bufferOutput();
    expect(await validateCommand({ dir: EXAMPLES, env: {}, output: strict })).toBe(1);
    expect(strict.stdout).toContain('12 problems in 6 files');

    const lenient = bufferOutput();
    expect(await validateCommand({ dir: EXAMPLES, env: {}, output: lenient, requireEnv: false })).toBe(0);
    expect(lenient.stdout).toBe('✓ 5 auth sessions and 3 jobs valid in 8 files\n');
    expect(lenient.stderr).toBe(
      `note: not set, so values using them were not fully checked: ${[...EXAMPLE_ENV_NAMES].sort().join(', ')}\n`,
    );
    const loaded = await loadResources({ dir: EXAMPLES, env: {}, requireEnv: false });
    expect(loaded.sessions.find((session) => session.id === 'eu-west')?.unsetEnv).toEqual([
      'EU_PASSWORD',
      'EU_TOTP_SECRET',
      'EU_PROXY_PASSWORD',
    ]);
  });

  it('documents exactly the variables the files reference', async () => {
    const readme = await readFile(join(EXAMPLES, 'README.md'), 'utf8');
    const documented = [...readme.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((match) => match[1]);
    const files = await fg('intuned-resources/**/*.{auth-session,job}.{json,jsonc}', { cwd: EXAMPLES });
    const texts = await Promise.all(files.map((file) => readFile(join(EXAMPLES, file), 'utf8')));
    const referenced = new Set(texts.flatMap((text) => [...text.matchAll(/\$\{env:([A-Z0-9_]+)\}/g)].map((m) => m[1])));
    expect(documented).toEqual(EXAMPLE_ENV_NAMES);
    expect([...referenced].sort()).toEqual([...EXAMPLE_ENV_NAMES].sort());
  });

  it('prints one JSON document with --output json', async () => {
    const output = bufferOutput();
    expect(await validateCommand({ dir: EXAMPLES, env: ENV, output, format: 'json' })).toBe(0);
    const document = JSON.parse(output.stdout);
    expect(document).toMatchObject({ formatVersion: 1, valid: true, folderFound: true, fileCount: 5, problems: [] });
    expect(document.sessions).toHaveLength(5);
    expect(Object.keys(document.sessions[0])).toEqual(['id', 'file']);
  });
});

describe('loadResources', () => {
  it('throws an InputError for a project directory that does not exist', async () => {
    const missing = join(EXAMPLES, 'no-such-dir');
    await expect(loadResources({ dir: missing })).rejects.toThrow(InputError);
    await expect(loadResources({ dir: missing })).rejects.toThrow(
      `project directory ${missing} does not exist or is not a directory; check --dir`,
    );
  });

  it('reports the folder missing without problems', async () => {
    const result = await loadResources({ dir: join(EXAMPLES, 'auth-sessions') });
    expect(result).toMatchObject({ folderFound: false, fileCount: 0, sessions: [], problems: [] });
  });
});
