/**
 * Turns a parsed syntax tree into the value that is validated and sent, replacing
 * `${env:NAME}` in every string value (not in keys) on the way. Problems found while walking
 * (unset variables, duplicate keys, too deep nesting) carry offsets for positions.
 */
import type { Node } from 'jsonc-parser';
import { referenceOffset, referenceStartOffset, substituteEnv, TOOL_KEYS, type Env } from './env.js';
import { quoteKey } from './quote.js';

/** Deep enough for any real parameters; bounds the recursion on hostile input. */
export const MAX_NESTING_DEPTH = 64;

export type ValuePath = (string | number)[];

export interface BodyProblem {
  offset: number;
  message: string;
}

export interface Body {
  value: unknown;
  secrets: string[];
  /** Unset variables that were allowed (`requireEnv: false`), in order of first use. */
  unsetEnv: string[];
  /** With `requireEnv`: each unset or empty variable at its first use (problems made by the caller). */
  missingEnv: MissingUse[];
  problems: BodyProblem[];
  /** `pathKey`s of strings still holding an unresolved reference (not format-checked). */
  unresolved: Set<string>;
  /** `pathKey`s of strings that received a value from the environment. */
  substituted: Set<string>;
}

export interface MissingUse {
  name: string;
  empty: boolean;
  offset: number;
}

export interface BuildOptions {
  text: string;
  env: Env;
  requireEnv: boolean;
}

export function pathKey(path: readonly PropertyKey[]): string {
  return JSON.stringify(path.map((part) => (typeof part === 'symbol' ? String(part) : part)));
}

export function buildBody(root: Node, options: BuildOptions): Body {
  const body: Body = {
    value: undefined,
    secrets: [],
    unsetEnv: [],
    missingEnv: [],
    problems: [],
    unresolved: new Set(),
    substituted: new Set(),
  };
  body.value = walk(root, [], { ...options, body });
  return body;
}

interface WalkContext extends BuildOptions {
  body: Body;
}

function walk(node: Node, path: ValuePath, context: WalkContext): unknown {
  if (path.length > MAX_NESTING_DEPTH) {
    context.body.problems.push({
      offset: node.offset,
      message: `nested more than ${MAX_NESTING_DEPTH} levels deep; flatten this value`,
    });
    return null;
  }
  switch (node.type) {
    case 'object':
      return walkObject(node, path, context);
    case 'array':
      return (node.children ?? []).map((child, index) => walk(child, [...path, index], context));
    case 'string':
      return walkString(node, path, context);
    default:
      return node.value;
  }
}

function walkObject(node: Node, path: ValuePath, context: WalkContext): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    if (seen.has(key)) {
      context.body.problems.push({
        offset: keyNode.offset,
        message: `duplicate key ${quoteKey(key)}; only one of them would count, so remove the other`,
      });
    }
    seen.add(key);
    // defineProperty: a "__proto__" key must stay data, not replace the prototype.
    Object.defineProperty(result, key, {
      value: walk(valueNode, [...path, key], context),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

function walkString(node: Node, path: ValuePath, context: WalkContext): string {
  const { body } = context;
  const substitution = substituteEnv(String(node.value), context.env);
  const source = context.text.slice(node.offset, node.offset + node.length);
  const at = (relative: number) => node.offset + Math.max(0, relative);
  for (const secret of substitution.secrets) {
    if (!body.secrets.includes(secret)) body.secrets.push(secret);
  }
  if (substitution.substituted) body.substituted.add(pathKey(path));
  if (substitution.malformed) {
    body.problems.push({
      offset: at(referenceStartOffset(source)),
      message:
        'malformed ${env:…} reference: write ${env:NAME}, where NAME has letters, digits and _ ' +
        'and does not start with a digit (write $${env: for the literal text ${env:)',
    });
  }
  if (substitution.unset.length > 0 || substitution.toolKeys.length > 0) body.unresolved.add(pathKey(path));
  for (const name of substitution.toolKeys) {
    body.problems.push({
      offset: at(referenceOffset(source, name)),
      message:
        `\${env:${name}} is ${TOOL_KEYS[name]}; it is never sent to a login script: give the script ` +
        'its own variable (a separate secret) and reference that instead',
    });
  }
  for (const name of substitution.unset) {
    if (!context.requireEnv) {
      if (!body.unsetEnv.includes(name)) body.unsetEnv.push(name);
      continue;
    }
    if (body.missingEnv.some((use) => use.name === name)) continue;
    body.missingEnv.push({ name, empty: substitution.empty.includes(name), offset: at(referenceOffset(source, name)) });
  }
  return substitution.value;
}
