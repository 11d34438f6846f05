/**
 * The secret values planted across the reliability suite. Each is distinctive, so a scan of
 * everything the suite produced (outputs, errors, state files) finds it wherever it leaked.
 */

/** INTUNED_API_KEY: sent only as `x-api-key` to the configured API URL. */
export const API_KEY = 'rel-api-key-7Hq2Vx9LmZ4c';
export const WORKSPACE = '5a0d9c1e-2b3f-4a7c-8d6e-9f1a2b3c4d5e';
export const PROJECT = 'reliability';
/** The key of the state's fingerprints: whoever holds it can confirm guessed secrets. */
export const STATE_KEY = 'rel-state-key-Qw8Ne3Rt6Y';

/** Values that files take from the environment through `${env:NAME}`. */
export const ENV_SECRETS = {
  REL_PASSWORD: 'env-pass-Kd93Jf02Lq',
  REL_TOTP: 'env-totp-JBSWY3DPEHPK3PXP',
  // Quotes, a space and non-ASCII: JSON and terminals escape it, so its escaped forms are scanned too.
  REL_PHRASE: 'env "phrase" with Ωmega-5521',
  REL_PROXY_PASSWORD: 'env-proxy-pw-Zu71Bn',
} as const;

/** Values written literally in resource files (bad practice, still never to be shown). */
export const LITERAL_SECRETS = {
  username: 'literal-user-Mx48Tb@acme.test',
  pin: 'literal-pin-Rg55Wc',
  proxyPassword: 'literal-proxy-pw-Ha62Df',
} as const;

/** Every planted value, with the forms it takes once escaped for JSON or a URL. */
export function plantedSecrets(): string[] {
  const values = [API_KEY, STATE_KEY, ...Object.values(ENV_SECRETS), ...Object.values(LITERAL_SECRETS)];
  const forms = new Set<string>();
  for (const value of values) {
    forms.add(value);
    forms.add(JSON.stringify(value).slice(1, -1));
    forms.add(encodeURIComponent(value));
  }
  return [...forms];
}

/** The environment every run gets: settings plus the planted `${env:}` values. */
export function baseEnv(apiUrl: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NO_COLOR: '1',
    INTUNED_API_URL: apiUrl,
    INTUNED_API_KEY: API_KEY,
    INTUNED_WORKSPACE_ID: WORKSPACE,
    INTUNED_PROJECT: PROJECT,
    INTUNED_GITOPS_STATE_KEY: STATE_KEY,
    ...ENV_SECRETS,
  };
}

export interface SessionBody {
  parameters: Record<string, unknown>;
  proxy?: string;
}

/** A resource file body that uses every kind of planted value. */
export function secretSession(index: number): SessionBody {
  return {
    parameters: {
      username: `${LITERAL_SECRETS.username}#${index}`,
      password: '${env:REL_PASSWORD}',
      totp: '${env:REL_TOTP}',
      phrase: 'prefix ${env:REL_PHRASE} suffix',
      pin: LITERAL_SECRETS.pin,
    },
    proxy: index % 2 === 0 ? 'http://proxy-user:${env:REL_PROXY_PASSWORD}@proxy.test:8080' : `http://proxy-user:${LITERAL_SECRETS.proxyPassword}@proxy.test:3128`,
  };
}
