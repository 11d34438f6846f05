/**
 * Request body and query checks. Messages name fields, never values: a body holds credentials
 * (parameters, a proxy URL with a password).
 *
 * Unknown body fields are ignored, as the real API appears to do (its docs' curl example sends
 * `requestTimeout`, which the SDK schema does not list).
 */

import { SESSION_ID_MIN_LENGTH, SESSION_ID_PATTERN } from './api-facts.js';
import type { ResumeFields, SessionFields } from './api-facts.js';

export type { ResumeFields, SessionFields } from './api-facts.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export type Checked<T, Issue = string> = { ok: true; value: T } | { ok: false; issues: Issue[] };

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function idIssue(id: unknown): string | undefined {
  if (typeof id !== 'string') return 'id must be a string';
  if (id.length < SESSION_ID_MIN_LENGTH) return `id must be at least ${SESSION_ID_MIN_LENGTH} characters long`;
  if (!SESSION_ID_PATTERN.test(id)) return `id must match ${SESSION_ID_PATTERN.source}`;
  return undefined;
}

/** Create (withId) and update bodies. */
export function checkSessionBody(body: unknown, options: { withId: boolean }): Checked<SessionFields> {
  if (!isObject(body)) return { ok: false, issues: ['the body must be a JSON object'] };
  const issues: string[] = [];
  if (options.withId && body.id !== undefined) {
    const issue = idIssue(body.id);
    if (issue) issues.push(issue);
  }
  if (body.parameters === undefined) issues.push('parameters is required');
  else if (!isObject(body.parameters)) issues.push('parameters must be an object');
  issues.push(...checkSettings(body));
  if (issues.length > 0) return { ok: false, issues };
  const fields: SessionFields = { parameters: body.parameters as Record<string, unknown> };
  if (options.withId && typeof body.id === 'string') fields.id = body.id;
  if (body.proxy !== undefined) fields.proxy = body.proxy as string | null;
  if (body.createAttempts !== undefined) fields.createAttempts = body.createAttempts as number;
  if (body.checkAttempts !== undefined) fields.checkAttempts = body.checkAttempts as number;
  if (body.saveTrace !== undefined) fields.saveTrace = body.saveTrace as boolean;
  return { ok: true, value: fields };
}

/** A validate body is optional: every field has a default. */
export function checkValidateBody(body: unknown): Checked<Record<string, unknown>> {
  if (body === undefined) return { ok: true, value: {} };
  if (!isObject(body)) return { ok: false, issues: ['the body must be a JSON object'] };
  const issues = checkSettings(body);
  if (body.autoRecreate !== undefined && typeof body.autoRecreate !== 'boolean') issues.push('autoRecreate must be a boolean');
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: body };
}

export function checkResumeBody(body: unknown): Checked<ResumeFields> {
  if (!isObject(body)) return { ok: false, issues: ['the body must be a JSON object'] };
  const issues: string[] = [];
  if (typeof body.input !== 'string') issues.push('input must be a string');
  if (typeof body.infoRequestId !== 'string') issues.push('infoRequestId must be a string');
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { input: body.input as string, infoRequestId: body.infoRequestId as string } };
}

/** `pageNumber` is 1-based. A page size over the maximum is refused, not clamped. */
export function checkPaging(query: URLSearchParams): Checked<{ pageNumber: number; pageSize: number }> {
  const issues: string[] = [];
  const pageNumber = positiveInteger(query.get('pageNumber'), 1);
  const pageSize = positiveInteger(query.get('pageSize'), DEFAULT_PAGE_SIZE);
  if (pageNumber === undefined) issues.push('pageNumber must be an integer of at least 1');
  if (pageSize === undefined || pageSize > MAX_PAGE_SIZE) issues.push(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  if (pageNumber === undefined || pageSize === undefined || issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { pageNumber, pageSize } };
}

function checkSettings(body: Record<string, unknown>): string[] {
  const issues: string[] = [];
  if (body.proxy !== undefined && body.proxy !== null && !isUri(body.proxy)) issues.push('proxy must be a URI or null');
  for (const field of ['createAttempts', 'checkAttempts'] as const) {
    const value = body[field];
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 1)) {
      issues.push(`${field} must be an integer of at least 1`);
    }
  }
  if (body.saveTrace !== undefined && typeof body.saveTrace !== 'boolean') issues.push('saveTrace must be a boolean');
  const timeout = body.requestTimeout;
  if (timeout !== undefined && !(typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0)) {
    issues.push('requestTimeout must be a positive number');
  }
  return issues;
}

function isUri(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function positiveInteger(raw: string | null, fallback: number): number | undefined {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= 1 ? value : undefined;
}
