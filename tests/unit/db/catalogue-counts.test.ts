// The catalogue's counts by department and category (home page, `catalogue stats`) leave removed items out
// and come from the live-items index alone, so a catalogue of a million items counts in a fraction of a second.
import { describe, it, expect } from 'vitest';
import { demoDb } from '../../support/db.js';
import { catalogueCounts, listDepartments } from '../../../db/queries/catalogue.js';

describe('catalogue counts', () => {
  it('count live items by department and category, as counting the rows one by one does', () => {
    const db = demoDb();
    db.$client.prepare("UPDATE items SET removed_at = '2026-01-01T00:00:00.000Z' WHERE id IN (SELECT id FROM items ORDER BY id LIMIT 40)").run();
    const rows = db.$client.prepare('SELECT d.code, i.category FROM items i JOIN departments d ON d.id = i.department_id WHERE i.removed_at IS NULL').all() as { code: string; category: string }[];
    const counts = catalogueCounts(db);
    expect(counts.items).toBe(rows.length);
    for (const d of counts.byDepartment) {
      const own = rows.filter((r) => r.code === d.code);
      expect(d.itemCount, d.code).toBe(own.length);
      for (const [category, n] of Object.entries(d.byCategory)) expect(n).toBe(own.filter((r) => r.category === category).length);
    }
    expect(Object.fromEntries(listDepartments(db).map((d) => [d.code, d.itemCount]))).toEqual(Object.fromEntries(counts.byDepartment.map((d) => [d.code, d.itemCount])));
  });

  it('read the live-items index, never the items table itself', () => {
    const db = demoDb();
    const plan = (sql: string) => (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    const grouped = plan('SELECT department_id, category, count(*) AS n FROM items WHERE removed_at IS NULL GROUP BY department_id, category');
    expect(grouped).toMatch(/items_department_idx/);
    expect(grouped).not.toMatch(/TEMP B-TREE/);
  });
});
