/**
 * A short-lived, per-process cache of resolved API tokens and /me payloads. It saves the
 * database round trips of every token-authenticated request. Writes that change who may do
 * what (revoking a token, changing or disabling a user) clear it on the node that made them;
 * other nodes of a multi-node installation see the change within `ttlMs`.
 */
export const authCacheTtlMs = 2000;
const maxEntries = 10_000;

export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  constructor(private readonly ttlMs: number) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V): void {
    if (this.entries.size >= maxEntries) this.entries.clear();
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }
}

const caches: TtlCache<unknown>[] = [];

export function createAuthCache<V>(): TtlCache<V> {
  const cache = new TtlCache<V>(authCacheTtlMs);
  caches.push(cache as TtlCache<unknown>);
  return cache;
}

/** Call after a write that changes users, roles, tokens or sessions. */
export function clearAuthCaches(): void {
  for (const cache of caches) cache.clear();
}
