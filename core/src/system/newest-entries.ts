/**
 * Sets `key` as the newest entry of `entries` (a Map keeps insertion order), then forgets the
 * oldest once there are more than `capacity`.
 */
export function setNewest<Key, Value>(entries: Map<Key, Value>, key: Key, value: Value, capacity: number): void {
  entries.delete(key);
  entries.set(key, value);
  if (entries.size > capacity) {
    const oldest = entries.keys().next();
    if (!oldest.done) entries.delete(oldest.value);
  }
}
