/**
 * The absolute rule: no renderer reads `desired` beyond `id` and `file`, so no parameter
 * value, proxy credential or `${env:}` value can reach a plan, a comment or a JSON document.
 */
import { describe, expect, it } from 'vitest';
import { isChange, type ApplyResult, type Plan, type PlanEntry } from '../../src/engine/types.js';
import type { DesiredSession } from '../../src/resources/types.js';
import { renderApplyJson, renderPlanJson } from '../../src/render/json.js';
import { renderApplyMarkdown, renderPlanMarkdown, MIN_MARKDOWN_LENGTH } from '../../src/render/markdown.js';
import { renderApplyText, renderPlanText } from '../../src/render/text.js';
import {
  applyOf,
  buildPlan,
  createEntry,
  deleteEntry,
  failed,
  noopEntry,
  skipEntry,
  timedOut,
  updateEntry,
} from '../helpers/plan-builders.js';

const SECRETS = ['S3cr3t-Pa55word', 'user-SECRET-name', 'TOTP-JBSWY3DPEHPK3PXP', 'proxy-pass-SECRET', 'proxyuser-SECRET', 'ENV-VALUE-SECRET'];

function secretDesired(id: string): DesiredSession {
  return {
    id,
    file: `intuned-resources/auth-sessions/${id}.auth-session.jsonc`,
    spec: {
      parameters: { username: SECRETS[1], password: SECRETS[0], otp: { secret: SECRETS[2] }, note: `token ${SECRETS[5]}` },
      proxy: `http://${SECRETS[4]}:${SECRETS[3]}@proxy.example.com:8080`,
      createAttempts: 3,
      saveTrace: false,
    },
    secrets: [SECRETS[5]!],
  };
}

/** A `desired` that throws on any read but `id` and `file`, including enumeration and JSON. */
function guarded(desired: DesiredSession): DesiredSession {
  const refuse = (what: string) => {
    throw new Error(`a renderer read desired ${what}`);
  };
  return new Proxy(desired, {
    get: (target, property) =>
      property === 'id' || property === 'file' ? target[property] : refuse(`.${String(property)}`),
    has: () => refuse('with `in`'),
    ownKeys: () => refuse('keys'),
    getOwnPropertyDescriptor: () => refuse('descriptors'),
  });
}

function entries(): PlanEntry[] {
  const withSecrets = (entry: PlanEntry): PlanEntry => (isChange(entry) ? { ...entry, desired: guarded(secretDesired(entry.id)) } : entry);
  return [
    withSecrets(createEntry('new-one')),
    withSecrets(updateEntry('changed', ['password', 'otp'], { changedSettings: ['proxy'] })),
    withSecrets(updateEntry('failing', ['username'])),
    withSecrets(createEntry('slow-one')),
    withSecrets(noopEntry('steady')),
    skipEntry('in-use'),
    deleteEntry('gone'),
  ];
}

function scenario(): { plan: Plan; apply: ApplyResult } {
  const plan = buildPlan(entries(), { unmanaged: ['dashboard-made'], errors: [{ kind: 'auth-session', id: 'broken', message: 'bad file' }] });
  const byId = (id: string) => plan.entries.find((entry) => entry.id === id)!;
  const apply = applyOf(plan, {
    failing: failed(byId('failing'), 'Login check failed', 'auth-check-failed'),
    'slow-one': timedOut(byId('slow-one')),
  });
  return { plan, apply };
}

function allOutputs(): string[] {
  const { plan, apply } = scenario();
  return [
    renderPlanJson(plan),
    renderPlanText(plan),
    renderPlanText(plan, { color: true }),
    renderPlanMarkdown(plan),
    renderPlanMarkdown(plan, { maxLength: MIN_MARKDOWN_LENGTH }),
    renderApplyJson(apply),
    renderApplyText(apply),
    renderApplyText(apply, { color: true }),
    renderApplyMarkdown(apply),
    renderApplyMarkdown(apply, { maxLength: MIN_MARKDOWN_LENGTH }),
  ];
}

describe('no secret reaches any output', () => {
  it('renders every output without reading desired beyond id and file', () => {
    expect(() => allOutputs()).not.toThrow();
  });

  it('the guard does catch a read', () => {
    expect(() => JSON.stringify(guarded(secretDesired('x')))).toThrow(/read desired/);
  });

  it('no output holds a parameter, proxy or environment value', () => {
    for (const output of allOutputs()) {
      for (const secret of SECRETS) expect(output).not.toContain(secret);
      expect(output).not.toContain('proxy.example.com');
    }
  });

  it('changed parameter names may appear', () => {
    expect(renderPlanJson(scenario().plan)).toContain('"otp"');
    expect(renderPlanText(scenario().plan)).toContain('parameters changed: password, otp');
  });
});
