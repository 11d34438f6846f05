/**
 * Hostile input, property-based (fast-check, fixed seeds, bounded runs), against the pure
 * check of one file's text: random text, valid files with odd Unicode everywhere, mutated
 * files, deep nesting, huge strings and every shape of `${env:` reference. Whatever comes in,
 * the check returns a valid spec or clear `path:line:col: message` problems, and never throws.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkResourceText } from '../../src/resources/check.js';
import { Figures } from './figures.js';
import { asJsonc, expectClearOutcome, mutate, mutation, oddText, SEED, validBody } from './hostile.js';
import { ENV_SECRETS } from './secrets.js';
import { Transcript } from './transcript.js';

const transcript = new Transcript();
const figures = new Figures('hostile-text');
const FILE = 'intuned-resources/auth-sessions/hostile.auth-session.jsonc';

afterAll(async () => {
  await figures.write(transcript);
  expect(transcript.leaks).toEqual([]);
});

function check(text: string) {
  figures.add('inputsTried');
  const outcome = checkResourceText({ file: FILE, text, env: { ...ENV_SECRETS }, requireEnv: true });
  transcript.add('problems', JSON.stringify(outcome.problems));
  expectClearOutcome(outcome, FILE, text);
  return outcome;
}

describe('random text', () => {
  it('any text at all: a clear outcome', () => {
    fc.assert(fc.property(oddText(400), (text) => void check(text)), { seed: SEED, numRuns: 400 });
  });

  it('text made of JSONC tokens: a clear outcome', () => {
    const token = fc.constantFrom('{', '}', '[', ']', '"parameters"', '"proxy"', ':', ',', '"x"', '1', 'true', 'null', '//c\n', '/*c*/', ' ', '\n');
    fc.assert(fc.property(fc.array(token, { maxLength: 60 }), (tokens) => void check(tokens.join(''))), { seed: SEED, numRuns: 400 });
  });
});

describe('valid files with odd Unicode in keys and values', () => {
  it('round-trip: the spec holds exactly the parameters written', () => {
    fc.assert(
      fc.property(validBody, oddText(20), (body, comment) => {
        const text = asJsonc(body, comment);
        fc.pre(!text.includes('${env:') || text.includes('${env:REL_PROXY_PASSWORD}'));
        const outcome = check(text);
        expect(outcome.problems).toEqual([]);
        expect(outcome.spec?.parameters).toEqual(JSON.parse(JSON.stringify(body.parameters)));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('mutated files', () => {
  it('one to six mutations of a valid file: a clear outcome', () => {
    fc.assert(
      fc.property(validBody, fc.array(mutation, { minLength: 1, maxLength: 6 }), (body, mutations) => void check(mutate(asJsonc(body, 'mutated'), mutations))),
      { seed: SEED, numRuns: 600 },
    );
  });
});

describe('deep nesting', () => {
  it('arrays and objects nested up to 200,000 deep, closed or not: a clear problem, never a stack overflow', () => {
    const shape = fc.record({ depth: fc.integer({ min: 60, max: 200_000 }), object: fc.boolean(), closed: fc.boolean() });
    fc.assert(
      fc.property(shape, ({ depth, object, closed }) => {
        const open = object ? '{"a":'.repeat(depth) : '['.repeat(depth);
        const close = closed ? (object ? '1' + '}'.repeat(depth) : ']'.repeat(depth)) : '';
        const outcome = check(`{"parameters": {"deep": ${open}${close}}}`);
        if (depth > 64) expect(outcome.problems.map((problem) => problem.message).join('\n')).toMatch(/nested|expected|closing/);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});

describe('huge strings', () => {
  it('keys and values of up to 1.5 MB: a valid spec or a clear problem', () => {
    const size = fc.integer({ min: 100_000, max: 1_500_000 });
    fc.assert(
      fc.property(size, oddText(3), (length, seed) => {
        const filler = (seed || 'x').repeat(Math.ceil(length / Math.max(1, seed.length))).slice(0, length);
        const body = { parameters: { [filler.slice(0, 100_000)]: filler, big: [filler, filler.length] } };
        const outcome = check(JSON.stringify(body));
        if (!filler.includes('${env:')) expect(outcome.spec?.parameters).toEqual(JSON.parse(JSON.stringify(body.parameters)));
      }),
      { seed: SEED, numRuns: 4 },
    );
  });

  it('an unknown top-level key of 1 MB gets a problem without a runaway suggestion search', () => {
    const outcome = check(`{"parameters": {}, "${'p'.repeat(1_000_000)}": 1}`);
    expect(outcome.problems.map((problem) => problem.message)).toEqual([expect.stringContaining('unknown key')]);
  });
});

describe('${env:} references', () => {
  it('every shape of reference: substituted, or a problem naming the variable, never a value', () => {
    const name = fc.oneof(fc.constantFrom(...Object.keys(ENV_SECRETS), 'UNSET_VAR', '__proto__', 'constructor', 'toString', '', '1BAD', 'a-b', 'x'.repeat(300)), oddText(6));
    const reference = fc.tuple(fc.constantFrom('${env:', '$${env:', '${ env:', '${env:${env:'), name, fc.constantFrom('}', '', '}}', ' }'));
    fc.assert(
      fc.property(fc.array(fc.oneof(reference.map((parts) => parts.join('')), oddText(5)), { maxLength: 5 }), (parts) => {
        const value = parts.join('');
        const outcome = check(JSON.stringify({ parameters: { password: value }, proxy: `http://u:${value}@proxy.test:1` }));
        for (const problem of outcome.problems) {
          for (const secret of Object.values(ENV_SECRETS)) expect(problem.message).not.toContain(secret);
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
  });
});

describe('what a terminal receives', () => {
  it('problem messages are one line without control characters, whatever the keys hold', () => {
    const control = fc.integer({ min: 0, max: 0x1f }).map((code) => `\\u${code.toString(16).padStart(4, '0')}`);
    const key = fc.tuple(oddText(4), control, oddText(4)).map((parts) => parts.join(''));
    fc.assert(
      fc.property(key, fc.boolean(), (escapedKey, topLevel) => {
        const text = topLevel ? `{"parameters": {}, "${escapedKey}": 1}` : `{"parameters": {"${escapedKey}": 1, "${escapedKey}": 2}}`;
        const outcome = check(text);
        expect(outcome.problems.length).toBeGreaterThan(0);
        for (const problem of outcome.problems) expect(problem.message).not.toMatch(/[\u0000-\u001f]/);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});
