// The catalogue's counts by department and category (home page, `catalogue stats`) leave removed items out
// and come from the live-items index alone, so a catalogue of a million items counts in a fraction of a
// second; the list by department and category is read department by department and is the same list.
import { describe, it, expect } from 'vitest';
import { demoDb } from '../../support/db.js';
import { catalogueCounts, listDepartments, listItems, listItemsFiltered } from '../../../db/queries/catalogue.js';

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

describe('the catalogue list, read department by department', () => {
  it('gives exactly the pages of the one-query list, first to beyond the last, with and without filters of every kind', () => {
    const db = demoDb();
    db.$client.prepare("UPDATE items SET removed_at = '2026-01-01T00:00:00.000Z' WHERE id IN (SELECT id FROM items ORDER BY id DESC LIMIT 25)").run();
    const departments = (db.$client.prepare('SELECT code FROM departments ORDER BY code').pluck().all() as string[]).slice(0, 3);
    const filters = [
      {},
      { category: 'permit' as const },
      { department: departments[0] },
      { department: departments[2], category: 'other' as const },
      { department: 'NO-SUCH' },
      { q: '许可' },
      { q: '登记', department: departments[1] },
      { q: '%' },
      { q: 'no-such-text' },
      { basis: 'no' as const },
      { basis: 'yes' as const, category: 'permit' as const },
      { level: 'district' as const },
      { level: 'district' as const, q: '证' },
    ];
    for (const f of filters) {
      for (const pageSize of [7, 50]) {
        const total = listItemsFiltered(db, { ...f, page: 1, pageSize }).total;
        const pages = Math.ceil(total / pageSize) + 1;
        for (let page = 1; page <= pages; page++) {
          expect(listItems(db, { ...f, page, pageSize }), JSON.stringify({ ...f, page, pageSize })).toEqual(listItemsFiltered(db, { ...f, page, pageSize }));
        }
      }
    }
  });
});
