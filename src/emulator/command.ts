/**
 * `intuned-gitops emulator`: serves the emulator until SIGINT or SIGTERM, with an access log
 * on stderr (method, path, status, time: never a body or a header, which hold credentials).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { Output } from '../front-end/io.js';
import { startEmulator } from './emulator.js';
import type { EmulatorHandle, EmulatorOptions, FaultOptions, RequestEvent, SeedJob } from './types.js';

export interface EmulatorCommandOptions {
  port: number;
  host?: string;
  output: Output;
  operationDurationMs?: number;
  maxConcurrentOperations?: number;
  latencyMs?: number;
  /** Fault switches (5xx, 429, drops, a rate limiter); `latencyMs` above is merged in. */
  faults?: FaultOptions;
  /** A JSON file `{ "sessions": [...], "jobs": [...] }` to start with (SeedSession, SeedJob). */
  seedFile?: string;
  legacyApi?: boolean;
  inUseDeleteStatus?: 409 | 400;
  /** The accepted key; default `INTUNED_API_KEY` from `env` (any key when that is unset). */
  apiKey?: string;
  env?: Record<string, string | undefined>;
  /** Stops the emulator like a signal does (for tests and embedding). */
  signal?: AbortSignal;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Each switch's range, checked before anything listens: a typo is one line, never a stack. */
const SWITCHES: { flag: string; value: (options: EmulatorCommandOptions) => number | undefined; whole?: boolean; min: number; max?: number }[] = [
  { flag: '--port', value: (options) => options.port, whole: true, min: 0, max: 65_535 },
  { flag: '--operation-duration', value: (options) => options.operationDurationMs, min: 0 },
  { flag: '--latency', value: (options) => options.latencyMs, min: 0 },
  { flag: '--max-concurrent-operations', value: (options) => options.maxConcurrentOperations, whole: true, min: 1 },
  { flag: '--error-rate', value: (options) => options.faults?.serverErrorRate, min: 0, max: 1 },
  { flag: '--rate-limit-rate', value: (options) => options.faults?.rateLimitRate, min: 0, max: 1 },
  { flag: '--drop-rate', value: (options) => options.faults?.dropRate, min: 0, max: 1 },
  { flag: '--retry-after', value: (options) => options.faults?.retryAfterSeconds, min: 0 },
  { flag: '--requests-per-second', value: (options) => options.faults?.requestsPerSecond, min: Number.MIN_VALUE },
];

export function checkSwitches(options: EmulatorCommandOptions): void {
  for (const { flag, value, whole, min, max } of SWITCHES) {
    const given = value(options);
    if (given === undefined) continue;
    const fits = Number.isFinite(given) && given >= min && (max === undefined || given <= max) && (!whole || Number.isInteger(given));
    if (fits) continue;
    const kind = whole ? 'a whole number' : 'a number';
    const range = max !== undefined ? `from ${min} to ${max}` : min === Number.MIN_VALUE ? 'above 0' : `of at least ${min}`;
    throw new InputError(`${flag} must be ${kind} ${range}${Number.isNaN(given) ? '' : ` (got ${given})`}`);
  }
}

export async function emulatorCommand(options: EmulatorCommandOptions): Promise<void> {
  checkSwitches(options);
  const env = options.env ?? process.env;
  const apiKey = options.apiKey ?? (env.INTUNED_API_KEY || undefined);
  const { output } = options;
  const handle = await listen({
    // Unset options are passed as undefined: startEmulator reads each with its default.
    port: options.port,
    host: options.host,
    apiKey,
    operationDurationMs: options.operationDurationMs,
    maxConcurrentOperations: options.maxConcurrentOperations,
    legacyApi: options.legacyApi,
    inUseDeleteStatus: options.inUseDeleteStatus,
    ...(options.faults || options.latencyMs ? { faults: { ...options.faults, ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}) } } : {}),
    logRequests: false,
    onRequest: (event) => output.err(accessLine(event)),
  });
  if (options.seedFile) await seed(handle, options.seedFile);
  output.out(`Intuned API emulator listening on ${handle.url}\n`);
  const key = apiKey === undefined ? 'any non-empty key' : 'the key this emulator was started with';
  output.err(
    `Point intuned-gitops at it: INTUNED_API_URL=${handle.url} INTUNED_API_KEY=<${key}>, ` +
      'and any INTUNED_WORKSPACE_ID and INTUNED_PROJECT. Stop with Ctrl-C.\n',
  );
  await stopRequested(options.signal);
  await handle.close();
  output.err('Intuned API emulator stopped\n');
}

/** Starts the emulator; a port already taken is the user's to fix, said in one line. */
async function listen(options: EmulatorOptions): Promise<EmulatorHandle> {
  try {
    return await startEmulator(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${options.host ?? '127.0.0.1'}:${options.port}`;
    if (code === 'EADDRINUSE') throw new InputError(`port ${where} is already in use: stop what listens there, or pick another --port (0: any free port)`);
    if (code === 'EACCES') throw new InputError(`port ${where} is not allowed for this user: pick a --port above 1023 (0: any free port)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new InputError(`--host ${options.host ?? ''} is not an address of this machine`);
    throw error;
  }
}

const seedSchema = z.strictObject({
  sessions: z
    .array(z.strictObject({ id: z.string(), type: z.enum(['CREDENTIALS', 'RECORDER', 'RUNTIME']).optional(), status: z.enum(['PENDING', 'READY', 'EXPIRED']).optional() }))
    .default([]),
  jobs: z
    .array(
      z.strictObject({
        id: z.string(),
        authSessionId: z.string().nullable().optional(),
        state: z.enum(['ACTIVE', 'PAUSED']).optional(),
        runs: z
          .array(
            z.strictObject({
              id: z.string().optional(),
              status: z.enum(['PENDING', 'PAUSED', 'PAUSING', 'RESUMING', 'SUCCESS', 'FAILURE', 'COMPLETED', 'CANCELED', 'TERMINATED']),
              type: z.enum(['MANUAL', 'SCHEDULED']).optional(),
            }),
          )
          .optional(),
        // Checked by seedJob as a create body would be.
        definition: z.looseObject({ payload: z.array(z.unknown()), configuration: z.record(z.string(), z.unknown()) }).optional(),
      }),
    )
    .default([]),
});

/** Sessions and jobs (with runs, e.g. one PENDING to make a session in use) to start with. */
async function seed(handle: EmulatorHandle, file: string): Promise<void> {
  try {
    const parsed = seedSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    for (const session of parsed.sessions) handle.seedSession(session);
    for (const job of parsed.jobs) handle.seedJob(job as SeedJob);
  } catch (error) {
    await handle.close();
    throw new InputError(`--seed ${file}: ${error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message}`);
  }
}

export function accessLine(event: RequestEvent): string {
  const status = event.status === 0 ? 'dropped' : String(event.status);
  return `${event.method} ${event.path} ${status} ${Math.round(event.durationMs)}ms\n`;
}

function stopRequested(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      for (const name of STOP_SIGNALS) process.off(name, stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    for (const name of STOP_SIGNALS) process.once(name, stop);
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });
}
