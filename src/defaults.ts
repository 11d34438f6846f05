/**
 * The defaults a user reads in `--help`, the README and error messages, defined once here so
 * the CLI's start-up can name them without loading the engine, the state or the client.
 */
export const DEFAULT_API_URL = 'https://app.intuned.io/api/v1/workspace';
export const DEFAULT_STATE = 'file:.intuned-gitops/state.json';
export const DEFAULT_CONCURRENCY = 10;
export const MAX_CONCURRENCY = 100;
export const DEFAULT_TIMEOUT_MS = 10 * 60_000;
