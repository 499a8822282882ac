// A stream of acknowledged writes from a process of its own: adds departments WS00001, WS00002, … (each with
// its audit entry, in its own transaction) for `ms` milliseconds, printing each code once it committed.
// Usage: node --import tsx tests/faults/support/write-stream.ts DB MS
import { openDatabase } from '../../../db/client.js';
import { createDepartment } from '../../../server/catalogue/departments.js';

const [path, ms] = process.argv.slice(2);
const db = openDatabase(path!, { migrate: false });
const until = Date.now() + Number(ms ?? 2000);
for (let i = 1; Date.now() < until; i++) {
  const code = `WS${String(i).padStart(5, '0')}`;
  createDepartment(db, { id: null, name: 'write-stream' }, { code, name: `写入流部门${i}`, level: 'district' });
  process.stdout.write(`${code}\n`);
  await new Promise((resolve) => setTimeout(resolve, 2));
}
db.$client.close();
