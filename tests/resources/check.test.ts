import { describe, expect, it } from 'vitest';
import { checkResourceText } from '../../src/resources/check.js';
import { MAX_NESTING_DEPTH } from '../../src/resources/body.js';

const FILE = 'intuned-resources/auth-sessions/acme.auth-session.jsonc';

function check(text: string, env: Record<string, string> = {}, requireEnv = true) {
  return checkResourceText({ file: FILE, text, env, requireEnv });
}

function lines(text: string, env: Record<string, string> = {}) {
  return check(text, env).problems.map((p) => `${p.line}:${p.column}: ${p.message}`);
}

describe('checkResourceText', () => {
  it('returns what is sent: every set field, no $schema, values from the environment', () => {
    const result = check(
      `// comment
      {
        "$schema": "../schema.json",
        "parameters": { "user": "ops", "password": "\${env:PW}", "nested": { "list": [1, "\${env:PW}"] }, },
        /* block comment */
        "proxy": null,
        "createAttempts": 2,
        "checkAttempts": 4,
        "saveTrace": false,
      }`,
      { PW: 'pw-value' },
    );
    expect(result.problems).toEqual([]);
    expect(result.spec).toEqual({
      parameters: { user: 'ops', password: 'pw-value', nested: { list: [1, 'pw-value'] } },
      proxy: null,
      createAttempts: 2,
      checkAttempts: 4,
      saveTrace: false,
    });
    expect(result.secrets).toEqual(['pw-value']);
  });

  it('leaves out the fields a file does not set', () => {
    expect(check('{ "parameters": {} }').spec).toEqual({ parameters: {} });
  });

  it('does not substitute inside keys', () => {
    expect(check('{ "parameters": { "${env:PW}": 1 } }', { PW: 'x' }).spec).toEqual({
      parameters: { '${env:PW}': 1 },
    });
  });

  it('keeps a "__proto__" parameter as data', () => {
    const spec = check('{ "parameters": { "__proto__": { "polluted": true } } }').spec;
    expect(Object.getPrototypeOf(spec?.parameters)).toBe(Object.prototype);
    expect(Object.keys(spec?.parameters ?? {})).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('counts lines across \\r\\n and \\r line ends', () => {
    expect(lines('{\r\n  "parameters": {},\r\n  "saveTrace": 1\r\n}')).toEqual([
      '3:16: "saveTrace" must be true or false, got a number',
    ]);
    expect(lines('{\r"parameters": {},\r"saveTrace": 1}')).toEqual([
      '3:14: "saveTrace" must be true or false, got a number',
    ]);
  });

  it('reports only the first syntax error', () => {
    expect(lines('{ "parameters": { "a": 1 "b": 2 } "c" }')).toEqual(['1:26: invalid JSONC: expected a comma']);
  });

  it('reports content after the value', () => {
    expect(lines('{ "parameters": {} }\n{ "parameters": {} }')).toEqual([
      '2:1: invalid JSONC: expected the end of the file after the value',
    ]);
  });

  it('reports a file of comments only', () => {
    expect(lines('// nothing here\n')).toEqual(['2:1: invalid JSONC: expected a value']);
  });

  it('reports nesting deeper than the limit once', () => {
    const deep = `${'['.repeat(MAX_NESTING_DEPTH + 5)}${']'.repeat(MAX_NESTING_DEPTH + 5)}`;
    expect(lines(`{ "parameters": { "a": ${deep} } }`)).toEqual([
      `1:${24 + MAX_NESTING_DEPTH - 1}: nested more than ${MAX_NESTING_DEPTH} levels deep; flatten this value`,
    ]);
  });

  it('survives nesting that exhausts the parser', () => {
    const text = `{ "parameters": ${'['.repeat(200_000)} }`;
    expect(check(text).problems.length).toBe(1);
  });

  it('explains a proxy made invalid by a substituted value without showing it', () => {
    const result = lines('{ "parameters": {}, "proxy": "http://u:${env:PW}@proxy.example.com" }', {
      PW: 'has/slash',
    });
    expect(result).toEqual([
      '1:30: "proxy" is not a valid URL; write it like http://user:${env:PROXY_PASSWORD}@proxy.example.com:8080 (percent-encode characters such as @ / : # ? in values from the environment)',
    ]);
  });

  it('says a number from the environment is a string', () => {
    expect(lines('{ "parameters": {}, "createAttempts": "${env:N}" }', { N: '3' })).toEqual([
      '1:39: "createAttempts" must be a whole number of at least 1, got a string',
    ]);
  });

  it('reports a number beyond the safe integer range as too large', () => {
    expect(lines('{ "parameters": {}, "checkAttempts": 1e300 }')).toEqual([
      '1:38: "checkAttempts" is too large',
    ]);
  });
});

describe('checkResourceText with requireEnv: false', () => {
  const text = '{ "parameters": { "pw": "${env:PW}" }, "proxy": "${env:PROXY_URL}" }';

  it('lists unset variables instead of reporting them, and skips format checks they block', () => {
    const result = check(text, {}, false);
    expect(result.problems).toEqual([]);
    expect(result.unsetEnv).toEqual(['PW', 'PROXY_URL']);
    expect(result.spec).toEqual({ parameters: { pw: '${env:PW}' }, proxy: '${env:PROXY_URL}' });
  });

  it('still reports everything else', () => {
    const result = check('{ "parameters": { "pw": "${env:PW}" }, "saveTrace": "no" }', {}, false);
    expect(result.problems.map((p) => p.message)).toEqual(['"saveTrace" must be true or false, got a string']);
    expect(result.spec).toBeUndefined();
  });

  it('reports them when requireEnv is true', () => {
    expect(lines(text)).toEqual([
      '1:26: environment variable PW is not set; set it before running intuned-gitops (in CI, pass it from a secret)',
      '1:50: environment variable PROXY_URL is not set; set it before running intuned-gitops (in CI, pass it from a secret)',
    ]);
  });
});
