/**
 * Keyed fingerprints of what was applied to a session.
 *
 * The Intuned API never returns parameters, so change detection compares the desired body
 * with a record of what was last sent. That record must not reveal secrets, nor let a reader
 * of the state confirm a guessed password: an unkeyed hash of a short password is brute-forced
 * in seconds. So every fingerprint is an HMAC-SHA256 under a key that is not in the state.
 * The session ID (and the parameter name) are mixed in, so equal passwords of two sessions do
 * not show up as equal fingerprints.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { AuthSessionSpec } from '../resources/types.js';
import { pathKey } from '../resources/body.js';
import { normalizeJob } from './job-diff.js';
import { canonicalJson } from './canonical-json.js';
import { valueAt } from '../resources/kind.js';

export const FINGERPRINT_PREFIX = 'hmac-sha256:';
/** Per-field fingerprints are shortened: 128 bits are plenty to detect a change. */
const FIELD_FINGERPRINT_HEX = 32;
const KEY_BYTES = 32;
const DERIVATION_SALT = 'intuned-gitops/state-key/v1';
const KEY_ID_LABEL = 'intuned-gitops/key-id/v1';

/** The settings fields of a file besides `parameters`, in display order. */
export const SETTING_FIELDS = ['proxy', 'createAttempts', 'checkAttempts', 'saveTrace'] as const;
export type SettingField = (typeof SETTING_FIELDS)[number];

export interface Fingerprint {
  /** Of the whole body sent: this alone decides whether an update is due. */
  session: string;
  /** Per parameter name, so a plan can say which parameters changed. */
  parameters: Record<string, string>;
  /** Per setting that is set in the file. */
  settings: Partial<Record<SettingField, string>>;
}

export interface StateKeySource {
  /** INTUNED_GITOPS_STATE_KEY, when set. */
  stateKey?: string;
  apiKey: string;
  workspaceId: string;
  project: string;
}

export interface StateKey {
  key: Buffer;
  /** Identifies the key without revealing it, so a changed key is noticed. */
  id: string;
  /** Where the key came from, for messages. */
  source: 'INTUNED_GITOPS_STATE_KEY' | 'INTUNED_API_KEY';
}

/**
 * An explicit state key wins; otherwise one is derived from the API key with HKDF, bound to the
 * workspace and project so one API key gives unrelated keys for unrelated projects.
 */
export function deriveStateKey(source: StateKeySource): StateKey {
  const explicit = source.stateKey !== undefined && source.stateKey !== '';
  const material = explicit ? source.stateKey! : source.apiKey;
  const info = `${source.workspaceId}/${source.project}`;
  const key = Buffer.from(hkdfSync('sha256', material, DERIVATION_SALT, info, KEY_BYTES));
  const id = hmacHex(key, KEY_ID_LABEL).slice(0, 16);
  return { key, id, source: explicit ? 'INTUNED_GITOPS_STATE_KEY' : 'INTUNED_API_KEY' };
}

export function fingerprintSession(key: Buffer, id: string, spec: AuthSessionSpec): Fingerprint {
  // No prototype: a parameter may be named `__proto__`, and assigning that name on a plain
  // object replaces its prototype instead of recording the fingerprint.
  const parameters: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const name of Object.keys(spec.parameters).sort()) {
    parameters[name] = fieldFingerprint(key, id, `parameter:${name}`, spec.parameters[name]);
  }
  const settings: Partial<Record<SettingField, string>> = {};
  for (const field of SETTING_FIELDS) {
    if (isSet(spec[field])) settings[field] = fieldFingerprint(key, id, `setting:${field}`, spec[field]);
  }
  const body = { id, parameters: spec.parameters, ...pickSettings(spec) };
  return { session: FINGERPRINT_PREFIX + hmacHex(key, `session\0${canonicalJson(body)}`), parameters, settings };
}

/** What a job's apply records: the whole body, and each secret-bearing value by `pathKey`. */
export interface JobFingerprint {
  target: string;
  secretTargets: Record<string, string>;
}

/**
 * Of the job in one form (defaults filled in), so writing a default out in the file changes
 * nothing. The secret-bearing values get their own, so a masked one can still be compared.
 */
export function fingerprintJob(key: Buffer, id: string, spec: object, secretPaths: readonly (readonly (string | number)[])[]): JobFingerprint {
  const secretTargets: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const path of secretPaths) {
    const name = pathKey(path);
    secretTargets[name] = fieldFingerprint(key, id, `job-secret:${name}`, valueAt(spec, path));
  }
  const target = FINGERPRINT_PREFIX + hmacHex(key, `job\0${id}\0${canonicalJson(normalizeJob(spec as Record<string, unknown>))}`);
  return { target, secretTargets };
}

export interface FingerprintDiff {
  /** Parameters whose value changed, was added or was removed, by name. */
  parameters: string[];
  settings: SettingField[];
}

export function diffFingerprints(before: Fingerprint, after: Fingerprint): FingerprintDiff {
  const names = new Set([...Object.keys(before.parameters), ...Object.keys(after.parameters)]);
  const parameters = [...names].filter((name) => ownValue(before.parameters, name) !== ownValue(after.parameters, name)).sort();
  const settings = SETTING_FIELDS.filter((field) => ownValue(before.settings, field) !== ownValue(after.settings, field));
  return { parameters, settings };
}

/**
 * A name's own entry: `constructor` or `toString` read as `record[name]` finds what every object
 * inherits, so a parameter with such a name would look set in a record that lacks it.
 */
export function ownValue<T>(record: Partial<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

function pickSettings(spec: AuthSessionSpec): Partial<AuthSessionSpec> {
  const settings: Partial<AuthSessionSpec> = {};
  for (const field of SETTING_FIELDS) {
    if (isSet(spec[field])) (settings as Record<string, unknown>)[field] = spec[field];
  }
  return settings;
}

/** `"proxy": null` says "no proxy", as leaving it out does: the two must not differ. */
function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function fieldFingerprint(key: Buffer, id: string, field: string, value: unknown): string {
  return hmacHex(key, `${id}\0${field}\0${canonicalJson(value)}`).slice(0, FIELD_FINGERPRINT_HEX);
}

function hmacHex(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}
