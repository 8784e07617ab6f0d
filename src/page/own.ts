// Looking a word from a report up in a table: own properties only. A report may name a reason `constructor` or
// `toString`, which a plain object would answer with one of Object.prototype's functions.

export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
