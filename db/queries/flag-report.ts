// What `catalogue check` reads: the live items of a department, and every stored finding with its item.
import type { Db } from '../client.js';

export const liveItemIdsOfDepartment = (db: Db, departmentCode: string): number[] =>
  db.$client.prepare('SELECT i.id FROM items i JOIN departments d ON d.id = i.department_id WHERE d.code = ? AND i.removed_at IS NULL').pluck().all(departmentCode) as number[];

/** Every stored finding (of one department, or all), in item order, as the command prints them. */
export const storedFindings = (db: Db, departmentCode: string | null): Record<string, string | number | null>[] =>
  db.$client
    .prepare(
      `SELECT i.code AS item, i.name, d.name AS department, f.rule, f.severity, f.message, f.suggestion_text AS suggestion, f.ground
         FROM item_flags f JOIN items i ON i.id = f.item_id JOIN departments d ON d.id = i.department_id
        WHERE (@department IS NULL OR d.code = @department) ORDER BY i.id, f.id`,
    )
    .all({ department: departmentCode }) as Record<string, string | number | null>[];

