import { describe, expect, it } from 'vitest';
import { planChanges, planDigest, type PlanChange } from '../../src/engine/digest.js';
import { comparePlans, refusalMessage, type ReviewedPlan } from '../../src/engine/review.js';
import { planOf, remote, stateWith } from './builders.js';
import { desired } from '../helpers/sessions.js';

const acme = desired('acme', { username: 'acme-user', password: 'acme-Secret-pw-1' });
const acmeChanged = desired('acme', { username: 'acme-user', password: 'acme-Secret-pw-2' });
const beta = desired('beta');
const gamma = desired('gamma');

/** acme updated, beta created, gamma deleted. */
function reviewedScenario() {
  return planOf({ desired: [acmeChanged, beta], remote: [remote('acme'), remote('gamma')], state: stateWith([acme, gamma]) });
}

function reviewedOf(plan: ReturnType<typeof planOf>, listed: ReviewedPlan['listed'] = 'all'): ReviewedPlan {
  const changes = planChanges(plan).filter((change) => listed === 'all' || (listed === 'deletes' && (change.action === 'delete' || change.action === 'skip')));
  return { source: 'pull request #7', digest: planDigest(plan), changes, listed };
}

describe('planDigest', () => {
  it('is the same for the same changes, whatever the noops and the order of the files', () => {
    const first = reviewedScenario();
    const again = planOf({ desired: [beta, acmeChanged, desired('delta')], remote: [remote('gamma'), remote('acme'), remote('delta')], state: stateWith([gamma, acme, desired('delta')]) });
    expect(again.entries.map((entry) => entry.action)).toContain('noop');
    expect(planDigest(again)).toBe(planDigest(first));
    expect(planDigest(first)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('changes with a value, an action or a change more', () => {
    const digest = planDigest(reviewedScenario());
    const otherValue = planOf({ desired: [desired('acme', { username: 'acme-user', password: 'acme-Secret-pw-3' }), beta], remote: [remote('acme'), remote('gamma')], state: stateWith([acme, gamma]) });
    const noDelete = planOf({ desired: [acmeChanged, beta], remote: [remote('acme')], state: stateWith([acme]) });
    const inUse = planOf({ desired: [acmeChanged, beta], remote: [remote('acme'), remote('gamma')], state: stateWith([acme, gamma]), inUse: { gamma: { jobId: 'nightly' } } });
    expect(new Set([digest, planDigest(otherValue), planDigest(noDelete), planDigest(inUse)]).size).toBe(4);
  });

  it('lists kind, ID, action and a short target per change, and no value', () => {
    const changes = planChanges(reviewedScenario());
    expect(changes.map(({ kind, id, action }) => `${kind} ${id} ${action}`)).toEqual(['auth-session acme update', 'auth-session beta create', 'auth-session gamma delete']);
    expect(changes[0]!.target).toMatch(/^[0-9a-f]{16}$/);
    expect(changes[2]!.target).toBeUndefined();
    const text = JSON.stringify(changes) + planDigest(reviewedScenario());
    for (const value of ['acme-Secret-pw-1', 'acme-Secret-pw-2', 'beta-pw', 'acme-user']) expect(text).not.toContain(value);
  });
});

describe('comparePlans', () => {
  const reviewed = reviewedOf(reviewedScenario());

  it('matches the reviewed plan by digest', () => {
    expect(comparePlans(reviewed, reviewedScenario())).toMatchObject({ matches: true, unseenDeletes: [], differences: [] });
  });

  it.each([
    [
      'a delete the reviewed plan did not show',
      planOf({ desired: [acmeChanged, beta], remote: [remote('acme'), remote('gamma'), remote('omega')], state: stateWith([acme, gamma, desired('omega')]) }),
      ['omega'],
      ['delete omega: not in the reviewed plan'],
    ],
    [
      'a create more and an update fewer',
      planOf({ desired: [acme, beta, desired('zeta')], remote: [remote('acme'), remote('gamma')], state: stateWith([acme, gamma]) }),
      [],
      ['create zeta: not in the reviewed plan', 'update acme: in the reviewed plan, not in this one'],
    ],
    [
      'an update whose values moved since the review',
      planOf({ desired: [desired('acme', { username: 'acme-user', password: 'acme-Secret-pw-3' }), beta], remote: [remote('acme'), remote('gamma')], state: stateWith([acme, gamma]) }),
      [],
      ["update acme: the values differ from the reviewed plan's"],
    ],
    [
      'a session created again because it was deleted in the dashboard since',
      planOf({ desired: [acmeChanged, beta], remote: [remote('gamma')], state: stateWith([acme, gamma]) }),
      [],
      ['acme: update in the reviewed plan, create now'],
    ],
  ])('%s', (_name, plan, unseen, differences) => {
    const comparison = comparePlans(reviewed, plan);
    expect(comparison.matches).toBe(false);
    expect(comparison.unseenDeletes.map((change) => change.id)).toEqual(unseen);
    expect(comparison.differences.map((difference) => difference.what)).toEqual(differences);
  });

  it('counts a delete the reviewed plan showed as skipped (in use) as seen', () => {
    const skipped = planOf({ desired: [acmeChanged, beta], remote: [remote('acme'), remote('gamma')], state: stateWith([acme, gamma]), inUse: { gamma: { jobId: 'nightly' } } });
    const comparison = comparePlans(reviewedOf(skipped), reviewedScenario());
    expect(comparison.unseenDeletes).toEqual([]);
    expect(comparison.differences.map((difference) => difference.what)).toEqual(['gamma: skip in the reviewed plan, delete now']);
  });

  it('with only deletes listed, still finds an unseen one, and says creates or updates differ', () => {
    const deletesOnly = reviewedOf(reviewedScenario(), 'deletes');
    const more = planOf({ desired: [acme, beta, desired('zeta')], remote: [remote('acme'), remote('gamma'), remote('omega')], state: stateWith([acme, gamma, desired('omega')]) });
    expect(comparePlans(deletesOnly, more).unseenDeletes.map((change) => change.id)).toEqual(['omega']);
    const fewer = planOf({ desired: [acme, beta], remote: [remote('acme'), remote('gamma')], state: stateWith([acme, gamma]) });
    expect(comparePlans(deletesOnly, fewer)).toMatchObject({ matches: false, unseenDeletes: [] });
    expect(comparePlans(deletesOnly, fewer).differences.map((difference) => difference.what)).toEqual(['creates or updates differ from the reviewed plan (its comment was too long to list them)']);
  });

  it('with nothing listed, refuses every delete unless the digest matches', () => {
    const none: ReviewedPlan = { ...reviewed, changes: [], listed: 'none' };
    expect(comparePlans(none, reviewedScenario()).matches).toBe(true);
    const other = planOf({ desired: [acme, beta], remote: [remote('acme'), remote('gamma')], state: stateWith([acme, gamma]) });
    expect(comparePlans(none, other).unseenDeletes.map((change) => change.id)).toEqual(['gamma']);
  });

  it('when no plan was shown, every change differs and every delete is unseen; without changes nothing does', () => {
    const nothing: ReviewedPlan = { source: 'pull request #7', changes: [], listed: 'all', note: 'its last comment showed no plan' };
    const comparison = comparePlans(nothing, reviewedScenario());
    expect(comparison.unseenDeletes.map((change: PlanChange) => change.id)).toEqual(['gamma']);
    expect(comparison.differences).toHaveLength(3);
    expect(comparePlans(nothing, planOf({ desired: [acme], remote: [remote('acme')], state: stateWith([acme]) }))).toMatchObject({ matches: true, differences: [] });
    expect(refusalMessage(comparison, 'Review it.')).toBe('the plan deletes 1 AuthSession(s) that the reviewed plan (pull request #7) did not show: gamma; nothing was sent to Intuned. Review it.');
  });
});
