// One measurement of bench/export.ts, in its own process so peak RSS is its own:
//   product FORMAT DB OUT  — exportVersion, as the download route and `npx catalogue export` run it;
//   exceljs DB OUT [paced] — exceljs's streaming WorkbookWriter alone writing the same rows (the same query,
//                            the same cell values), without the product's styles, widths, frozen header,
//                            formula guard or version sheet; `paced` yields to the event loop every 32 rows
//                            as the product does, so the zip deflates while rows are written.
// Prints {"ms", "rows", "bytes", "maxRssMb"} as one JSON line.
import ExcelJS from 'exceljs';
import { createWriteStream, statSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Writable } from 'node:stream';
import { openDatabase } from '../db/client.js';
import { getVersion } from '../server/publication/reader.js';
import { EXPORT_COLUMNS, exportVersion, versionItems, type ExportFormat } from '../exports/version-export.js';

const [kind, ...args] = process.argv.slice(2);

/** A file stream and a promise that settles once every byte is on disk. */
function fileOut(path: string): { out: Writable; closed: Promise<void> } {
  const out = createWriteStream(path);
  const closed = new Promise<void>((resolve, reject) => {
    out.on('close', () => resolve());
    out.on('error', reject);
  });
  return { out, closed };
}

async function product(format: ExportFormat, dbPath: string, path: string): Promise<number> {
  const db = openDatabase(dbPath);
  const version = getVersion(db, 1)!;
  const { out, closed } = fileOut(path);
  const rows = await exportVersion(db, version, format, out);
  await closed;
  return rows;
}

async function exceljsAlone(dbPath: string, path: string, paced: boolean): Promise<number> {
  const db = openDatabase(dbPath);
  const { out, closed } = fileOut(path);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('事项目录');
  ws.addRow(EXPORT_COLUMNS.map((c) => c.header)).commit();
  let rows = 0;
  for (const item of versionItems(db, 1)) {
    ws.addRow(EXPORT_COLUMNS.map((c) => c.value(item))).commit();
    if (++rows % 32 === 0 && paced) await nextTurn();
  }
  ws.commit();
  await wb.commit();
  await closed;
  return rows;
}

const t0 = performance.now();
const rows = kind === 'product' ? await product(args[0] as ExportFormat, args[1]!, args[2]!) : await exceljsAlone(args[0]!, args[1]!, args[2] === 'paced');
const ms = performance.now() - t0;
const file = kind === 'product' ? args[2]! : args[1]!;
process.stdout.write(`${JSON.stringify({ ms, rows, bytes: statSync(file).size, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
