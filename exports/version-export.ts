// Exports of a published version: xlsx (styled, frozen header, widths, Chinese headers), csv (UTF-8 with
// BOM so Excel opens it; cells that a spreadsheet would run as a formula made inert), json, and CPSV-AP
// JSON-LD (each item a PublicService with its competent authority and legal resources). Items stream
// from the database in code order and the writers wait for the output, so memory stays flat whatever the
// version's size and however slowly the client reads.
import ExcelJS from 'exceljs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Writable } from 'node:stream';
import type { Db } from '../db/client.js';
import type { PublishedItem } from '../server/publication/publish.js';
import type { VersionInfo } from '../server/publication/reader.js';
import { CATEGORIES, LEVELS, SERVICE_OBJECTS, label } from '../server/domain/vocabulary.js';
import { versionContents } from '../db/queries/publication/revisions.js';
import { inertCell, inertRow } from '../server/domain/spreadsheet-cells.js';
import { handlingTypeName, onlineDepthName, onSiteVisitsName, phoneLinks } from '../server/domain/service-guide.js';
import { splitListItems } from '../imports/normalise.js';

export const EXPORT_FORMATS = ['xlsx', 'csv', 'json', 'jsonld'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  jsonld: 'application/ld+json; charset=utf-8',
};

/** The items of version `n` in code order, parsed one at a time. */
export function* versionItems(db: Db, n: number): Generator<PublishedItem> {
  const rows = versionContents(db, n);
  for (const content of rows) yield JSON.parse(content) as PublishedItem;
}

const citationsText = (p: PublishedItem, role: string) =>
  p.citations
    .filter((c) => c.role === role)
    .map((c) => `《${c.title}》${c.article ?? ''}${c.documentNumber ? `（${c.documentNumber}）` : ''}`)
    .join('；');

export const EXPORT_COLUMNS: { header: string; width: number; value: (p: PublishedItem) => string | number | null }[] = [
  { header: '事项编码', width: 34, value: (p) => p.code },
  { header: '事项名称', width: 40, value: (p) => p.name },
  { header: '主项名称', width: 30, value: (p) => p.parent?.name ?? p.mainItemName },
  { header: '事项类型', width: 12, value: (p) => label(CATEGORIES, p.category) },
  { header: '实施部门', width: 20, value: (p) => p.department.name },
  { header: '行使层级', width: 12, value: (p) => label(LEVELS, p.level) },
  { header: '服务对象', width: 16, value: (p) => p.serviceObjects.map((s) => label(SERVICE_OBJECTS, s)).join('、') },
  { header: '设定依据', width: 50, value: (p) => citationsText(p, 'setting') },
  { header: '实施依据', width: 40, value: (p) => citationsText(p, 'implementing') },
  { header: '法定时限（工作日）', width: 12, value: (p) => p.statutoryLimitDays },
  { header: '承诺时限（工作日）', width: 12, value: (p) => (p.instant ? '即办' : p.promisedLimitDays) },
  { header: '收费标准', width: 20, value: (p) => (p.feeCharged ? p.feeStandard ?? '收费' : '不收费') },
  { header: '收费依据', width: 30, value: (p) => p.feeBasis },
  { header: '申请条件', width: 40, value: (p) => p.conditions },
  { header: '申请材料', width: 40, value: (p) => p.materials },
  { header: '办理流程', width: 30, value: (p) => p.processText },
  { header: '咨询电话', width: 16, value: (p) => p.contactPhone },
  { header: '监督电话', width: 16, value: (p) => p.supervisionPhone },
  { header: '办件类型', width: 10, value: (p) => handlingTypeName(p.instant) },
  { header: '办理地点', width: 30, value: (p) => p.servicePlace ?? null },
  { header: '办理时间', width: 24, value: (p) => p.serviceHours ?? null },
  { header: '到现场次数', width: 14, value: (p) => onSiteVisitsName(p.onSiteVisits) || null },
  { header: '网上办理深度', width: 14, value: (p) => onlineDepthName(p.onlineDepth) || null },
  { header: '结果名称', width: 20, value: (p) => p.resultName ?? null },
  { header: '备注', width: 30, value: (p) => p.remarks },
];

/** The service guide in CPSV-AP terms: materials as inputs, conditions as criteria, the result, channels and phones. Empty parts left out. */
export function serviceGuideLd(item: PublishedItem): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const materials = item.materials ? splitListItems(item.materials) : [];
  const conditions = item.conditions ? splitListItems(item.conditions) : [];
  if (materials.length) out.hasInput = materials.map((name) => ({ '@type': 'Evidence', name }));
  if (conditions.length) out.hasCriterion = conditions.map((name) => ({ '@type': 'CriterionRequirement', name }));
  if (item.resultName) out.produces = { '@type': 'Output', name: item.resultName };
  const channels: Record<string, unknown>[] = [];
  if (item.servicePlace || item.serviceHours || item.onSiteVisits != null) {
    channels.push({
      '@type': 'Channel',
      type: '窗口办理',
      ...(item.servicePlace ? { location: item.servicePlace } : {}),
      ...(item.serviceHours ? { openingHours: item.serviceHours } : {}),
      ...(item.onSiteVisits != null ? { description: `到现场次数：${onSiteVisitsName(item.onSiteVisits)}` } : {}),
    });
  }
  if (item.onlineDepth) channels.push({ '@type': 'Channel', type: '网上办理', description: `网上办理深度：${onlineDepthName(item.onlineDepth)}` });
  if (channels.length) out.hasChannel = channels;
  const contacts = [
    ...phoneLinks(item.contactPhone).map((p) => ({ '@type': 'ContactPoint', name: '咨询电话', telephone: p.text })),
    ...phoneLinks(item.supervisionPhone).map((p) => ({ '@type': 'ContactPoint', name: '监督电话', telephone: p.text })),
  ];
  if (contacts.length) out.hasContactPoint = contacts;
  out.description = `办件类型：${handlingTypeName(item.instant)}`;
  return out;
}

const csvCell = (v: string | number | null): string => {
  if (v == null) return '';
  const s = inertCell(String(v));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * JSON-LD as it may be put into a page's <script type="application/ld+json"> as is: < > & and the
 * line separators written as \u escapes (the same JSON), so no text in it can close the script element.
 */
export const scriptSafeJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Resolves once the stream drains, or it or the output closes (a client that went away never drains). */
const drained = (stream: Writable, out: Writable = stream): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      out.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
    if (out !== stream) out.once('close', done);
  });

/** Writes a chunk; false when the output is gone (the download was abandoned), so the export stops. */
const write = async (out: Writable, chunk: string): Promise<boolean> => {
  if (out.destroyed) return false;
  if (!out.write(chunk)) await drained(out);
  return !out.destroyed;
};

/** Lines gathered into chunks of about this many characters before a write. */
const CHUNK_CHARS = 64 * 1024;

/**
 * exceljs's streaming writer hands each 64 KB of sheet XML to the zip's deflate stream without waiting,
 * and the deflate runs only when the event loop turns: a loop that never yields keeps the whole sheet in
 * memory. Yielding every few rows lets the zip keep up; waiting for the deflate input or the output to
 * drain bounds memory when either falls behind (a slow client).
 */
const PACE_ROWS = 32;
const SHEET_BACKLOG_BYTES = 4 * 1024 * 1024;
async function pace(ws: ExcelJS.Worksheet, out: Writable): Promise<void> {
  const sheetSink = (ws as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes?.[0];
  if (out.writableNeedDrain) await drained(out);
  else if (sheetSink && sheetSink.writableLength > SHEET_BACKLOG_BYTES) await drained(sheetSink, out);
  else await nextTurn();
}

/**
 * The one style object every data cell shares. exceljs gives each cell a fresh style object and looks a
 * style up by rendering it to XML unless it has seen that very object before; sharing one makes the
 * look-up a WeakMap hit. Frozen, so nothing can change every cell's style by accident.
 */
const PLAIN_CELL: Partial<ExcelJS.Style> = Object.freeze({});

export async function exportVersion(db: Db, version: VersionInfo, format: ExportFormat, out: Writable): Promise<number> {
  let n = 0;
  switch (format) {
    case 'xlsx': {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
      wb.creator = '行政权力清单';
      wb.title = inertCell(version.title);
      const ws = wb.addWorksheet('事项目录', { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = EXPORT_COLUMNS.map((c, i) => ({ header: c.header, key: String(i), width: c.width }));
      const header = ws.getRow(1);
      header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
      header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
      header.alignment = { vertical: 'middle', wrapText: true };
      for (const item of versionItems(db, version.number)) {
        const row = ws.addRow(inertRow(EXPORT_COLUMNS.map((c) => c.value(item))));
        (row as unknown as { style: Partial<ExcelJS.Style> }).style = PLAIN_CELL; // the row's own style (untyped in exceljs)
        row.eachCell({ includeEmpty: true }, (cell) => {
          cell.style = PLAIN_CELL;
        });
        row.commit();
        if (++n % PACE_ROWS === 0) {
          if (out.destroyed) return n;
          await pace(ws, out);
        }
      }
      ws.commit();
      const info = wb.addWorksheet('版本信息');
      info.columns = [{ key: 'k', width: 14 }, { key: 'v', width: 80 }];
      for (const [k, v] of [
        ['标题', version.title],
        ['版本', `第 ${version.number} 版`],
        ['施行日期', version.effectiveOn],
        ['事项数', String(version.itemCount)],
        ['SHA-256', version.contentHash],
      ]) info.addRow(inertRow({ k, v })).commit();
      info.commit();
      await wb.commit();
      return n;
    }
    case 'csv': {
      let chunk = `\uFEFF${EXPORT_COLUMNS.map((c) => csvCell(c.header)).join(',')}\r\n`;
      for (const item of versionItems(db, version.number)) {
        chunk += `${EXPORT_COLUMNS.map((c) => csvCell(c.value(item))).join(',')}\r\n`;
        n++;
        if (chunk.length >= CHUNK_CHARS) {
          if (!(await write(out, chunk))) return n;
          chunk = '';
        }
      }
      out.end(chunk);
      return n;
    }
    case 'json': {
      await write(out, `{"version":${JSON.stringify({ number: version.number, title: version.title, effectiveOn: version.effectiveOn, contentHash: version.contentHash })},"items":[`);
      for (const item of versionItems(db, version.number)) {
        if (!(await write(out, `${n ? ',' : ''}\n${JSON.stringify(item)}`))) return n;
        n++;
      }
      await write(out, '\n]}\n');
      out.end();
      return n;
    }
    case 'jsonld': {
      const context = {
        cpsv: 'http://purl.org/vocab/cpsv#',
        dct: 'http://purl.org/dc/terms/',
        eli: 'http://data.europa.eu/eli/ontology#',
        m8g: 'http://data.europa.eu/m8g/',
        PublicService: 'cpsv:PublicService',
        PublicOrganisation: 'm8g:PublicOrganisation',
        LegalResource: 'eli:LegalResource',
        identifier: 'dct:identifier',
        name: 'dct:title',
        description: 'dct:description',
        hasCompetentAuthority: { '@id': 'm8g:hasCompetentAuthority', '@type': '@id' },
        hasLegalResource: { '@id': 'm8g:hasLegalResource' },
        type: 'dct:type',
        prefLabel: 'http://www.w3.org/2004/02/skos/core#prefLabel',
        Evidence: 'm8g:Evidence',
        CriterionRequirement: 'm8g:CriterionRequirement',
        Output: 'cpsv:Output',
        Channel: 'm8g:Channel',
        ContactPoint: 'm8g:ContactPoint',
        hasInput: { '@id': 'cpsv:hasInput' },
        hasCriterion: { '@id': 'm8g:hasCriterion' },
        produces: { '@id': 'cpsv:produces' },
        hasChannel: { '@id': 'm8g:hasChannel' },
        hasContactPoint: { '@id': 'm8g:hasContactPoint' },
        telephone: 'http://schema.org/telephone',
        openingHours: 'http://schema.org/openingHours',
        location: 'dct:spatial',
      };
      await write(out, `{"@context":${scriptSafeJson(context)},"dct:title":${scriptSafeJson(version.title)},"dct:hasVersion":${version.number},"@graph":[`);
      const authorities = new Map<string, string>();
      for (const item of versionItems(db, version.number)) {
        authorities.set(item.department.code, item.department.name);
        const service = {
          '@id': `urn:catalogue:item:${item.code}`,
          '@type': 'PublicService',
          identifier: item.code,
          name: item.name,
          type: label(CATEGORIES, item.category),
          hasCompetentAuthority: `urn:catalogue:department:${item.department.code}`,
          hasLegalResource: item.citations.map((c) => ({ '@type': 'LegalResource', name: `《${c.title}》${c.article ?? ''}`, ...(c.documentNumber ? { identifier: c.documentNumber } : {}) })),
          ...serviceGuideLd(item),
        };
        if (!(await write(out, `${n ? ',' : ''}\n${scriptSafeJson(service)}`))) return n;
        n++;
      }
      for (const [code, name] of authorities) {
        await write(out, `,\n${scriptSafeJson({ '@id': `urn:catalogue:department:${code}`, '@type': 'PublicOrganisation', identifier: code, prefLabel: name })}`);
      }
      await write(out, '\n]}\n');
      out.end();
      return n;
    }
  }
}
