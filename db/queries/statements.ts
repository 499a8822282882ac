// A repository's raw statements, prepared on first use and kept for its life (a confirmed import or a
// full check runs the same few statements hundreds of thousands of times).
import type { Database, Statement } from 'better-sqlite3';

export function statementCache(sqlite: Database): (sql: string) => Statement<unknown[]> {
  const cache = new Map<string, Statement<unknown[]>>();
  return (sql) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = sqlite.prepare(sql)));
    return s;
  };
}
