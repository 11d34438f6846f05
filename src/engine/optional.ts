/**
 * Optional fields, written one way: `{ id, ...definedOnly({ file, code }) }` holds `file` and
 * `code` only where they have a value. TypeScript lets an optional field hold `undefined`
 * (exactOptionalPropertyTypes is off), but what the tool writes must not: plan and state JSON
 * compared as data, options spread over defaults, `key in` checks and strict comparisons all
 * tell a key set to undefined from a key never set.
 */
export type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/** Drops the keys whose value is undefined, keeping the others in their order. */
export function definedOnly<T extends Record<string, unknown>>(values: T): Defined<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Defined<T>;
}
