import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { JOB_RUNS_MAX_PAGES } from '../../src/api/job-runs.js';
import { JOB_RUNS_PAGE_SIZE, JOB_RUNS_SORT } from '../../src/api/routes.js';
import { json, mockClient } from './mock.js';

let current: ReturnType<typeof mockClient> | undefined;
function setup() {
  current = mockClient();
  return current;
}
afterEach(async () => {
  await current?.finish();
  current = undefined;
});

const runs = (from: number, count: number, status = 'SUCCESS') =>
  Array.from({ length: count }, (_, i) => ({
    id: `run-${from + i}`,
    status,
    start_time: '2025-01-01T00:00:00Z',
    end_time: null,
    job_configuration_snapshot: { auth_session: { id: 'a1' }, configuration: { retry: {} } },
    payloads: 3,
  }));

function pagePath(path: (rest: string) => string, jobId: string, page: number): string {
  const query = new URLSearchParams({ pageNumber: String(page), pageSize: String(JOB_RUNS_PAGE_SIZE), sortBy: JOB_RUNS_SORT });
  return path(`/jobs/${jobId}/runs?${query}`);
}

describe('listJobRuns', () => {
  it('reads every page until totalCount is reached', async () => {
    const { pool, client, path } = setup();
    const total = 2 * JOB_RUNS_PAGE_SIZE + 5;
    pool.intercept({ path: pagePath(path, 'j(1)', 0) }).reply(200, { jobRuns: runs(0, JOB_RUNS_PAGE_SIZE), totalCount: total }, json);
    pool
      .intercept({ path: pagePath(path, 'j(1)', 1) })
      .reply(200, { jobRuns: runs(JOB_RUNS_PAGE_SIZE, JOB_RUNS_PAGE_SIZE), totalCount: total }, json);
    pool.intercept({ path: pagePath(path, 'j(1)', 2) }).reply(200, { jobRuns: runs(2 * JOB_RUNS_PAGE_SIZE, 5), totalCount: total }, json);
    const result = await client.listJobRuns('j(1)');
    expect(result).toHaveLength(total);
    expect(result[0]).toEqual({
      id: 'run-0',
      status: 'SUCCESS',
      start_time: '2025-01-01T00:00:00Z',
      end_time: null,
      job_configuration_snapshot: { auth_session: { id: 'a1' } },
    });
  });

  it('stops at an empty page even when totalCount promised more', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: pagePath(path, 'j1', 0) }).reply(200, { jobRuns: runs(0, JOB_RUNS_PAGE_SIZE), totalCount: 500 }, json);
    pool.intercept({ path: pagePath(path, 'j1', 1) }).reply(200, { jobRuns: [], totalCount: 500 }, json);
    await expect(client.listJobRuns('j1')).resolves.toHaveLength(JOB_RUNS_PAGE_SIZE);
  });

  it('reads one page when a job has no runs', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: pagePath(path, 'j1', 0) }).reply(200, { jobRuns: [], totalCount: 0 }, json);
    await expect(client.listJobRuns('j1')).resolves.toEqual([]);
  });

  it('goes on to page 1 when page 0 is empty but runs exist (a server counting from 1)', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: pagePath(path, 'j1', 0) }).reply(200, { jobRuns: [], totalCount: 2 }, json);
    pool.intercept({ path: pagePath(path, 'j1', 1) }).reply(200, { jobRuns: runs(0, 2, 'PENDING'), totalCount: 2 }, json);
    const result = await client.listJobRuns('j1');
    expect(result.map((r) => [r.id, r.status])).toEqual([
      ['run-0', 'PENDING'],
      ['run-1', 'PENDING'],
    ]);
  });

  it('restarts at page 1 when page 0 is refused (a server counting from 1)', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: pagePath(path, 'j1', 0) }).reply(400, { code: 'bad-request', message: 'pageNumber must be at least 1' }, json);
    pool.intercept({ path: pagePath(path, 'j1', 1) }).reply(200, { jobRuns: runs(0, 1), totalCount: 1 }, json);
    await expect(client.listJobRuns('j1')).resolves.toHaveLength(1);
  });

  it('once page 0 was refused, reads the next jobs from page 1 (one request per job, not two)', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: pagePath(path, 'j1', 0) }).reply(400, { code: 'bad-request', message: 'pageNumber must be at least 1' }, json);
    pool.intercept({ path: pagePath(path, 'j1', 1) }).reply(200, { jobRuns: runs(0, 1), totalCount: 1 }, json);
    pool.intercept({ path: pagePath(path, 'j2', 1) }).reply(200, { jobRuns: runs(1, 1), totalCount: 1 }, json);
    await expect(client.listJobRuns('j1')).resolves.toHaveLength(1);
    // No interceptor for j2's page 0: asking for it would fail the test (net connect is off).
    await expect(client.listJobRuns('j2')).resolves.toHaveLength(1);
  });

  it('keeps runs once when page 0 repeats page 1 (a server counting from 1 that clamps)', async () => {
    const { pool, client, path } = setup();
    const total = JOB_RUNS_PAGE_SIZE + 1;
    const first = { jobRuns: runs(0, JOB_RUNS_PAGE_SIZE), totalCount: total };
    pool.intercept({ path: pagePath(path, 'j1', 0) }).reply(200, first, json);
    pool.intercept({ path: pagePath(path, 'j1', 1) }).reply(200, first, json);
    pool.intercept({ path: pagePath(path, 'j1', 2) }).reply(200, { jobRuns: runs(JOB_RUNS_PAGE_SIZE, 1), totalCount: total }, json);
    await expect(client.listJobRuns('j1')).resolves.toHaveLength(total);
  });

  it('stops at a short page when totalCount is missing', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: pagePath(path, 'j1', 0) }).reply(200, { jobRuns: runs(0, 3) }, json);
    await expect(client.listJobRuns('j1')).resolves.toHaveLength(3);
  });

  it('gives up with an error after the page cap instead of returning a partial list', async () => {
    const { pool, client, path } = setup();
    pool
      .intercept({ path: (p) => p.startsWith(path('/jobs/j1/runs?')) })
      .reply(200, { jobRuns: runs(0, JOB_RUNS_PAGE_SIZE), totalCount: 1_000_000 }, json)
      .times(JOB_RUNS_MAX_PAGES);
    const error = await client.listJobRuns('j1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'too-many-pages', retryable: false });
    expect(client.stats().requests).toBe(JOB_RUNS_MAX_PAGES);
  });

  it('refuses a page that does not fit, naming the field', async () => {
    const { pool, client, path } = setup();
    pool.intercept({ path: pagePath(path, 'j1', 0) }).reply(200, { jobRuns: [{ id: 'r1' }], totalCount: 1 }, json);
    await expect(client.listJobRuns('j1')).rejects.toThrow(/jobRuns\[0\]\.status/);
  });
});
