/**
 * A lookup table keyed by strings that come from input (algorithm URIs, preset names, JWS `alg`, attribute
 * type names): frozen and without a prototype, so `table[key]` finds only the entries written here. In a plain
 * object "constructor", "toString" or "__proto__" find Object.prototype's members, which read as a match.
 */
export function lookupTable<T>(entries: { readonly [key: string]: T }): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
