// One measured import: `tsx bench/run-import.ts FILE DB ROWS` reads FILE into DB as the legal office
// (whole catalogue, as a submission awaiting confirmation) and checks every generated text came through.
import { openDatabase } from '../db/client.js';
import { defaultConfig } from '../server/config.js';
import { runImport } from '../server/imports/service.js';
import { createImportRepository } from '../db/queries/imports.js';
import { benchRow, rng } from './content.js';
import { cleanText, stripListMarker } from '../imports/normalise.js';

const [file, dbPath, rowsArg] = process.argv.slice(2);
const db = openDatabase(dbPath!);
const legal = db.$client.prepare("SELECT id, role, department_id FROM users WHERE username = 'legal'").get() as { id: number; role: 'legal_office'; department_id: null };
const config = defaultConfig({ dbPath: dbPath!, uploadsDir: `${dbPath}.uploads`, importTimeoutMs: 3_600_000, importMemoryMb: Number(process.env.IMPORT_MEMORY_MB ?? 640) });
let childRssKb = 0;
const t0 = performance.now();
const report = await runImport(
  { db, importRepository: createImportRepository({ db }) },
  config,
  { path: file!, originalName: 'bench.xlsx', departmentCode: null, mode: 'submission', actor: { id: legal.id, name: 'legal' }, subject: { role: legal.role, departmentId: null } },
  { onReaderDone: (r) => (childRssKb = r.maxRssKb) },
);
const ms = performance.now() - t0;
// Peak memory of the import itself, before the check below reads everything back.
const parentRssMb = process.resourceUsage().maxRSS / 1024;

// Every text the generator wrote must arrive unaltered.
const random = rng(20261122);
let altered = 0;
let compared = 0;
const rows = db.$client.prepare('SELECT row_number, name, proposal FROM import_rows WHERE import_id = ? ORDER BY id').iterate(report.importId) as IterableIterator<{
  row_number: number;
  name: string;
  proposal: string;
}>;
let i = 0;
for (const r of rows) {
  i++;
  const expected = benchRow(i, random);
  const p = JSON.parse(r.proposal) as { fields: { name: string; materials: string; conditions: string; remarks: string | null }; citations: { title: string }[] };
  // Compared with the generated text after the documented cleaning (full-width digits → half-width …):
  // any other difference is a character the reader altered.
  const pairs: [string, string][] = [
    [p.fields.name, stripListMarker(cleanText(expected[2]!))],
    [p.fields.materials, cleanText(expected[10]!, { multiline: true })],
    [p.fields.conditions, cleanText(expected[11]!, { multiline: true })],
    [p.fields.remarks ?? '', cleanText(expected[14]!, { multiline: true })],
  ];
  for (const [got, want] of pairs) {
    compared++;
    if (got !== want) altered++;
  }
}
process.stdout.write(
  JSON.stringify({
    ms,
    rows: report.rows,
    expectedRows: Number(rowsArg),
    items: report.items,
    errors: report.errors.length,
    compared,
    altered,
    parentRssMb,
    childRssMb: childRssKb / 1024,
  }) + '\n',
);
