// The workbook part and the relationships that lead from the package to it and from it to its sheets,
// shared strings and styles.
import { RefusedUpload } from '../types.js';
import { MESSAGES } from './messages.js';
import { parsePart, startTags } from './parts.js';
import { attributeValue, readAttributes } from './tokenizer.js';
import type { ZipArchive, ZipEntry } from './zip.js';

export interface SheetInfo {
  name: string;
  /** 0-based position of the sheet's tab in the workbook. */
  index: number;
  entry: ZipEntry;
}

export interface Workbook {
  sheets: SheetInfo[];
  date1904: boolean;
  sharedStrings?: ZipEntry;
  styles?: ZipEntry;
}

function resolveTarget(baseDir: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : `${baseDir}${target}`).replace(/\\/g, '/').split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

interface Relationship {
  type: string;
  target: string;
}

async function readRelationships(zip: ZipArchive, partName: string): Promise<Map<string, Relationship>> {
  const slash = partName.lastIndexOf('/');
  const dir = partName.slice(0, slash + 1);
  const relsEntry = zip.find(`${dir}_rels/${partName.slice(slash + 1)}.rels`);
  const relationships = new Map<string, Relationship>();
  if (!relsEntry) return relationships;
  await parsePart(
    zip,
    relsEntry,
    startTags((name, buf, start, end) => {
      if (name !== 'Relationship') return;
      const attributes = readAttributes(buf, start, end);
      const id = attributes.get('Id');
      const target = attributes.get('Target');
      if (!id || !target || attributes.get('TargetMode') === 'External') return;
      relationships.set(id, { type: attributes.get('Type') ?? '', target: resolveTarget(dir, target) });
    }),
  );
  return relationships;
}

export async function readWorkbook(zip: ZipArchive): Promise<Workbook> {
  const rootRels = await readRelationships(zip, '');
  let workbookName = 'xl/workbook.xml';
  for (const rel of rootRels.values()) {
    if (rel.type.endsWith('/officeDocument') && zip.find(rel.target)) workbookName = rel.target;
  }
  const workbookEntry = zip.find(workbookName);
  if (!workbookEntry) throw new RefusedUpload('format.unknown', MESSAGES.malformed('xl/workbook.xml'));
  const rels = await readRelationships(zip, workbookEntry.name);

  const declared: { name: string; rid?: string }[] = [];
  let date1904 = false;
  await parsePart(
    zip,
    workbookEntry,
    startTags((name, buf, start, end) => {
      if (name === 'sheet') {
        const attributes = readAttributes(buf, start, end);
        let rid: string | undefined;
        for (const [key, value] of attributes) if (key === 'r:id' || key.endsWith(':id')) rid = value;
        declared.push({ name: attributes.get('name') ?? `Sheet${declared.length + 1}`, rid });
      } else if (name === 'workbookPr') {
        const value = attributeValue(buf, start, end, 'date1904');
        date1904 = value === '1' || value === 'true';
      }
    }),
  );

  const sheets: SheetInfo[] = [];
  declared.forEach((sheet, index) => {
    const rel = sheet.rid ? rels.get(sheet.rid) : undefined;
    if (rel && !/\/worksheet$/.test(rel.type)) return; // chartsheets, dialogsheets, macrosheets
    const entry = rel ? zip.find(rel.target) : zip.find(`xl/worksheets/sheet${index + 1}.xml`);
    if (entry) sheets.push({ name: sheet.name, index, entry });
  });

  const byType = (suffix: string, fallback: string): ZipEntry | undefined => {
    for (const rel of rels.values()) if (rel.type.endsWith(suffix)) return zip.find(rel.target);
    return zip.find(fallback);
  };
  return {
    sheets,
    date1904,
    sharedStrings: byType('/sharedStrings', 'xl/sharedStrings.xml'),
    styles: byType('/styles', 'xl/styles.xml'),
  };
}
