/**
 * `schemas/auth-session.schema.json` is generated from the zod definition; this test fails
 * when the committed file is stale. Regenerate with:
 *   UPDATE_SCHEMA=1 npx vitest run tests/resources/schema-file.test.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaCommand } from '../../src/cli/commands/schema.js';
import { bufferOutput } from '../../src/front-end/io.js';
import {
  AUTH_SESSION_FILE_KEYS,
  AUTH_SESSION_ID_MIN_LENGTH,
  AUTH_SESSION_ID_PATTERN,
  authSessionJsonSchema,
  authSessionJsonSchemaText,
  isValidAuthSessionId,
} from '../../src/resources/schema.js';

const SCHEMA_FILE = join(import.meta.dirname, '../../schemas/auth-session.schema.json');

describe('schemas/auth-session.schema.json', () => {
  it('is what the zod definition generates', async () => {
    const generated = authSessionJsonSchemaText();
    if (process.env.UPDATE_SCHEMA === '1') await writeFile(SCHEMA_FILE, generated);
    const committed = await readFile(SCHEMA_FILE, 'utf8').catch(() => '(missing)');
    expect(committed, 'stale schema: run UPDATE_SCHEMA=1 npx vitest run tests/resources/schema-file.test.ts').toBe(
      generated,
    );
  });

  it('is what `intuned-gitops schema` prints', () => {
    const output = bufferOutput();
    expect(schemaCommand({ output })).toBe(0);
    expect(output.stdout).toBe(authSessionJsonSchemaText());
    expect(output.stderr).toBe('');
  });
});

describe('authSessionJsonSchema', () => {
  const schema = authSessionJsonSchema() as {
    $schema: string;
    $id: string;
    title: string;
    description: string;
    properties: Record<string, { description?: string }>;
    required: string[];
    additionalProperties: boolean;
  };

  it('is a draft-07 schema with an ID, a title and a description', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toMatch(/^https:\/\/.+\/auth-session\.schema\.json$/);
    expect(schema.title).toBe('Intuned AuthSession');
    expect(schema.description).toContain('.auth-session.jsonc');
  });

  it('describes every key for editors, requires parameters and rejects unknown keys', () => {
    expect(Object.keys(schema.properties)).toEqual([...AUTH_SESSION_FILE_KEYS]);
    for (const [key, property] of Object.entries(schema.properties)) {
      expect(property.description, key).toBeTruthy();
    }
    expect(schema.required).toEqual(['parameters']);
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('AuthSession IDs', () => {
  it('follow the API: at least 3 of letters, digits and - ( ) , _', () => {
    expect(AUTH_SESSION_ID_MIN_LENGTH).toBe(3);
    expect(AUTH_SESSION_ID_PATTERN.source).toBe('^[a-zA-Z0-9-(),_]+$');
    for (const id of ['abc', 'ops-team', 'billing(eu),v2', 'A_1', '---']) {
      expect(isValidAuthSessionId(id), id).toBe(true);
    }
    for (const id of ['ab', '', 'a.b.c', 'with space', 'ümlaut', 'a/b/c', 'semi;colon']) {
      expect(isValidAuthSessionId(id), id).toBe(false);
    }
  });
});
