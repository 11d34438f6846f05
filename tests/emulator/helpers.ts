/** Shared by the emulator tests: a tiny fetch client, a fake clock, seeded randomness, polling. */
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle, EmulatorOptions } from '../../src/emulator/index.js';

export const API_KEY = 'test-api-key';
export const WORKSPACE = '3f1c2a9e-8b7d-4c6e-9f0a-1b2c3d4e5f60';
export const PROJECT = 'my-project';

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

export interface Client {
  base: string;
  get(path: string): Promise<Answer>;
  post(path: string, body?: unknown): Promise<Answer>;
  put(path: string, body?: unknown): Promise<Answer>;
  delete(path: string): Promise<Answer>;
  raw(path: string, init: RequestInit): Promise<Answer>;
}

export function client(
  emulator: EmulatorHandle,
  options: { workspaceId?: string; project?: string; key?: string | null } = {},
): Client {
  const base = `${emulator.url}/${options.workspaceId ?? WORKSPACE}/projects/${options.project ?? PROJECT}`;
  const key = options.key === undefined ? API_KEY : options.key;
  const raw = async (path: string, init: RequestInit): Promise<Answer> => {
    const headers = new Headers(init.headers);
    if (key !== null) headers.set('x-api-key', key);
    const response = await fetch(`${base}${path}`, { ...init, headers });
    const text = await response.text();
    let body: unknown = text;
    if (response.headers.get('content-type')?.startsWith('application/json')) body = JSON.parse(text);
    return { status: response.status, body, headers: response.headers };
  };
  const send = (method: string, path: string, body?: unknown): Promise<Answer> =>
    raw(path, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
  return {
    base,
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, body),
    put: (path, body) => send('PUT', path, body),
    delete: (path) => send('DELETE', path),
    raw,
  };
}

export { seededRandom } from '../../src/emulator/random.js';

/** A generator that returns the given values in turn (then repeats the last). */
export function scriptedRandom(values: number[]): () => number {
  let index = 0;
  return () => values[Math.min(index++, values.length - 1)] ?? 0;
}

/** Calls `read` until `done` holds, with short sleeps, a bounded number of times. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, maxPolls = 200): Promise<T> {
  for (let poll = 0; poll < maxPolls; poll += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`condition not met after ${maxPolls} polls`);
}

/** Starts an emulator for one test file; call the returned `close` in afterEach. */
export async function emulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  return startEmulator({ apiKey: API_KEY, ...options });
}
