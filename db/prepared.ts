// A statement prepared once per connection: for reads asked on every request or every row, where
// preparing the SQL again each time costs more than running it.
import type Database from 'better-sqlite3';
import type { Db } from './client.js';

/** Returns the statement for a connection, preparing it (and shaping it: `.raw()`, `.pluck()`) the first time. */
export function preparedOnce(sql: string, shape: (statement: Database.Statement) => Database.Statement = (s) => s): (db: Db) => Database.Statement {
  const statements = new WeakMap<Database.Database, Database.Statement>();
  return (db) => {
    let statement = statements.get(db.$client);
    if (!statement) statements.set(db.$client, (statement = shape(db.$client.prepare(sql))));
    return statement;
  };
}
