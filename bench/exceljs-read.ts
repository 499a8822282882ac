// Baseline: the time exceljs's streaming WorkbookReader needs just to read a file (every cell value).
import ExcelJS from 'exceljs';

const file = process.argv[2]!;
const t0 = performance.now();
let rows = 0;
let cells = 0;
const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit' });
for await (const ws of reader) {
  for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
    rows++;
    row.eachCell(() => cells++);
  }
}
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ ms, rows, cells, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
