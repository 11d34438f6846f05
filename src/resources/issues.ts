/**
 * zod issues to messages a person can act on, each at the offset of the offending key or
 * value. Messages name keys and kinds of values ("got a string"), never a value: a value may
 * be a password. zod's own messages are not used, so no future wording of theirs can leak one.
 */
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { core } from 'zod';
import { pathKey, type Body, type BodyProblem } from './body.js';
import { AUTH_SESSION_FILE_KEYS } from './schema.js';
import { closestMatch } from './suggest.js';
import { quoteKey } from './quote.js';

const WHOLE_NUMBER = 'a whole number of at least 1';

/** What each key takes, in words. */
const EXPECTED: Record<string, string> = {
  $schema: 'a string (the path or URL of the JSON Schema)',
  parameters: 'an object of parameter names and values',
  proxy: 'a URL string or null',
  createAttempts: WHOLE_NUMBER,
  checkAttempts: WHOLE_NUMBER,
  saveTrace: 'true or false',
};

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

function typeProblem(root: Node, path: JsonPath): BodyProblem {
  if (path.length === 0) {
    const got = kindOf(root);
    return {
      offset: root.offset,
      message: `the file must hold an object like { "parameters": { ... } }, got ${got}`,
    };
  }
  const key = String(path[path.length - 1]);
  const node = findNodeAtLocation(root, path);
  if (!node) {
    const parent = findNodeAtLocation(root, path.slice(0, -1)) ?? root;
    const hint =
      key === 'parameters' ? ' with the values your auth-sessions/create code expects' : '';
    return { offset: parent.offset, message: `missing required key ${quoteKey(key)}: add it${hint}` };
  }
  const expected = EXPECTED[key] ?? 'a different kind of value';
  return {
    offset: node.offset,
    message: `${keyName(path)} must be ${expected}, got ${kindOf(node)}`,
  };
}

interface UnknownKey {
  key: string;
  offset: number;
  suggestion: string | undefined;
}

function unknownKeys(root: Node, path: JsonPath, keys: readonly string[]): UnknownKey[] {
  const object = findNodeAtLocation(root, path) ?? root;
  return keys.map((key) => {
    const property = object.children?.find((child) => child.children?.[0]?.value === key);
    const offset = property?.children?.[0]?.offset ?? object.offset;
    return { key, offset, suggestion: closestMatch(key, AUTH_SESSION_FILE_KEYS) };
  });
}

function unknownKeyProblem({ key, offset, suggestion }: UnknownKey): BodyProblem {
  const allowed = AUTH_SESSION_FILE_KEYS.map((name) => `"${name}"`).join(', ');
  const message = suggestion
    ? `unknown key ${quoteKey(key)}; did you mean "${suggestion}"?`
    : `unknown key ${quoteKey(key)}; the allowed keys are ${allowed} ` +
      '(values for your create code go inside "parameters")';
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
  /** Keys suggested for typos: "paramters" already says that "parameters" is missing. */
  suggested: Set<string | undefined>;
}

function issueProblem(issue: core.$ZodIssue, context: IssueContext): BodyProblem | undefined {
  const { root, body } = context;
  const path = jsonPath(issue.path);
  const key = pathKey(path);
  const node = findNodeAtLocation(root, path);
  const offset = (node ?? root).offset;
  switch (issue.code) {
    case 'unrecognized_keys':
      return undefined;
    case 'invalid_type':
      if (!node && path.length === 1 && context.suggested.has(String(path[0]))) return undefined;
      return typeProblem(root, path);
    case 'too_small':
      return { offset, message: `${keyName(path)} must be ${WHOLE_NUMBER}` };
    case 'too_big':
      return { offset, message: `${keyName(path)} is too large` };
    case 'invalid_format': {
      // A value with an unset variable (allowed for forks' pull requests) cannot be checked.
      if (body.unresolved.has(key)) return undefined;
      const message =
        path.join('.') === 'proxy'
          ? proxyMessage(issue, body.substituted.has(key))
          : `${keyName(path)} is not in the expected format`;
      return { offset, message };
    }
    default:
      return { offset, message: `${keyName(path)} is not valid (${issue.code})` };
  }
}

export function issueProblems(
  issues: readonly core.$ZodIssue[],
  root: Node,
  body: Body,
): BodyProblem[] {
  const typos = issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' ? unknownKeys(root, jsonPath(issue.path), issue.keys) : [],
  );
  const context: IssueContext = {
    root,
    body,
    suggested: new Set(typos.map((typo) => typo.suggestion)),
  };
  const problems = typos.map(unknownKeyProblem);
  for (const issue of firstFormatIssues(issues)) {
    const problem = issueProblem(issue, context);
    if (problem) problems.push(problem);
  }
  return problems;
}
