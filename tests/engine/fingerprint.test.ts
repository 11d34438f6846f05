import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveStateKey, diffFingerprints, fingerprintSession } from '../../src/engine/fingerprint.js';
import { canonicalJson } from '../../src/engine/canonical-json.js';

const source = { apiKey: 'api-key-1', workspaceId: 'ws', project: 'proj' };

describe('fingerprint', () => {
  it('does not depend on key order, and changes with any value', () => {
    const { key } = deriveStateKey(source);
    const a = fingerprintSession(key, 'acme', { parameters: { user: 'u', password: 'p' }, createAttempts: 3 });
    const b = fingerprintSession(key, 'acme', { createAttempts: 3, parameters: { password: 'p', user: 'u' } });
    expect(a).toEqual(b);
    const c = fingerprintSession(key, 'acme', { parameters: { user: 'u', password: 'q' }, createAttempts: 3 });
    expect(c.session).not.toBe(a.session);
    expect(diffFingerprints(a, c)).toEqual({ parameters: ['password'], settings: [] });
  });

  it('takes "proxy": null for no proxy, so adding it to a file changes nothing', () => {
    const { key } = deriveStateKey(source);
    const without = fingerprintSession(key, 'acme', { parameters: { user: 'u' } });
    const withNull = fingerprintSession(key, 'acme', { parameters: { user: 'u' }, proxy: null });
    expect(withNull).toEqual(without);
    const withProxy = fingerprintSession(key, 'acme', { parameters: { user: 'u' }, proxy: 'http://proxy.test:8080' });
    expect(diffFingerprints(withProxy, withNull)).toEqual({ parameters: [], settings: ['proxy'] });
  });

  it('holds no secret and cannot be confirmed without the key', () => {
    const { key } = deriveStateKey(source);
    const password = 'hunter2';
    const fingerprint = fingerprintSession(key, 'acme', { parameters: { password } });
    const text = JSON.stringify(fingerprint);
    expect(text).not.toContain(password);
    // An unkeyed hash of the guessed value (or of the canonical body) matches nothing.
    for (const guess of [password, canonicalJson(password), canonicalJson({ id: 'acme', parameters: { password } })]) {
      const digest = createHash('sha256').update(guess).digest('hex');
      expect(text).not.toContain(digest.slice(0, 32));
    }
    // Equal passwords of two sessions do not look equal.
    const other = fingerprintSession(key, 'beta', { parameters: { password } });
    expect(other.parameters.password).not.toBe(fingerprint.parameters.password);
  });

  it('derives different keys per API key, per project, and prefers the explicit state key', () => {
    const derived = deriveStateKey(source);
    expect(deriveStateKey({ ...source, apiKey: 'api-key-2' }).id).not.toBe(derived.id);
    expect(deriveStateKey({ ...source, project: 'other' }).id).not.toBe(derived.id);
    const explicit = deriveStateKey({ ...source, stateKey: 'team-secret' });
    expect(explicit.source).toBe('INTUNED_GITOPS_STATE_KEY');
    expect(deriveStateKey({ ...source, apiKey: 'rotated', stateKey: 'team-secret' }).id).toBe(explicit.id);
  });
});
