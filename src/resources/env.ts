/**
 * `${env:NAME}` references in string values: secrets stay out of the files and come from the
 * environment (CI secrets, a local shell). `$${env:NAME}` is the escape for the literal text
 * `${env:NAME}` (one `$` is dropped, nothing is looked up).
 *
 * Nothing here may put a value into a message: callers get variable names and flags only.
 */

export type Env = Record<string, string | undefined>;

/** Names as shells and CI systems allow them. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const REFERENCE_START = '${env:';
/** An optional escaping `$`, the reference, and its closing brace if there is one. */
const REFERENCE = /(\$?)\$\{env:([^}]*)(\}?)/g;

export interface EnvSubstitution {
  /** The text with every reference replaced (unset ones are left as written). */
  value: string;
  /** Whether any reference was replaced. */
  substituted: boolean;
  /** Values taken from the environment (never empty), so callers can mask them. */
  secrets: string[];
  /** Names referenced but unset or empty, in order of first use. */
  unset: string[];
  /** Whether some `${env:` does not form a reference (bad name or no closing brace). */
  malformed: boolean;
}

function lookup(env: Env, name: string): string | undefined {
  // Own properties only: `${env:constructor}` must not find Object.prototype.constructor.
  const value = Object.hasOwn(env, name) ? env[name] : undefined;
  // Empty counts as unset: in GitHub Actions a missing secret arrives as "", and sending it
  // would log in with a blank password.
  return value === '' ? undefined : value;
}

export function substituteEnv(text: string, env: Env): EnvSubstitution {
  const result: EnvSubstitution = {
    value: text,
    substituted: false,
    secrets: [],
    unset: [],
    malformed: false,
  };
  if (!text.includes(REFERENCE_START)) return result;
  result.value = text.replace(REFERENCE, (match, escape: string, name: string, close: string) => {
    if (escape) return match.slice(1);
    if (!close || !ENV_NAME_PATTERN.test(name)) {
      result.malformed = true;
      return match;
    }
    const value = lookup(env, name);
    if (value === undefined) {
      if (!result.unset.includes(name)) result.unset.push(name);
      return match;
    }
    result.substituted = true;
    if (!result.secrets.includes(value)) result.secrets.push(value);
    return value;
  });
  return result;
}

/** Where in a string's source text the reference to `name` starts (for positions). */
export function referenceOffset(source: string, name: string): number {
  return source.indexOf(`${REFERENCE_START}${name}}`);
}

/** Where in a string's source text the first `${env:` starts. */
export function referenceStartOffset(source: string): number {
  return source.indexOf(REFERENCE_START);
}
