/**
 * A last line of defence: every string that came from `${env:}` or from `parameters` is
 * replaced with *** in anything the CLI prints. The renderers never print values to begin
 * with; this catches what they cannot control, such as an API message that echoes a username.
 */
import type { DesiredSession } from './resources/types.js';
import type { Output } from './io.js';

/** Shorter parameter values are too likely to be ordinary words ("true", "admin") to mask. */
const MIN_PARAMETER_SECRET = 6;
const MIN_ENV_SECRET = 3;
/** Real API keys are long; a toy key like "k" (emulator, tests) would blank out every letter k. */
const MIN_API_KEY_SECRET = 8;
export const MASK = '***';

/** `fromEnv`: values substituted in any file, those with problems too (LoadResult.secrets). */
export function collectSecrets(sessions: readonly DesiredSession[], fromEnv: readonly string[] = []): string[] {
  const secrets = new Set<string>();
  for (const value of fromEnv) if (value.length >= MIN_ENV_SECRET) secrets.add(value);
  for (const session of sessions) {
    for (const value of session.secrets) if (value.length >= MIN_ENV_SECRET) secrets.add(value);
    collectStrings(session.spec.parameters, secrets);
    if (typeof session.spec.proxy === 'string') collectProxySecrets(session.spec.proxy, secrets);
  }
  // Longest first, so a secret that contains another is masked whole.
  return [...secrets].sort((a, b) => b.length - a.length);
}

export function apiKeySecrets(apiKey: string): string[] {
  return apiKey.length >= MIN_API_KEY_SECRET ? [apiKey] : [];
}

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) if (masked.includes(secret)) masked = masked.split(secret).join(MASK);
  return masked;
}

export function maskingOutput(output: Output, secrets: () => readonly string[]): Output {
  return {
    out: (text) => output.out(maskSecrets(text, secrets())),
    err: (text) => output.err(maskSecrets(text, secrets())),
    interactive: output.interactive,
  };
}

function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    if (value.length >= MIN_PARAMETER_SECRET) into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, into);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) collectStrings(item, into);
  }
}

function collectProxySecrets(proxy: string, into: Set<string>): void {
  try {
    const url = new URL(proxy);
    for (const part of [url.password, decodeURIComponent(url.password), url.username]) {
      if (part.length >= MIN_ENV_SECRET) into.add(part);
    }
  } catch {
    if (proxy.length >= MIN_PARAMETER_SECRET) into.add(proxy);
  }
}
