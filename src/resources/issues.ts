/**
 * zod issues to messages a person can act on, each at the offset of the offending key or
 * value. Messages name keys and kinds of values ("got a string"), never a value: a value may
 * be a password. zod's own messages are not used, so no future wording of theirs can leak one.
 */
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { core } from 'zod';
import { pathKey, type Body, type BodyProblem } from './body.js';
import type { ResourceKind } from './kind.js';
import { allowedKeysAt } from './shape.js';
import { closestMatch } from './suggest.js';
import { quoteKey } from './quote.js';

const PROXY_EXAMPLE = 'http://user:${env:PROXY_PASSWORD}@proxy.example.com:8080';

type JsonPath = (string | number)[];

function jsonPath(path: readonly PropertyKey[]): JsonPath {
  return path.map((part) => (typeof part === 'number' ? part : String(part)));
}

function keyName(path: JsonPath): string {
  return quoteKey(path.join('.'));
}

function kindOf(node: Node): string {
  switch (node.type) {
    case 'number':
      return Number.isInteger(node.value) ? 'a number' : 'a number with a fraction';
    case 'boolean':
      return 'a boolean';
    case 'null':
      return 'null';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    default:
      return 'a string';
  }
}

/**
 * What the value at `path` must be, in words: by `field.key` (a range's `start` inside
 * `month`), by key, or by `array[]` for an item.
 */
function expectedAt(kind: ResourceKind, path: JsonPath): string {
  const { expected } = kind.words;
  const last = path[path.length - 1];
  const names = path.filter((part): part is string => typeof part === 'string');
  if (typeof last === 'number') {
    const array = names[names.length - 1];
    return (array !== undefined && (expected[`${array}[]`] ?? expected[array])) || 'a different kind of value';
  }
  const key = String(last);
  const field = names[names.length - 2];
  return (field !== undefined && expected[`${field}.${key}`]) || expected[key] || 'a different kind of value';
}

function typeProblem(root: Node, path: JsonPath, kind: ResourceKind): BodyProblem {
  if (path.length === 0) {
    const got = kindOf(root);
    return {
      offset: root.offset,
      message: `the file must hold an object like ${kind.words.example}, got ${got}`,
    };
  }
  const key = String(path[path.length - 1]);
  const node = findNodeAtLocation(root, path);
  if (!node) {
    const parentPath = path.slice(0, -1);
    const parent = findNodeAtLocation(root, parentPath) ?? root;
    const hint = kind.words.missingHints[key] ?? '';
    const within = parentPath.length > 0 ? ` in ${keyName(parentPath)}` : '';
    return { offset: parent.offset, message: `missing required key ${quoteKey(key)}${within}: add it${hint}` };
  }
  return {
    offset: node.offset,
    message: `${keyName(path)} must be ${expectedAt(kind, path)}, got ${kindOf(node)}`,
  };
}

interface UnknownKey {
  key: string;
  offset: number;
  /** The path of the object holding it. */
  path: JsonPath;
  allowed: string[];
  suggestion: string | undefined;
}

function unknownKeys(root: Node, path: JsonPath, keys: readonly string[], context: { kind: ResourceKind; body: Body }): UnknownKey[] {
  const object = findNodeAtLocation(root, path) ?? root;
  const allowed = allowedKeysAt(context.kind.schema, path, context.body.value);
  return keys.map((key) => {
    const property = object.children?.find((child) => child.children?.[0]?.value === key);
    const offset = property?.children?.[0]?.offset ?? object.offset;
    return { key, offset, path, allowed, suggestion: closestMatch(key, allowed) };
  });
}

function unknownKeyProblem({ key, offset, path, allowed, suggestion }: UnknownKey, kind: ResourceKind): BodyProblem {
  const list = allowed.map((name) => `"${name}"`).join(', ');
  const within = path.length > 0 ? ` in ${keyName(path)}` : '';
  const hint = path.length === 0 ? kind.words.unknownTopLevelHint : '';
  const message = suggestion
    ? `unknown key ${quoteKey(key)}${within}; did you mean "${suggestion}"?`
    : `unknown key ${quoteKey(key)}${within}; the allowed keys are ${list}${hint}`;
  return { offset, message };
}

function proxyMessage(issue: core.$ZodIssue, substituted: boolean): string {
  const note = 'note' in issue ? issue.note : undefined;
  const base =
    note === 'Invalid protocol'
      ? '"proxy" must start with http://, https:// or socks5://'
      : note === 'Invalid hostname'
        ? '"proxy" must name a host, as in http://proxy.example.com:8080'
        : `"proxy" is not a valid URL; write it like ${PROXY_EXAMPLE}`;
  return substituted
    ? `${base} (percent-encode characters such as @ / : # ? in values from the environment)`
    : base;
}

/** zod may report several format issues for one URL; the scheme is the one to fix first. */
function formatIssueRank(issue: core.$ZodIssue): number {
  const note = 'note' in issue ? issue.note : undefined;
  return note === 'Invalid protocol' ? 0 : note === 'Invalid hostname' ? 1 : 2;
}

function firstFormatIssues(issues: readonly core.$ZodIssue[]): core.$ZodIssue[] {
  const byPath = new Map<string, core.$ZodIssue>();
  for (const issue of issues) {
    if (issue.code !== 'invalid_format') continue;
    const key = pathKey(issue.path);
    const current = byPath.get(key);
    if (!current || formatIssueRank(issue) < formatIssueRank(current)) byPath.set(key, issue);
  }
  return issues.filter(
    (issue) => issue.code !== 'invalid_format' || byPath.get(pathKey(issue.path)) === issue,
  );
}

interface IssueContext {
  root: Node;
  body: Body;
  kind: ResourceKind;
  /** `pathKey`s of keys suggested for typos: "paramters" already says that "parameters" is missing. */
  suggested: Set<string>;
}

/** A message carried by the schema's own refinements (`params.problem`), never zod's wording. */
function customProblem(issue: core.$ZodIssue): string | undefined {
  const params = 'params' in issue ? (issue.params as { problem?: unknown } | undefined) : undefined;
  return typeof params?.problem === 'string' ? params.problem : undefined;
}

function issueProblem(issue: core.$ZodIssue, context: IssueContext): BodyProblem | undefined {
  const { root, body, kind } = context;
  const path = jsonPath(issue.path);
  const key = pathKey(path);
  const node = findNodeAtLocation(root, path);
  const offset = (node ?? root).offset;
  const mustBe = () => ({ offset, message: `${keyName(path)} must be ${expectedAt(kind, path)}` });
  switch (issue.code) {
    case 'unrecognized_keys':
      return undefined;
    case 'invalid_type':
    case 'invalid_union':
    case 'invalid_value':
      if (!node && context.suggested.has(key)) return undefined;
      return typeProblem(root, path, kind);
    case 'too_small':
      return mustBe();
    case 'too_big':
      // zod bounds every int to the safe range: past it, the value is simply too large.
      return issue.maximum === Number.MAX_SAFE_INTEGER
        ? { offset, message: `${keyName(path)} is too large` }
        : mustBe();
    case 'invalid_format': {
      // A value with an unset variable (allowed for forks' pull requests) cannot be checked.
      if (body.unresolved.has(key)) return undefined;
      if (path.join('.') === 'proxy') return { offset, message: proxyMessage(issue, body.substituted.has(key)) };
      return mustBe();
    }
    case 'custom': {
      const problem = customProblem(issue);
      if (problem) return { offset, message: `${keyName(path)} ${problem}` };
      return { offset, message: `${keyName(path)} is not valid` };
    }
    default:
      return { offset, message: `${keyName(path)} is not valid (${issue.code})` };
  }
}

/**
 * A union that failed because one of its forms matched in shape but not inside (a range whose
 * `start` is a number where a name is needed) is reported inside that form, where the fix is.
 */
function flattenUnions(issues: readonly core.$ZodIssue[]): core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || !('errors' in issue)) return [issue];
    const inside = issue.errors.filter((errors) => errors.length > 0 && errors.every((nested) => nested.path.length > 0));
    if (inside.length !== 1) return [issue];
    const nested = inside[0]!.map((nested) => ({ ...nested, path: [...issue.path, ...nested.path] }) as core.$ZodIssue);
    return flattenUnions(nested);
  });
}

export function issueProblems(
  zodIssues: readonly core.$ZodIssue[],
  root: Node,
  body: Body,
  kind: ResourceKind,
): BodyProblem[] {
  const issues = flattenUnions(zodIssues);
  const typos = issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' ? unknownKeys(root, jsonPath(issue.path), issue.keys, { kind, body }) : [],
  );
  const context: IssueContext = {
    root,
    body,
    kind,
    suggested: new Set(
      typos.flatMap((typo) => (typo.suggestion === undefined ? [] : [pathKey([...typo.path, typo.suggestion])])),
    ),
  };
  const problems = typos.map((typo) => unknownKeyProblem(typo, kind));
  for (const issue of firstFormatIssues(issues)) {
    const problem = issueProblem(issue, context);
    if (problem) problems.push(problem);
  }
  return problems;
}
