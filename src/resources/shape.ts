/**
 * The keys a schema allows for the object at a path of a file's value, for "did you mean …?"
 * on a misspelled key at any depth. Read from the zod definition itself, so a key added to a
 * schema is suggested without a second list to keep in step.
 */
import type { z } from 'zod';

type Path = readonly (string | number)[];

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function childAt(value: unknown, key: string | number): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** The object schemas that `value` at this point may be checked against. */
function candidates(schema: z.ZodType, value: unknown): z.ZodType[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return def.innerType ? candidates(def.innerType, value) : [];
    case 'pipe':
      return def.in ? candidates(def.in, value) : [];
    case 'union': {
      const options = def.options ?? [];
      if (def.discriminator) {
        const tag = childAt(value, def.discriminator);
        const chosen = options.filter((option) => {
          const literal = defOf(option).shape?.[def.discriminator!];
          const values = literal ? (defOf(literal) as { values?: unknown[] }).values : undefined;
          return values?.includes(tag);
        });
        if (chosen.length > 0) return chosen.flatMap((option) => candidates(option, value));
      }
      return options.flatMap((option) => candidates(option, value));
    }
    default:
      return [schema];
  }
}

function step(schema: z.ZodType, key: string | number, value: unknown): z.ZodType[] {
  return candidates(schema, value).flatMap((candidate) => {
    const def = defOf(candidate);
    if (def.type === 'object' && typeof key === 'string' && def.shape && Object.hasOwn(def.shape, key)) {
      return [def.shape[key]!];
    }
    if (def.type === 'array' && typeof key === 'number' && def.element) return [def.element];
    if (def.type === 'record' && def.valueType) return [def.valueType];
    return [];
  });
}

/** The keys allowed at `path` (in schema order, without repeats); empty when unknown. */
export function allowedKeysAt(schema: z.ZodType, path: Path, value: unknown): string[] {
  let schemas = [schema];
  let current = value;
  for (const key of path) {
    schemas = schemas.flatMap((candidate) => step(candidate, key, current));
    current = childAt(current, key);
  }
  const keys = schemas
    .flatMap((candidate) => candidates(candidate, current))
    .flatMap((candidate) => {
      const def = defOf(candidate);
      return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
    });
  return [...new Set(keys)];
}
