/**
 * `${env:NAME}` edges with the built CLI against the emulator: a variable set to "" is refused
 * as empty, once per variable however many files use it, and the tool's own keys cannot be
 * referenced at all. In every case nothing reaches Intuned.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, Project } from '../helpers/project.js';
import { session } from '../helpers/sessions.js';

const FOLDER = 'intuned-resources/auth-sessions';
const STATE_KEY = 'cli-test-state-key-5c1e8d';

let project: Project | undefined;
afterEach(async () => {
  await project?.close();
  project = undefined;
});

/** Lines of the CLI's problem report that name a variable. */
function linesNaming(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.includes(name));
}

describe('an empty environment variable', () => {
  async function threeFiles(): Promise<Project> {
    project = await Project.create();
    await project.file('acme.auth-session.json', session({ password: '${env:SF_PASSWORD}', again: 'x-${env:SF_PASSWORD}', otp: '${env:SF_TOTP}' }));
    await project.file('team/beta.auth-session.json', session({ password: '${env:SF_PASSWORD}' }));
    await project.file('steady.auth-session.json', session({ user: 'ops' }));
    return project;
  }

  it('`SF_PASSWORD= intuned-gitops apply`: one line per variable, saying empty or not set, naming every file; nothing sent', async () => {
    const p = await threeFiles();
    const result = await p.run(['apply'], { SF_PASSWORD: '' });
    expect(result.code).toBe(1);
    expect(linesNaming(result.stderr, 'SF_PASSWORD')).toEqual([
      `${FOLDER}/acme.auth-session.json:3:18: environment variable SF_PASSWORD is empty, used by 2 files: ${FOLDER}/acme.auth-session.json, ${FOLDER}/team/beta.auth-session.json; ` +
        'set it to its value before running intuned-gitops (in CI, an empty value means the secret is missing or not passed to this job)',
    ]);
    expect(linesNaming(result.stderr, 'SF_TOTP')).toEqual([
      `${FOLDER}/acme.auth-session.json:5:13: environment variable SF_TOTP is not set; set it before running intuned-gitops (in CI, pass it from a secret)`,
    ]);
    expect(p.emulator.requestCount()).toBe(0);
    expect(p.emulator.sessions()).toEqual([]);
  });

  it('the same two problems in the JSON error document, and from validate', async () => {
    const p = await threeFiles();
    const json = await p.run(['apply', '--output', 'json'], { SF_PASSWORD: '' });
    expect(json.code).toBe(1);
    const problems = (JSON.parse(json.stdout) as { error: { problems: { file: string; message: string }[] } }).error.problems;
    expect(problems.map((problem) => `${problem.file}: ${problem.message.split(';')[0]}`)).toEqual([
      `${FOLDER}/acme.auth-session.json: environment variable SF_PASSWORD is empty, used by 2 files: ${FOLDER}/acme.auth-session.json, ${FOLDER}/team/beta.auth-session.json`,
      `${FOLDER}/acme.auth-session.json: environment variable SF_TOTP is not set`,
    ]);
    const validate = await p.run(['validate'], { SF_PASSWORD: '' });
    expect(validate.code).toBe(1);
    expect(linesNaming(validate.stdout, 'environment variable')).toHaveLength(2);
    expect(p.emulator.requestCount()).toBe(0);
  });
});

describe("the tool's own keys", () => {
  it('are refused as parameters, naming file, line and what to do; nothing is sent, neither key is printed', async () => {
    project = await Project.create();
    await project.file('crm.auth-session.json', session({ user: 'ops', apiKey: '${env:INTUNED_API_KEY}' }));
    await project.file('vault.auth-session.json', session({ user: 'ops' }, { proxy: 'http://u:${env:INTUNED_GITOPS_STATE_KEY}@proxy.test:8080' }));
    const env = { INTUNED_GITOPS_STATE_KEY: STATE_KEY };
    const result = await project.run(['apply'], env);
    expect(result.code).toBe(1);
    expect(linesNaming(result.stderr, '${env:INTUNED_')).toEqual([
      `${FOLDER}/crm.auth-session.json:4:16: \${env:INTUNED_API_KEY} is the Intuned API key of intuned-gitops itself; it is never sent to a login script: ` +
        'give the script its own variable (a separate secret) and reference that instead',
      `${FOLDER}/vault.auth-session.json:5:22: \${env:INTUNED_GITOPS_STATE_KEY} is the key of the state's fingerprints (a login script that gets it can confirm guessed secrets in the state); ` +
        'it is never sent to a login script: give the script its own variable (a separate secret) and reference that instead',
    ]);
    expect(project.emulator.requestCount()).toBe(0);
    const validate = await project.run(['validate', '--output', 'json'], env);
    expect(validate.code).toBe(1);
    expect((JSON.parse(validate.stdout) as { problems: unknown[] }).problems).toHaveLength(2);
    for (const output of [result, validate]) for (const key of [API_KEY, STATE_KEY]) expect(output.stdout + output.stderr).not.toContain(key);
  });
});
