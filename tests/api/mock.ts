/** A client wired to an undici MockAgent (no network), with recorded waits and events. */
import { afterEach } from 'vitest';
import { MockAgent } from 'undici';
import { createIntunedClient } from '../../src/api/client.js';
import { type ClientOptions, type RequestEvent } from '../../src/api/options.js';

export const ORIGIN = 'https://app.intuned.io';
export const BASE_PATH = '/api/v1/workspace';
export const API_KEY = 'sk-test-4f1c9a7e2b8d6053';
export const WORKSPACE = '123e4567-e89b-12d3-a456-426614174000';
export const PROJECT = 'my project';
/** What the client puts between the base URL and `/auth-sessions`. */
export const PREFIX = `/${WORKSPACE}/projects/my%20project`;
/** A fixed clock for Retry-After dates. */
export const NOW = Date.parse('2025-01-01T00:00:00Z');

export function mockClient(overrides: Partial<ClientOptions> = {}) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(ORIGIN);
  const delays: number[] = [];
  const events: RequestEvent[] = [];
  const client = createIntunedClient({
    apiKey: API_KEY,
    workspaceId: WORKSPACE,
    project: PROJECT,
    dispatcher: agent,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0,
    now: () => NOW,
    onRequest: (event) => events.push(event),
    ...overrides,
  });
  /** Full request path for a path after the project prefix. */
  const path = (rest: string) => `${BASE_PATH}${PREFIX}${rest}`;
  const finish = async () => {
    agent.assertNoPendingInterceptors();
    await client.close();
    await agent.close();
  };
  return { agent, pool, client, delays, events, path, finish };
}

export const json = { headers: { 'content-type': 'application/json' } };

/** A network error as undici raises it. */
export function netError(code: string, message = `simulated ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

/** `setup(...)` builds a mock client; each test's client is finished (interceptors asserted used) after it. */
export function useMockClient(): (...args: Parameters<typeof mockClient>) => ReturnType<typeof mockClient> {
  let current: ReturnType<typeof mockClient> | undefined;
  afterEach(async () => {
    await current?.finish();
    current = undefined;
  });
  return (...args) => {
    current = mockClient(...args);
    return current;
  };
}
