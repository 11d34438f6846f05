import { describe, expect, it } from 'vitest';
import { parseStateDocument, serializeState } from '../../src/state/document.js';
import { mergeStates } from '../../src/state/git-merge.js';
import { planOf, remote, stateWith, summaryOf } from './builders.js';
import { desired } from '../helpers/sessions.js';
import { FakeApi, reconcile, textBackend } from './reconcile.js';

/** Valid AuthSession IDs that are also names on every plain object's prototype. */
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'valueOf', 'toString', 'isPrototypeOf', 'hasOwnProperty'];

describe('IDs that are Object.prototype names are ordinary IDs', () => {
  it.each(PROTOTYPE_NAMES)('%s is created, recorded, kept up to date and deleted like any other', async (id) => {
    const api = new FakeApi();
    const backend = textBackend();
    const files = [desired(id), desired('acme')];
    const first = await reconcile(api, backend, files);
    const ids = [id, 'acme'].sort();
    expect(first.plan.entries.map((entry) => `${entry.action} ${entry.id}: ${entry.reason}`)).toEqual(ids.map((each) => `create ${each}: new file`));
    expect(first.applied!.summary).toMatchObject({ created: 2, failed: 0 });
    expect(Object.hasOwn(backend.current()!.sessions, id)).toBe(true);
    const written = JSON.parse(backend.text!).sessions;
    expect(Object.hasOwn(written, id) && written[id].applied).toMatchObject({ session: expect.any(String) });

    const again = await reconcile(api, backend, files);
    expect(again.plan.entries.map((entry) => `${entry.action} ${entry.id}`)).toEqual(ids.map((each) => `noop ${each}`));
    expect(again.plan.unmanaged).toEqual([]);

    const removed = await reconcile(api, backend, [desired('acme')]);
    expect(removed.plan.entries.filter((entry) => entry.action !== 'noop').map((entry) => `${entry.action} ${entry.id}: ${entry.reason}`)).toEqual([`delete ${id}: file removed`]);
    expect(api.sessions.has(id)).toBe(false);
    expect(Object.hasOwn(backend.current()!.sessions, id)).toBe(false);
  });

  it('lists dashboard sessions with such IDs as unmanaged and never touches them', async () => {
    const api = new FakeApi();
    for (const id of PROTOTYPE_NAMES) api.sessions.set(id, remote(id));
    const backend = textBackend();
    const { plan, applied } = await reconcile(api, backend, [desired('acme')]);
    expect(plan.unmanaged).toEqual([...PROTOTYPE_NAMES].sort());
    expect(plan.entries.map((entry) => entry.id)).toEqual(['acme']);
    expect(applied!.summary.deleted).toBe(0);
    expect([...api.sessions.keys()].sort()).toEqual(['acme', ...PROTOTYPE_NAMES].sort());
  });

  it('plans a new file with such an ID as new, not as deleted outside the tool', () => {
    for (const id of PROTOTYPE_NAMES) expect(summaryOf({ desired: [desired(id)] })).toEqual([`create ${id}: new file`]);
    for (const id of PROTOTYPE_NAMES) {
      expect(summaryOf({ desired: [desired(id)], remote: [remote(id)] })).toEqual([
        `update ${id}: adopting the existing session: its parameters are unknown, so they are applied once`,
      ]);
    }
    expect(planOf({ desired: [], remote: PROTOTYPE_NAMES.map((id) => remote(id)) }).unmanaged).toEqual([...PROTOTYPE_NAMES].sort());
  });

  it('keeps such IDs as real keys through the state\'s text', () => {
    const document = stateWith(PROTOTYPE_NAMES.map((id) => desired(id)));
    const text = serializeState(document);
    expect(Object.keys(JSON.parse(text).sessions)).toEqual([...PROTOTYPE_NAMES].sort());
    const read = parseStateDocument(text, 'memory');
    expect(Object.keys(read.sessions)).toEqual([...PROTOTYPE_NAMES].sort());
    expect(Object.getPrototypeOf(read.sessions['__proto__'])).toBe(Object.prototype);
    expect(serializeState(read)).toBe(text);
  });

  it('refuses a state whose __proto__ record does not fit, like any other', () => {
    // Written out: an object literal's `__proto__:` would set a prototype, not a key.
    const text = '{ "formatVersion": 1, "workspaceId": "ws", "project": "proj", "keyId": "k", "sessions": { "__proto__": { "file": 7 } } }';
    expect(() => parseStateDocument(text, 'memory')).toThrow(/at sessions\.__proto__\.file/);
  });

  it('merges such IDs from a raced git state without losing or inventing one', () => {
    const base = stateWith([desired('acme')]);
    const ours = stateWith([desired('acme'), desired('__proto__')]);
    const theirs = stateWith([desired('acme'), desired('constructor')]);
    const merged = mergeStates({ base, ours, theirs });
    expect(Object.keys(merged.sessions).sort()).toEqual(['__proto__', 'acme', 'constructor']);
    const dropped = mergeStates({ base: ours, ours: stateWith([desired('acme')]), theirs: ours });
    expect(Object.keys(dropped.sessions)).toEqual(['acme']);
  });
});
