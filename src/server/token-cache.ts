import type { StoredToken } from './store';

/**
 * The process's own tokens, one per email, at most `size`: least recently used first out; internal.
 * A Map's order is insertion order, so a hit moves its entry to the end. Keyed by the exact
 * address: folding case would hand kate@example.com's token to "\u212Aate@example.com" (Kelvin
 * sign), which lower-cases to it.
 */
export interface TokenCache {
  /** The email's token, counted as a use. */
  get(email: string): StoredToken | undefined;
  set(email: string, entry: StoredToken): void;
}

export function tokenCache(size: number): TokenCache {
  const entries = new Map<string, StoredToken>();
  return {
    get(email) {
      const entry = entries.get(email);
      if (entry !== undefined) {
        entries.delete(email);
        entries.set(email, entry);
      }
      return entry;
    },
    set(email, entry) {
      entries.delete(email);
      entries.set(email, entry);
      while (entries.size > size) entries.delete(entries.keys().next().value as string);
    },
  };
}
