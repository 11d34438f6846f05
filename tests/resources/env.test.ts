import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { substituteEnv } from '../../src/resources/env.js';

const ENV = { USER_NAME: 'ops', PASSWORD: 's3cret', EMPTY: '' };

describe('substituteEnv', () => {
  it.each([
    { text: '${env:PASSWORD}', value: 's3cret', secrets: ['s3cret'] },
    { text: 'http://${env:USER_NAME}:${env:PASSWORD}@proxy:8080', value: 'http://ops:s3cret@proxy:8080', secrets: ['ops', 's3cret'] },
    { text: '${env:PASSWORD}-${env:PASSWORD}', value: 's3cret-s3cret', secrets: ['s3cret'] },
    { text: 'plain text', value: 'plain text', secrets: [] },
    // The escape: a doubled `$` is the literal text, nothing is looked up.
    { text: '$${env:PASSWORD}', value: '${env:PASSWORD}', secrets: [] },
    { text: 'cost: $5 and ${other}', value: 'cost: $5 and ${other}', secrets: [] },
  ])('$text', ({ text, value, secrets }) => {
    const result = substituteEnv(text, ENV);
    expect(result.value).toBe(value);
    expect(result.secrets).toEqual(secrets);
    expect(result.unset).toEqual([]);
    expect(result.malformed).toBe(false);
  });

  it('lists unset variables once each, in order, and leaves their references', () => {
    const result = substituteEnv('${env:B}/${env:A}/${env:B}/${env:PASSWORD}', ENV);
    expect(result.unset).toEqual(['B', 'A']);
    expect(result.value).toBe('${env:B}/${env:A}/${env:B}/s3cret');
  });

  it('tells a variable set to the empty string from an unset one', () => {
    const result = substituteEnv('${env:EMPTY}/${env:NOPE}', ENV);
    expect(result.unset).toEqual(['EMPTY', 'NOPE']);
    expect(result.empty).toEqual(['EMPTY']);
    expect(result.value).toBe('${env:EMPTY}/${env:NOPE}');
  });

  it("never looks up the tool's own keys, even when they are set", () => {
    const result = substituteEnv('${env:INTUNED_API_KEY} ${env:INTUNED_GITOPS_STATE_KEY}', { INTUNED_API_KEY: 'api-key', INTUNED_GITOPS_STATE_KEY: 'state-key' });
    expect(result.toolKeys).toEqual(['INTUNED_API_KEY', 'INTUNED_GITOPS_STATE_KEY']);
    expect(result.value).toBe('${env:INTUNED_API_KEY} ${env:INTUNED_GITOPS_STATE_KEY}');
    expect(result.secrets).toEqual([]);
  });

  it('does not find names on Object.prototype', () => {
    expect(substituteEnv('${env:constructor}', {}).unset).toEqual(['constructor']);
    expect(substituteEnv('${env:__proto__}', {}).unset).toEqual(['__proto__']);
  });

  it.each(['${env:BAD-NAME}', '${env:1ST}', '${env:}', '${env:UNCLOSED', 'a ${env:WITH SPACE} b'])(
    'flags the malformed reference %s',
    (text) => {
      expect(substituteEnv(text, ENV).malformed).toBe(true);
    },
  );

  it('leaves text without a reference unchanged', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!text.includes('${env:'));
        expect(substituteEnv(text, ENV).value).toBe(text);
      }),
    );
  });

  it('puts any value in place verbatim, even one that looks like a reference', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), fc.string(), (before, value, after) => {
        fc.pre(!before.includes('$') && !after.includes('$') && !before.endsWith('$'));
        const result = substituteEnv(`${before}\${env:VALUE}${after}`, { VALUE: value });
        expect(result.value).toBe(`${before}${value}${after}`);
      }),
    );
  });
});

describe('an empty variable', () => {
  it('is refused like an unset one, so a blank secret is never sent', () => {
    const result = substituteEnv('${env:SF_PASSWORD}', { SF_PASSWORD: '' });
    expect(result.unset).toEqual(['SF_PASSWORD']);
    expect(result.substituted).toBe(false);
    expect(result.secrets).toEqual([]);
  });
});
