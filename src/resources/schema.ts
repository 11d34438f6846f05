/**
 * The one definition of an AuthSession resource file. The loader validates with it and
 * `schemas/auth-session.schema.json` is generated from it, so editors check exactly what the
 * tool checks (a test fails when the committed JSON Schema is stale).
 */
import { z } from 'zod';

/** IDs as the Intuned API accepts them (create body `id`). */
export const AUTH_SESSION_ID_PATTERN = /^[a-zA-Z0-9-(),_]+$/;
export const AUTH_SESSION_ID_MIN_LENGTH = 3;

export function isValidAuthSessionId(id: string): boolean {
  return id.length >= AUTH_SESSION_ID_MIN_LENGTH && AUTH_SESSION_ID_PATTERN.test(id);
}

/** Where the published schema lives (the npm package ships `schemas/`). */
export const AUTH_SESSION_SCHEMA_ID =
  'https://unpkg.com/intuned-gitops/schemas/auth-session.schema.json';

/** Schemes a proxy may use. */
const PROXY_PROTOCOL = /^(https?|socks5)$/;
/** A proxy URL must name a host (`socks5://` alone parses as a URL with an empty host). */
const NON_EMPTY_HOST = /^.+$/;

/** The API's default for both attempt counts. */
const DEFAULT_ATTEMPTS = 3;

const ENV_NOTE =
  'Write secrets as ${env:NAME} (the whole value or part of it): intuned-gitops replaces it ' +
  'with the environment variable NAME. $${env:NAME} stands for the literal text ${env:NAME}.';

const attempts = (what: string) =>
  z
    .int()
    .min(1)
    .optional()
    .meta({
      description:
        `${what} A whole number of at least 1; Intuned's default is ${DEFAULT_ATTEMPTS}.`,
      default: DEFAULT_ATTEMPTS,
    });

export const authSessionFileSchema = z
  .strictObject({
    $schema: z
      .string()
      .optional()
      .meta({
        description:
          'The JSON Schema of this file, for editors (a relative path or ' +
          `${AUTH_SESSION_SCHEMA_ID}). Not sent to Intuned.`,
      }),
    parameters: z.record(z.string(), z.unknown()).meta({
      description:
        "Passed to the project's auth-sessions/create code, e.g. username, password, TOTP " +
        `secret. Required; values may be any JSON. ${ENV_NOTE}`,
      examples: [{ username: 'ops@example.com', password: '${env:ACME_PASSWORD}' }],
    }),
    proxy: z
      .url({ protocol: PROXY_PROTOCOL, hostname: NON_EMPTY_HOST })
      .nullable()
      .optional()
      .meta({
        description:
          'The proxy the browser uses: an http://, https:// or socks5:// URL with a host, or ' +
          `null for none. It may hold credentials. ${ENV_NOTE}`,
        examples: ['http://user:${env:PROXY_PASSWORD}@proxy.example.com:8080'],
      }),
    createAttempts: attempts('How many times Intuned tries to (re)create the session.'),
    checkAttempts: attempts('How many times Intuned checks the session before recreating it.'),
    saveTrace: z.boolean().optional().meta({
      description: "Whether Intuned keeps a browser trace of the session's runs; default true.",
      default: true,
    }),
  })
  .meta({
    title: 'Intuned AuthSession',
    description:
      'An Intuned AuthSession declared as code for intuned-gitops. The file name gives the ' +
      'ID: intuned-resources/auth-sessions/**/<id>.auth-session.jsonc (or .json). Comments ' +
      'and trailing commas are allowed; unknown keys are errors.',
  });

export type AuthSessionFile = z.infer<typeof authSessionFileSchema>;

/** The top-level keys a file may hold, in schema order (for typo suggestions). */
export const AUTH_SESSION_FILE_KEYS: readonly string[] = Object.keys(authSessionFileSchema.shape);

/**
 * The JSON Schema of a resource file of any kind, from its zod schema (draft-07: what editors
 * support most widely), with the kind's `$id`.
 */
export function fileJsonSchema(schema: z.ZodType, id: string): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, {
    target: 'draft-07',
    io: 'input',
    override: ({ jsonSchema }) => {
      // zod bounds every int to the safe range; that bound only clutters editor hovers.
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    },
  });
  const { $schema, title, description, ...rest } = generated;
  return { $schema, $id: id, title, description, ...rest };
}

/** The JSON Schema of an AuthSession file. */
export function authSessionJsonSchema(): Record<string, unknown> {
  return fileJsonSchema(authSessionFileSchema, AUTH_SESSION_SCHEMA_ID);
}

/** The committed file's exact text, and what `intuned-gitops schema` prints. */
export function authSessionJsonSchemaText(): string {
  return `${JSON.stringify(authSessionJsonSchema(), null, 2)}\n`;
}
