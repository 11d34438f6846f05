import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateStore } from '../../src/state/store.js';
import { fileStateBackend } from '../../src/state/file.js';
import { emptyState, type StateDocument } from '../../src/state/types.js';
import { StateError } from '../../src/errors.js';

describe('state', () => {
  it('serves many concurrent flushes with few writes, each holding every earlier change', async () => {
    const writes: StateDocument[] = [];
    const backend = {
      description: 'memory',
      read: async () => undefined,
      write: async (document: StateDocument) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        writes.push(document);
      },
    };
    const store = new StateStore(backend, emptyState({ workspaceId: 'ws', project: 'p', keyId: 'k' }));
    await Promise.all(
      Array.from({ length: 100 }, async (_, index) => {
        store.update(`s-${index}`, (session) => ({ ...session, file: `f${index}` }));
        await store.flush();
        expect(writes.at(-1)!.sessions[`s-${index}`]).toBeDefined();
      }),
    );
    expect(writes.length).toBeLessThanOrEqual(2);
    expect(Object.keys(writes.at(-1)!.sessions)).toHaveLength(100);
  });

  it('writes the file atomically and reads it back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'state-'));
    const backend = fileStateBackend({ path: '.intuned-gitops/state.json', dir, spec: 'file:.intuned-gitops/state.json' });
    expect(await backend.read()).toBeUndefined();
    const document = emptyState({ workspaceId: 'ws', project: 'p', keyId: 'k' });
    document.sessions.bbb = { file: 'b' };
    document.sessions.aaa = { file: 'a' };
    await backend.write(document);
    expect(await backend.read()).toEqual(document);
    const text = await readFile(join(dir, '.intuned-gitops/state.json'), 'utf8');
    expect(text.indexOf('"aaa"')).toBeLessThan(text.indexOf('"bbb"'));
    expect(await readdir(join(dir, '.intuned-gitops'))).toEqual(['state.json']);
  });

  it('refuses a state file that is not JSON or is from a newer version, saying what to do', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'state-'));
    const path = join(dir, 'state.json');
    const backend = fileStateBackend({ path, dir, spec: `file:${path}` });
    await (await import('node:fs/promises')).writeFile(path, '{"formatVersion": 1,');
    await expect(backend.read()).rejects.toThrow(/is not valid JSON .*restore it from a backup or git history/);
    await (await import('node:fs/promises')).writeFile(path, JSON.stringify({ formatVersion: 9 }));
    await expect(backend.read()).rejects.toThrow(StateError);
    await expect(backend.read()).rejects.toThrow(/formatVersion 9, newer than this intuned-gitops understands/);
  });
});
