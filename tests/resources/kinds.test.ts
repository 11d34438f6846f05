/** The kind descriptors: what the engine will read (folders, suffixes, secret fields, bodies). */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jobCreateBody, jobUpdateBody } from '../../src/resources/job-body.js';
import { isSecretField, KIND_NAMES, matchesField } from '../../src/resources/kind.js';
import { AUTH_SESSION_KIND, JOB_KIND, KINDS } from '../../src/resources/kinds.js';
import { loadResources } from '../../src/resources/loader.js';

describe('kinds', () => {
  it('are sessions then jobs, each with its folder and suffixes', () => {
    expect(KINDS.map((kind) => kind.name)).toEqual([...KIND_NAMES]);
    expect(KINDS.map((kind) => [kind.folder, kind.suffixes])).toEqual([
      ['intuned-resources/auth-sessions', ['.auth-session.jsonc', '.auth-session.json']],
      ['intuned-resources/jobs', ['.job.jsonc', '.job.json']],
    ]);
  });

  it('mark sink headers, S3 keys and the proxy of a job as secret-bearing, and nothing else by field', () => {
    const secret = (path: (string | number)[]) => isSecretField(path, JOB_KIND.secretFields);
    expect(secret(['sink', 'headers', 'Authorization'])).toBe(true);
    expect(secret(['sink', 'accessKeyId'])).toBe(true);
    expect(secret(['sink', 'secretAccessKey'])).toBe(true);
    expect(secret(['proxy'])).toBe(true);
    expect(secret(['sink', 'url'])).toBe(false);
    expect(secret(['sink', 'headers'])).toBe(false);
    expect(secret(['payload', 0, 'parameters', 'password'])).toBe(false); // only when from ${env:}
    expect(isSecretField(['parameters', 'nested', 0, 'x'], AUTH_SESSION_KIND.secretFields)).toBe(true);
  });

  it('match `*` to one part and `**` to any rest', () => {
    expect(matchesField(['a', 'b'], ['a', '*'])).toBe(true);
    expect(matchesField(['a', 'b', 'c'], ['a', '*'])).toBe(false);
    expect(matchesField(['a'], ['a', '**'])).toBe(true);
    expect(matchesField(['a', 1, 'c'], ['a', '**'])).toBe(true);
    expect(matchesField(['b'], ['a', '**'])).toBe(false);
  });

  it('turn a job spec into a create body with its ID, and an update body that clears what the file leaves out', () => {
    const spec = { payload: [{ apiName: 'a/b', parameters: {} }], configuration: {}, auth_session: { id: 'crm-bot' } };
    expect(jobCreateBody('nightly-sync', spec)).toEqual({ id: 'nightly-sync', ...spec });
    expect(jobUpdateBody(spec)).toEqual({ ...spec, schedule: null, sink: null, proxy: null });
  });
});

describe('job folder names', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('report a jobs folder spelled otherwise, and a job file in the sessions folder', async () => {
    dir = await mkdtemp(join(tmpdir(), 'intuned-gitops-kinds-'));
    await mkdir(join(dir, 'intuned-resources', 'Jobs'), { recursive: true });
    await mkdir(join(dir, 'intuned-resources', 'auth-sessions'), { recursive: true });
    await writeFile(join(dir, 'intuned-resources', 'auth-sessions', 'nightly.job.json'), '{}');
    const result = await loadResources({ dir, env: {} });
    expect(result.problems.map((problem) => `${problem.file}: ${problem.message}`)).toEqual([
      'intuned-resources/Jobs: not read: resource folders are named exactly intuned-resources/jobs; rename it to "jobs"',
      'intuned-resources/auth-sessions/nightly.job.json: not read: job files go in intuned-resources/jobs, not in the auth-sessions folder; move it there',
    ]);
  });
});
