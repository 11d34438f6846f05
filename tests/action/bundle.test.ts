/**
 * The committed bundle run as the runner runs it: `node dist/index.js` with INPUT_* variables,
 * an event file, and the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMENT_MARKER } from '../../src/render/markdown.js';
import type { GitHubEvent } from '../../src/action/types.js';
import { API_KEY, Fixture, OWNER, PROJECT, prEvent, pushEvent, REPO, SECRETS, session, TOKEN, WORKSPACE_ID, type Workspace } from './harness.js';

const BUNDLE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'index.js');
let fixture: Fixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

interface StepResult {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

async function runStep(workspace: Workspace, event: GitHubEvent): Promise<StepResult> {
  const files = { event: join(fixture!.root, 'event.json'), output: join(fixture!.root, 'output.txt'), summary: join(fixture!.root, 'summary.md') };
  await writeFile(files.event, JSON.stringify(event.payload));
  await writeFile(files.output, '');
  await writeFile(files.summary, '');
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    'INPUT_API-KEY': API_KEY,
    'INPUT_WORKSPACE-ID': WORKSPACE_ID,
    INPUT_PROJECT: PROJECT,
    'INPUT_API-URL': fixture!.emulator.url,
    'INPUT_GITHUB-TOKEN': TOKEN,
    INPUT_STATE: 'git:intuned-gitops-state',
    INPUT_COMMENT: 'true',
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_API_URL: fixture!.github.url,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_WORKSPACE: workspace.dir,
    ...SECRETS,
  };
  const child = spawn(process.execPath, [BUNDLE], { cwd: workspace.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stdout += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { code, stdout, outputs: parseOutputs(await readFile(files.output, 'utf8')), summary: await readFile(files.summary, 'utf8') };
}

/** GITHUB_OUTPUT as @actions/core writes it: `name<<DELIMITER`, the value, `DELIMITER`. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[match[1]!] = match[3]!;
  return outputs;
}

describe('the bundled Action (node dist/index.js)', () => {
  it('comments the plan on a pull request, then applies on push, masking secrets first', async () => {
    fixture = await Fixture.create();
    const workspace = await fixture.origin.clone();
    await workspace.file('acme.auth-session.json', session({ username: 'ops', password: '${env:ACME_PASSWORD}' }));

    const plan = await runStep(workspace, prEvent({ number: 12 }));
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.stdout.split('\n').slice(0, 2)).toEqual([`::add-mask::${API_KEY}`, `::add-mask::${TOKEN}`]);
    expect(plan.stdout).toContain(`::add-mask::${SECRETS.ACME_PASSWORD}`);
    const [comment] = fixture.github.comments(12);
    expect(comment!.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(comment!.body).toContain('**Merging will create 1 AuthSession.**');
    expect(plan.summary).toBe(`${comment!.body}\n`);
    expect(plan.outputs).toMatchObject({ 'has-changes': 'true', created: '1', failed: '0' });
    expect(JSON.parse(plan.outputs.plan!)).toMatchObject({ formatVersion: 1, mode: 'plan' });

    const apply = await runStep(workspace, pushEvent());
    expect(apply.code, apply.stdout).toBe(0);
    expect(apply.outputs).toMatchObject({ 'has-changes': 'true', created: '1', failed: '0' });
    expect(Object.keys(JSON.parse((await fixture.origin.state())!).sessions)).toEqual(['acme']);
    expect(fixture.emulator.sessions().map((s) => s.id)).toEqual(['acme']);
  });
});
