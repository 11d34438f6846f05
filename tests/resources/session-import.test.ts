/**
 * The skeleton `import --kind auth-session` writes: placeholders read from unset variables, so
 * the file cannot be applied with blank parameters by accident.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvNames } from '../../src/resources/env-names.js';
import { loadResources } from '../../src/resources/loader.js';
import { sessionSkeletonText, unmanageableSession } from '../../src/resources/session-import.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function load(file: string, text: string, env: Record<string, string>) {
  dir = await mkdtemp(join(tmpdir(), 'intuned-gitops-import-'));
  await mkdir(dirname(join(dir, file)), { recursive: true });
  await writeFile(join(dir, file), text);
  return loadResources({ dir, env });
}

const crmBot = { id: 'crm-bot', type: 'CREDENTIALS', status: 'READY' };

describe('sessionSkeletonText', () => {
  it('writes placeholders from variables named after the session, and says they are a guess', () => {
    const file = sessionSkeletonText(crmBot, new EnvNames());
    if (!file.ok) throw new Error(file.message);
    expect(file.file).toBe('intuned-resources/auth-sessions/crm-bot.auth-session.jsonc');
    expect(file.env).toEqual(['AUTH_SESSION_CRM_BOT_USERNAME', 'AUTH_SESSION_CRM_BOT_PASSWORD']);
    expect(file.text).toContain("// Intuned never returns a session's parameters, so these are placeholders");
    expect(file.text).toContain('"username" and "password" are a guess');
    expect(file.text).toContain('"username": "${env:AUTH_SESSION_CRM_BOT_USERNAME}"');
  });

  it('cannot be applied as it is: until the variables are set, loading names them and declares nothing', async () => {
    const file = sessionSkeletonText(crmBot, new EnvNames());
    if (!file.ok) throw new Error(file.message);
    const unset = await load(file.file, file.text, {});
    expect(unset.sessions).toEqual([]);
    const messages = unset.problems.map((problem) => problem.message).join('\n');
    expect(messages).toContain('AUTH_SESSION_CRM_BOT_USERNAME');
    expect(messages).toContain('AUTH_SESSION_CRM_BOT_PASSWORD');

    const set = await load(file.file, file.text, { AUTH_SESSION_CRM_BOT_USERNAME: 'bot@example.com', AUTH_SESSION_CRM_BOT_PASSWORD: 'pw-3f9a1c' });
    expect(set.problems).toEqual([]);
    expect(set.sessions.map((session) => session.spec)).toEqual([{ parameters: { username: 'bot@example.com', password: 'pw-3f9a1c' } }]);
  });

  it('names IDs with characters a variable cannot hold predictably', () => {
    const file = sessionSkeletonText({ id: 'eu(west),2', type: 'CREDENTIALS', status: 'READY' }, new EnvNames());
    expect(file.ok && file.env).toEqual(['AUTH_SESSION_EU_WEST__2_USERNAME', 'AUTH_SESSION_EU_WEST__2_PASSWORD']);
  });

  it('tells the sessions a file cannot manage', () => {
    expect(unmanageableSession(crmBot)).toBeUndefined();
    expect(unmanageableSession({ id: 'rec', type: 'RECORDER', status: 'READY' })).toBe('it is a RECORDER session; only CREDENTIALS sessions can be managed from files');
  });
});
