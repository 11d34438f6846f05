/**
 * One fixture per bad-input case, asserting the exact lines a user reads from
 * `intuned-gitops validate` and its exit code.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCommand } from '../../src/cli/commands/validate.js';
import { bufferOutput } from '../../src/front-end/io.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/resources');
const FOLDER = 'intuned-resources/auth-sessions';

/** The env every fixture runs with: ACME_PASSWORD set, nothing else. */
const ENV = { ACME_PASSWORD: 'fixture-password' };

async function validate(fixture: string) {
  const output = bufferOutput();
  const exitCode = await validateCommand({ dir: join(FIXTURES, fixture), env: ENV, output });
  return { exitCode, lines: output.stdout.trimEnd().split('\n'), stderr: output.stderr };
}

const cases: { fixture: string; lines: string[] }[] = [
  {
    fixture: 'malformed-jsonc',
    lines: [
      `${FOLDER}/acme.auth-session.jsonc:4:5: invalid JSONC: expected a comma`,
      `${FOLDER}/unclosed-string.auth-session.json:3:31: invalid JSONC: a string is not closed with "`,
      '2 problems in 2 files',
    ],
  },
  {
    fixture: 'not-an-object',
    lines: [
      `${FOLDER}/acme.auth-session.jsonc:2:1: the file must hold an object like { "parameters": { ... } }, got an array`,
      `${FOLDER}/just-a-string.auth-session.json:1:1: the file must hold an object like { "parameters": { ... } }, got a string`,
      '2 problems in 2 files',
    ],
  },
  {
    fixture: 'missing-parameters',
    lines: [
      `${FOLDER}/acme.auth-session.jsonc:1:1: missing required key "parameters": add it with the values your auth-sessions/create code expects`,
      '1 problem in 1 file',
    ],
  },
  {
    fixture: 'parameters-not-object',
    lines: [
      `${FOLDER}/acme.auth-session.jsonc:2:17: "parameters" must be an object of parameter names and values, got an array`,
      `${FOLDER}/globex.auth-session.jsonc:2:17: "parameters" must be an object of parameter names and values, got a string`,
      '2 problems in 2 files',
    ],
  },
  {
    fixture: 'wrong-types',
    lines: [
      `${FOLDER}/acme.auth-session.jsonc:2:14: "$schema" must be a string (the path or URL of the JSON Schema), got a number`,
      `${FOLDER}/acme.auth-session.jsonc:4:12: "proxy" must be a URL string or null, got a number`,
      `${FOLDER}/acme.auth-session.jsonc:5:16: "saveTrace" must be true or false, got a string`,
      `${FOLDER}/acme.auth-session.jsonc:6:20: "checkAttempts" must be a whole number of at least 1, got a boolean`,
      '4 problems in 1 file',
    ],
  },
  {
    fixture: 'unknown-keys',
    lines: [
      `${FOLDER}/acme.auth-session.jsonc:2:3: unknown key "paramters"; did you mean "parameters"?`,
      `${FOLDER}/acme.auth-session.jsonc:3:3: unknown key "savetrace"; did you mean "saveTrace"?`,
      `${FOLDER}/globex.auth-session.jsonc:3:3: unknown key "username"; the allowed keys are "$schema", "parameters", "proxy", "createAttempts", "checkAttempts", "saveTrace" (values for your create code go inside "parameters")`,
      `${FOLDER}/globex.auth-session.jsonc:4:3: unknown key "retries"; the allowed keys are "$schema", "parameters", "proxy", "createAttempts", "checkAttempts", "saveTrace" (values for your create code go inside "parameters")`,
      '4 problems in 2 files',
    ],
  },
  {
    fixture: 'invalid-proxy',
    lines: [
      `${FOLDER}/ftp-scheme.auth-session.jsonc:3:12: "proxy" must start with http://, https:// or socks5://`,
      `${FOLDER}/no-host.auth-session.jsonc:3:12: "proxy" must name a host, as in http://proxy.example.com:8080`,
      `${FOLDER}/not-a-url.auth-session.jsonc:3:12: "proxy" must start with http://, https:// or socks5://`,
      '3 problems in 3 files',
    ],
  },
  {
    fixture: 'bad-attempts',
    lines: [
      `${FOLDER}/fraction-and-string.auth-session.jsonc:3:21: "createAttempts" must be a whole number of at least 1, got a number with a fraction`,
      `${FOLDER}/fraction-and-string.auth-session.jsonc:4:20: "checkAttempts" must be a whole number of at least 1, got a string`,
      `${FOLDER}/zero-and-negative.auth-session.jsonc:3:21: "createAttempts" must be a whole number of at least 1`,
      `${FOLDER}/zero-and-negative.auth-session.jsonc:4:20: "checkAttempts" must be a whole number of at least 1`,
      '4 problems in 2 files',
    ],
  },
  {
    fixture: 'id-too-short',
    lines: [
      `${FOLDER}/ab.auth-session.jsonc:1:1: ID "ab" (from the file name) is too short: an ID needs at least 3 characters; rename the file`,
      '1 problem in 1 file',
    ],
  },
  {
    fixture: 'id-forbidden-characters',
    lines: [
      `${FOLDER}/acme portal!.auth-session.json:1:1: ID "acme portal!" (from the file name) has characters that are not allowed: " ", "!"; rename the file using only letters, digits and - ( ) , _`,
      `${FOLDER}/ops@team.auth-session.jsonc:1:1: ID "ops@team" (from the file name) has characters that are not allowed: "@"; rename the file using only letters, digits and - ( ) , _`,
      '2 problems in 2 files',
    ],
  },
  {
    fixture: 'duplicate-id-extensions',
    lines: [
      `${FOLDER}/acme.auth-session.json:1:1: duplicate ID "acme": also declared by ${FOLDER}/acme.auth-session.jsonc; keep one file per ID`,
      `${FOLDER}/acme.auth-session.jsonc:1:1: duplicate ID "acme": also declared by ${FOLDER}/acme.auth-session.json; keep one file per ID`,
      '2 problems in 2 files',
    ],
  },
  {
    fixture: 'duplicate-id-folders',
    lines: [
      `${FOLDER}/acme.auth-session.jsonc:1:1: duplicate ID "acme": also declared by ${FOLDER}/crm/acme.auth-session.jsonc; keep one file per ID`,
      `${FOLDER}/crm/acme.auth-session.jsonc:1:1: duplicate ID "acme": also declared by ${FOLDER}/acme.auth-session.jsonc; keep one file per ID`,
      '2 problems in 2 files',
    ],
  },
  {
    fixture: 'unset-env',
    lines: [
      `${FOLDER}/acme.auth-session.jsonc:5:20: environment variable ACME_TOTP_SECRET is not set; set it before running intuned-gitops (in CI, pass it from a secret)`,
      `${FOLDER}/acme.auth-session.jsonc:7:27: environment variable ACME_PROXY_PASSWORD is not set; set it before running intuned-gitops (in CI, pass it from a secret)`,
      '2 problems in 1 file',
    ],
  },
  {
    fixture: 'malformed-env-reference',
    lines: [
      `${FOLDER}/acme.auth-session.jsonc:3:18: malformed \${env:…} reference: write \${env:NAME}, where NAME has letters, digits and _ and does not start with a digit (write $\${env: for the literal text \${env:)`,
      `${FOLDER}/acme.auth-session.jsonc:4:20: malformed \${env:…} reference: write \${env:NAME}, where NAME has letters, digits and _ and does not start with a digit (write $\${env: for the literal text \${env:)`,
      '2 problems in 1 file',
    ],
  },
  {
    fixture: 'duplicate-keys',
    lines: [
      `${FOLDER}/acme.auth-session.jsonc:4:5: duplicate key "password"; only one of them would count, so remove the other`,
      `${FOLDER}/acme.auth-session.jsonc:7:3: duplicate key "saveTrace"; only one of them would count, so remove the other`,
      '2 problems in 1 file',
    ],
  },
  {
    fixture: 'not-utf8',
    lines: [
      // Line 2 is `  "parameters": { "username": "M\xfc…`: the Latin-1 ü is byte 33 of the line.
      `${FOLDER}/acme.auth-session.jsonc:2:33: file is not valid UTF-8 (the first invalid byte is here); save it with UTF-8 encoding`,
      `${FOLDER}/utf16.auth-session.json:1:1: file is not valid UTF-8 (the first invalid byte is here); save it with UTF-8 encoding`,
      '2 problems in 2 files',
    ],
  },
  {
    fixture: 'empty-file',
    lines: [
      `${FOLDER}/acme.auth-session.jsonc:1:1: file is empty; it must hold an object like { "parameters": { ... } }`,
      `${FOLDER}/blank.auth-session.json:1:1: file is empty; it must hold an object like { "parameters": { ... } }`,
      '2 problems in 2 files',
    ],
  },
  {
    fixture: 'misnamed-file',
    lines: [
      `${FOLDER}/acme.jsonc:1:1: not read: resource file names end in .auth-session.jsonc or .auth-session.json, in lower case, with the ID before it; rename it to "acme.auth-session.jsonc", or move it out of the auth-sessions folder`,
      '1 problem in 1 file',
    ],
  },
];

describe('validate on bad fixtures', () => {
  it.each(cases)('$fixture: exits 1 with the expected lines', async ({ fixture, lines }) => {
    const result = await validate(fixture);
    expect(result.lines).toEqual(lines);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('');
  });
});

describe('validate when there is nothing to manage', () => {
  it('says so and exits 0 when the folder is missing', async () => {
    const result = await validate('no-folder');
    expect(result.lines).toEqual([
      `Nothing to manage: no ${FOLDER} folder in ${join(FIXTURES, 'no-folder')}.`,
    ]);
    expect(result.exitCode).toBe(0);
  });

  it('says so and exits 0 when the folder holds no resource file', async () => {
    const result = await validate('empty-folder');
    expect(result.lines).toEqual([
      `Nothing to manage: no *.auth-session.jsonc or .json files in ${FOLDER}.`,
    ]);
    expect(result.exitCode).toBe(0);
  });
});
