/**
 * A last line of defence: every value that came from `${env:}`, a proxy password and the API
 * key are replaced with *** in anything printed. The renderers never print a parameter value
 * to begin with; this catches what they cannot control, such as an API message that echoes a
 * value. Literal parameter values are not masked: they are already in git for anyone who can
 * read the plan, and masking short ones (a username "support") would garble session IDs
 * ("***-bot"), and in the Action every later step's log too.
 */
import type { DesiredSession } from './resources/types.js';
import type { Output } from './io.js';

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

function collectProxySecrets(proxy: string, into: Set<string>): void {
  try {
    const url = new URL(proxy);
    for (const part of [url.password, safeDecode(url.password)]) {
      if (part.length >= MIN_ENV_SECRET) into.add(part);
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
