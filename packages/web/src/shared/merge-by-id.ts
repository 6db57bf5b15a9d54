/** History and live events can overlap: one of each item, in id (= time, ids are sortable) order. */
export function mergeById<T extends { id: string }>(a: T[], b: T[]): T[] {
  const byId = new Map<string, T>();
  for (const m of [...a, ...b]) byId.set(m.id, m);
  return [...byId.values()].sort((x, y) => (x.id < y.id ? -1 : 1));
}
