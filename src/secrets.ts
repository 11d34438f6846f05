/**
 * A last line of defence: every value that came from `${env:}`, a proxy password and the API
 * key are replaced with *** in anything printed. The renderers never print a parameter value
 * to begin with; this catches what they cannot control, such as an API message that echoes a
 * value. Literal parameter values are not masked: they are already in git for anyone who can
 * read the plan, and masking short ones (a username "support") would garble session IDs
 * ("***-bot"), and in the Action every later step's log too.
 */
import type { DesiredJob, DesiredSession, LoadResult } from './resources/types.js';
import { valueAt } from './resources/kind.js';

/**
 * Two thresholds. In what the API says back (free text, stored in the state), every value of 3
 * characters or more is masked: a garbled word there costs nothing. In the tool's own output,
 * only values of 8 or more: a short value ("true", "changed", "ops") would otherwise mask parts
 * of keywords, IDs and JSON ("un***", `"hasChanges": ***`). The renderers never print a value,
 * so output masking is only a last line of defence.
 */
export const MIN_MESSAGE_SECRET = 3;
export const MIN_OUTPUT_SECRET = 8;
/** Shorter values are too likely to be ordinary words ("true", "admin") to mask in a message. */
const MIN_PARAMETER_VALUE = 6;
export const MASK = '***';

/** `fromEnv`: values substituted in any file, those with problems too (LoadResult.secrets). */
function collectSecrets(sessions: readonly DesiredSession[], fromEnv: readonly string[] = [], minLength = MIN_OUTPUT_SECRET): string[] {
  const secrets = new Set<string>();
  for (const value of fromEnv) if (value.length >= minLength) secrets.add(value);
  for (const session of sessions) {
    for (const value of session.secrets) if (value.length >= minLength) secrets.add(value);
    if (typeof session.spec.proxy === 'string') collectProxySecrets(session.spec.proxy, secrets, minLength);
  }
  return withEncodings(secrets);
}

/**
 * A job's secret-bearing values written literally in its file (sink headers, S3 keys; of a
 * proxy URL, its password): never shown by the renderers, and masked wherever an API message
 * quotes them back. Values from `${env:}` are masked already.
 */
function jobSecretValues(jobs: readonly DesiredJob[], minLength: number): string[] {
  const values = new Set<string>();
  for (const job of jobs) {
    for (const path of job.secretPaths) {
      const value = valueAt(job.spec, path);
      if (typeof value !== 'string') continue;
      if (path.length === 1 && path[0] === 'proxy') collectProxySecrets(value, values, minLength);
      else if (value.length >= minLength) values.add(value);
    }
  }
  return [...values];
}

/**
 * String parameter values as written in the files. Not masked in general output (see above),
 * but masked in what the API says back: an error that quotes the request body must not put
 * them in the state or a log.
 */
function parameterValues(sessions: readonly DesiredSession[]): string[] {
  const values = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.length >= MIN_PARAMETER_VALUE) values.add(value);
    } else if (value !== null && typeof value === 'object') {
      for (const item of Object.values(value)) visit(item);
    }
  };
  for (const session of sessions) visit(session.spec.parameters);
  return withEncodings(values);
}

/** The tool's own keys: the API key (sent only as a header) and the key of the state's fingerprints. */
export interface ToolKeys {
  apiKey: string;
  stateKey?: string | undefined;
  /** Other tokens the run holds: the GitHub token, an API key given both as an input and in the environment. */
  others?: readonly (string | undefined)[];
}

export interface RunSecretsOptions {
  /** Told each value the output masks, once, as it is learned (the Action registers it with the runner). */
  onSecret?: (value: string) => void;
}

/**
 * Every value one run keeps secret, learned as the run goes: the tool's keys from the start,
 * the files' values once they are loaded. One object per run, shared by the API client (which
 * masks every field it reads with `maskApiText`, before anything cuts, stores or prints it)
 * and the output (`mask`, `outputSecrets`: the higher threshold, no literal parameter values).
 */
export class RunSecrets {
  private apiText: string[];
  private output: string[] = [];
  private readonly keys: string[];
  private readonly told = new Set<string>();

  constructor(
    keys: ToolKeys,
    private readonly options: RunSecretsOptions = {},
  ) {
    // Trimmed and untrimmed: a key pasted with a newline is sent trimmed but may be quoted either way.
    const all = [keys.apiKey, ...(keys.others ?? []), keys.stateKey];
    this.keys = [...new Set(all.flatMap((key) => (key ? [key, key.trim()] : [])))].filter((key) => key !== '');
    this.apiText = withEncodings(this.longer(MIN_MESSAGE_SECRET));
    this.setOutput(this.longer(MIN_OUTPUT_SECRET));
  }

  learn(load: Pick<LoadResult, 'sessions'> & Partial<Pick<LoadResult, 'secrets' | 'jobs'>>): void {
    const fromEnv = load.secrets ?? [];
    const jobs = load.jobs ?? [];
    this.apiText = withEncodings([
      ...this.longer(MIN_MESSAGE_SECRET),
      ...collectSecrets(load.sessions, fromEnv, MIN_MESSAGE_SECRET),
      ...parameterValues(load.sessions),
      ...jobSecretValues(jobs, MIN_MESSAGE_SECRET),
    ]);
    this.setOutput([...this.longer(MIN_OUTPUT_SECRET), ...collectSecrets(load.sessions, fromEnv), ...jobSecretValues(jobs, MIN_OUTPUT_SECRET)]);
  }

  private setOutput(values: readonly string[]): void {
    const forms = encodings(values);
    for (const form of forms) {
      if (this.told.has(form)) continue;
      this.told.add(form);
      this.options.onSecret?.(form);
    }
    this.output = longestFirst(forms);
  }

  private longer(minLength: number): string[] {
    return this.keys.filter((key) => key.length >= minLength);
  }

  /** For everything the API says: messages, codes, IDs it made up, statuses. */
  readonly maskApiText = (text: string): string => maskSecrets(text, this.apiText);

  /** For everything the tool itself prints, comments or sets as an output. */
  readonly mask = (text: string): string => maskSecrets(text, this.output);

  outputSecrets(): readonly string[] {
    return this.output;
  }
}

/**
 * A JSON document with `mask` applied to every string value (keys and structure untouched);
 * text that is not one JSON document is masked as text.
 */
export function maskJsonValues(text: string, mask: (value: string) => string): string {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return mask(text);
  }
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') return mask(value);
    if (Array.isArray(value)) return value.map(visit);
    if (value !== null && typeof value === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) Object.defineProperty(copy, key, { value: visit(item), enumerable: true, writable: true, configurable: true });
      return copy;
    }
    return value;
  };
  return `${JSON.stringify(visit(document), null, 2)}\n`;
}

/**
 * Each secret as it may appear when quoted back: raw, JSON-escaped (an API echoing the request
 * body) and URL-encoded (a proxy URL). Longest first, so a secret that contains another is
 * masked whole.
 */
function withEncodings(values: Iterable<string>): string[] {
  return longestFirst(encodings(values));
}

/** In the order given, each value then its encodings. */
function encodings(values: Iterable<string>): string[] {
  const forms = new Set<string>();
  for (const value of values) {
    forms.add(value);
    forms.add(JSON.stringify(value).slice(1, -1));
    forms.add(encodeURIComponent(value));
  }
  return [...forms];
}

function longestFirst(values: readonly string[]): string[] {
  return [...values].sort((a, b) => b.length - a.length);
}

/** One pass over the text whatever the number of secrets: one alternation, compiled once per list. */
const patterns = new WeakMap<readonly string[], RegExp | null>();

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let pattern = patterns.get(secrets);
  if (pattern === undefined) {
    // Longest first, so a secret that contains another is masked whole.
    const alternatives = [...new Set(secrets)].filter((secret) => secret !== '').sort((a, b) => b.length - a.length);
    pattern = alternatives.length === 0 ? null : new RegExp(alternatives.map(escapeRegExp).join('|'), 'g');
    patterns.set(secrets, pattern);
  }
  return pattern ? text.replace(pattern, MASK) : text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function collectProxySecrets(proxy: string, into: Set<string>, minLength: number): void {
  try {
    const url = new URL(proxy);
    for (const part of [url.password, safeDecode(url.password)]) {
      if (part.length >= minLength) into.add(part);
    }
  } catch {
    // Not a URL: the loader reports it, and nothing is sent.
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
