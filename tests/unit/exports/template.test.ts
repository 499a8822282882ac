import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import ExcelJS from 'exceljs';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  COLUMN_NOTES,
  EXTRA_ROWS,
  INLINE_LIST_LIMIT,
  inlineListFormula,
  templateItemFromDetail,
  templateRow,
  writeTemplate,
  type TemplateItem,
} from '../../../exports/template.js';
import { COLUMNS, columnForHeader, type ColumnKey } from '../../../imports/columns.js';
import { readUpload } from '../../../imports/read-upload.js';
import { findTables } from '../../../imports/table.js';
import { importRow, type ImportedRow } from '../../../imports/rows.js';
import { CATEGORIES, DISPOSITIONS, LEVELS } from '../../../server/domain/vocabulary.js';
import { getItem } from '../../../db/queries/catalogue.js';
import { demoDb } from '../../support/db.js';

/** The template's columns as the brief orders them. */
const ORDER: ColumnKey[] = [
  'seq', 'code', 'name', 'subItem', 'category', 'department', 'level', 'basis', 'implementingBasis', 'serviceObject',
  'statutoryLimit', 'promisedLimit', 'feeStandard', 'feeBasis', 'conditions', 'materials', 'process', 'prerequisites',
  'contactPhone', 'supervisionPhone', 'handlingType', 'servicePlace', 'serviceHours', 'onSiteVisits', 'onlineDepth', 'resultName',
  'disposition', 'remarks',
];
const col = (key: ColumnKey) => ORDER.indexOf(key) + 1;
const letter = (key: ColumnKey) => (col(key) > 26 ? 'A' : '') + String.fromCharCode(64 + ((col(key) - 1) % 26) + 1);

const DEPARTMENT = '区交通运输局';

const base: TemplateItem = {
  code: '',
  name: '',
  mainItemName: null,
  category: 'permit',
  level: 'district',
  serviceObjects: [],
  statutoryLimitDays: null,
  promisedLimitDays: null,
  instant: false,
  feeCharged: false,
  feeStandard: null,
  feeBasis: null,
  conditions: null,
  materials: null,
  processText: null,
  contactPhone: null,
  supervisionPhone: null,
  remarks: null,
  servicePlace: null,
  serviceHours: null,
  onSiteVisits: null,
  onlineDepth: null,
  resultName: null,
  basisText: '',
  prerequisites: [],
};

const ITEMS: TemplateItem[] = [
  {
    ...base,
    code: '000117001000',
    name: '道路旅客运输经营许可',
    serviceObjects: ['citizens', 'enterprises'],
    statutoryLimitDays: 20,
    promisedLimitDays: 10,
    basisText: '《中华人民共和国道路运输条例》第二十四条；《道路旅客运输及客运站管理规定》（交通运输部令2016年第82号）第十条',
    implementingBasisText: '《四川省道路运输条例》第十二条',
    conditions: '1、有与其经营业务相适应并经检测合格的车辆\n2、有符合规定条件的驾驶人员',
    materials: '1、申请表\n2、企业章程文本\n3、投资人、负责人身份证明',
    processText: '受理—审查—决定—送达',
    prerequisites: ['企业名称预先核准', '道路运输车辆营运证核发'],
    contactPhone: '028-12345678',
    supervisionPhone: '028-87654321',
    disposition: 'retain',
  },
  {
    ...base,
    code: '000117002001',
    name: '新建、改建、扩建公路工程竣工验收',
    mainItemName: '公路建设项目竣工验收',
    category: 'confirmation',
    statutoryLimitDays: 30,
    promisedLimitDays: 15,
    basisText: '《公路建设市场管理办法》第十八条',
  },
  {
    ...base,
    code: '000117003000',
    name: '道路运输从业人员从业资格证补证',
    category: 'public_service',
    level: 'town',
    serviceObjects: ['citizens'],
    promisedLimitDays: 0,
    instant: true,
    remarks: '当场办结',
  },
  {
    ...base,
    code: '000117004000',
    name: '车辆通行费收取',
    category: 'levy',
    level: null,
    serviceObjects: ['enterprises', 'organisations'],
    statutoryLimitDays: 5,
    promisedLimitDays: 3,
    feeCharged: true,
    feeStandard: '按车型每车次10元至50元',
    feeBasis: '《收费公路管理条例》第十五条',
    basisText: '《收费公路管理条例》第十一条',
    disposition: 'cancel',
  },
];

let dir: string;
let blankPath: string;
let filledPath: string;
let blank: ExcelJS.Workbook;
let filled: ExcelJS.Workbook;

const read = async (path: string) => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
};
const sheetOf = (wb: ExcelJS.Workbook, name = '事项清单') => {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
};
const text = (ws: ExcelJS.Worksheet, row: number, key: ColumnKey) => ws.getCell(row, col(key)).text;
const noteOf = (cell: ExcelJS.Cell): string => {
  const note = cell.note as string | ExcelJS.Comment | undefined;
  if (note === undefined) return '';
  return typeof note === 'string' ? note : (note.texts ?? []).map((t) => t.text).join('');
};
type ValidationModel = Record<string, ExcelJS.DataValidation | undefined>;
const validations = (ws: ExcelJS.Worksheet) => (ws as unknown as { dataValidations: { model: ValidationModel } }).dataValidations.model;
/** The labels a list validation offers, whether written inline or as a range on another sheet. */
const listLabels = (wb: ExcelJS.Workbook, formula: string): string[] => {
  if (formula.startsWith('"')) return formula.slice(1, -1).split(',');
  const m = /^'?([^'!]+)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)$/.exec(formula);
  if (!m) throw new Error(`unexpected list formula ${formula}`);
  const ws = sheetOf(wb, m[1]!);
  const out: string[] = [];
  for (let r = Number(m[3]); r <= Number(m[5]); r++) out.push(ws.getCell(`${m[2]}${r}`).text);
  return out;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'template-'));
  blankPath = join(dir, 'blank.xlsx');
  filledPath = join(dir, 'filled.xlsx');
  await writeTemplate(blankPath, { departmentName: DEPARTMENT, items: [] });
  await writeTemplate(filledPath, { departmentName: DEPARTMENT, items: ITEMS });
  blank = await read(blankPath);
  filled = await read(filledPath);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the template sheet', () => {
  it('row 2 holds exactly the importer’s column labels, in the template’s order', () => {
    for (const wb of [blank, filled]) {
      const header = sheetOf(wb).getRow(2);
      const labels = ORDER.map((_, i) => header.getCell(i + 1).text);
      expect(labels).toEqual(ORDER.map((key) => COLUMNS[key].label));
      expect(header.getCell(ORDER.length + 1).text).toBe('');
    }
  });

  it('every header label is recognised by the importer as its own column', () => {
    const header = sheetOf(filled).getRow(2);
    ORDER.forEach((key, i) => expect(columnForHeader(header.getCell(i + 1).text), key).toBe(key));
  });

  it('row 1 is the department’s title, merged across every column', () => {
    const ws = sheetOf(blank);
    expect(ws.getCell('A1').text).toBe('区交通运输局行政权力事项清单（填报模板）');
    expect(ws.getCell('A1').font?.bold).toBe(true);
    const last = ws.getCell(1, ORDER.length);
    expect(last.isMerged).toBe(true);
    expect(last.master.address).toBe('A1');
    expect(ws.getCell(1, ORDER.length + 1).isMerged).toBe(false);
  });

  it('the header stays frozen: two rows, and the columns 序号, 事项编码 and 事项名称', () => {
    for (const wb of [blank, filled]) {
      const view = sheetOf(wb).views[0];
      expect(view).toMatchObject({ state: 'frozen', xSplit: 3, ySplit: 2 });
    }
  });

  it('the header is bold on a fill, with wrapped text', () => {
    const cell = sheetOf(blank).getCell(2, col('basis'));
    expect(cell.font?.bold).toBe(true);
    expect(cell.fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
    expect(cell.alignment?.wrapText).toBe(true);
  });

  it('columns are sized for their content: names about 40 wide, the legal basis about 60', () => {
    for (const wb of [blank, filled]) {
      const ws = sheetOf(wb);
      const width = (key: ColumnKey) => ws.getColumn(col(key)).width ?? 0;
      expect(width('name')).toBeGreaterThanOrEqual(30);
      expect(width('name')).toBeLessThanOrEqual(40);
      expect(width('basis')).toBeGreaterThanOrEqual(45);
      expect(width('basis')).toBeLessThanOrEqual(60);
      expect(width('seq')).toBeLessThan(10);
    }
    // The filled template's basis text is long: its column grows to the cap.
    expect(sheetOf(filled).getColumn(col('basis')).width).toBe(60);
  });

  it('every header cell carries a note saying what to write', () => {
    const header = sheetOf(blank).getRow(2);
    ORDER.forEach((key, i) => {
      const note = noteOf(header.getCell(i + 1));
      expect(note, key).not.toBe('');
      expect(note, key).toBe(COLUMN_NOTES[key as keyof typeof COLUMN_NOTES]);
    });
    expect(noteOf(header.getCell(col('category')))).toContain('从下拉列表选择，也可填国家编码 01–10、20');
    expect(noteOf(header.getCell(col('statutoryLimit')))).toBe('填工作日数，如“20个工作日”；当场办结填“即办”');
    expect(noteOf(header.getCell(col('basis')))).toBe(
      '写明《法律法规名称》和条款，如《中华人民共和国行政许可法》第十二条；多条用分号隔开',
    );
    expect(noteOf(header.getCell(col('code')))).toBe('已有事项请勿修改编码；新增事项可留空');
  });

  it('a second visible sheet 填表说明 lists every column with the same note', () => {
    const ws = sheetOf(blank, '填表说明');
    expect(ws.state).toBe('visible');
    expect(blank.worksheets.map((w) => w.name).slice(0, 2)).toEqual(['事项清单', '填表说明']);
    ORDER.forEach((key, i) => {
      expect(ws.getCell(i + 2, 1).text).toBe(COLUMNS[key].label);
      expect(ws.getCell(i + 2, 2).text).toBe(COLUMN_NOTES[key as keyof typeof COLUMN_NOTES]);
    });
  });
});

describe('drop-down lists', () => {
  const LISTS = [
    { key: 'category', labels: Object.values(CATEGORIES), error: '请从下拉列表中选择事项类型' },
    { key: 'disposition', labels: Object.values(DISPOSITIONS), error: '请从下拉列表中选择处理意见' },
    { key: 'level', labels: Object.values(LEVELS), error: '请从下拉列表中选择行使层级' },
  ] as const;

  it('事项类型, 处理意见 and 行使层级 offer every label of their vocabulary, with a Chinese error message', () => {
    for (const wb of [blank, filled]) {
      const model = validations(sheetOf(wb));
      for (const { key, labels, error } of LISTS) {
        const v = model[`${letter(key)}3`];
        expect(v, key).toBeDefined();
        expect(v!.type).toBe('list');
        expect(listLabels(wb, String(v!.formulae[0]))).toEqual(labels);
        expect(v!.showErrorMessage).toBe(true);
        expect(v!.error).toBe(error);
        expect(v!.allowBlank).toBe(true);
      }
    }
  });

  it('the lists cover the item rows and 500 blank rows below them, and nothing else', () => {
    for (const [wb, n] of [[blank, 0], [filled, ITEMS.length]] as const) {
      const model = validations(sheetOf(wb));
      const last = 2 + n + EXTRA_ROWS;
      for (const { key } of LISTS) {
        expect(model[`${letter(key)}2`], key).toBeUndefined();
        expect(model[`${letter(key)}${last}`], key).toBeDefined();
        expect(model[`${letter(key)}${last + 1}`], key).toBeUndefined();
      }
      expect(model[`${letter('name')}3`]).toBeUndefined();
    }
  });

  it('lists within Excel’s 255-character limit are written inline, without a hidden sheet', () => {
    expect(inlineListFormula(Object.values(CATEGORIES))).toBe(`"${Object.values(CATEGORIES).join(',')}"`);
    expect(blank.getWorksheet('选项')).toBeUndefined();
  });

  it('a list longer than 255 characters, or with a comma in a label, cannot be inline', () => {
    const long = Array.from({ length: 40 }, (_, i) => `很长的事项类型名称${i}`);
    expect(long.join(',').length).toBeGreaterThan(INLINE_LIST_LIMIT);
    expect(inlineListFormula(long)).toBeNull();
    expect(inlineListFormula(['保留', '取消,下放'])).toBeNull();
  });

  it('a list too long to be inline goes on the hidden sheet 选项 and is referenced as a range', async () => {
    vi.resetModules();
    const longCategories = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`c${i}`, `很长的事项类型名称${i}`]));
    vi.doMock('../../../server/domain/vocabulary.js', async (importOriginal) => ({
      ...(await importOriginal<typeof import('../../../server/domain/vocabulary.js')>()),
      CATEGORIES: longCategories,
    }));
    try {
      const fresh = await import('../../../exports/template.js');
      const path = join(dir, 'long-lists.xlsx');
      await fresh.writeTemplate(path, { departmentName: DEPARTMENT, items: [] });
      const wb = await read(path);
      const options = sheetOf(wb, '选项');
      expect(options.state).toBe('hidden');
      const v = validations(sheetOf(wb))[`${letter('category')}3`]!;
      expect(String(v.formulae[0])).toBe(`'选项'!$A$1:$A$40`);
      expect(listLabels(wb, String(v.formulae[0]))).toEqual(Object.values(longCategories));
      // The short lists stay inline.
      expect(String(validations(sheetOf(wb))[`${letter('level')}3`]!.formulae[0])).toBe(`"${Object.values(LEVELS).join(',')}"`);
    } finally {
      vi.doUnmock('../../../server/domain/vocabulary.js');
      vi.resetModules();
    }
  });
});

describe('a pre-filled template', () => {
  const ws = () => sheetOf(filled);

  it('has one row per item from row 3, numbered, each naming the department as 实施主体', () => {
    ITEMS.forEach((item, i) => {
      expect(text(ws(), 3 + i, 'seq')).toBe(String(i + 1));
      expect(text(ws(), 3 + i, 'code')).toBe(item.code);
      expect(text(ws(), 3 + i, 'department')).toBe(DEPARTMENT);
    });
    expect(ws().getRow(3 + ITEMS.length).hasValues).toBe(false);
  });

  it('writes vocabulary labels, not codes: 事项类型, 行使层级, 服务对象 (joined by 、) and 处理意见', () => {
    expect(text(ws(), 3, 'category')).toBe('行政许可');
    expect(text(ws(), 3, 'level')).toBe('区（县）级');
    expect(text(ws(), 3, 'serviceObject')).toBe('自然人、企业法人');
    expect(text(ws(), 3, 'disposition')).toBe('保留');
    expect(text(ws(), 5, 'category')).toBe('公共服务');
    expect(text(ws(), 5, 'level')).toBe('乡镇（街道）级');
    expect(text(ws(), 6, 'level')).toBe('');
    expect(text(ws(), 6, 'disposition')).toBe('取消');
  });

  it('a sub-item has its main item in 事项名称 and its own name in 子项; other items leave 子项 empty', () => {
    expect(text(ws(), 4, 'name')).toBe('公路建设项目竣工验收');
    expect(text(ws(), 4, 'subItem')).toBe('新建、改建、扩建公路工程竣工验收');
    expect(text(ws(), 3, 'name')).toBe('道路旅客运输经营许可');
    expect(text(ws(), 3, 'subItem')).toBe('');
  });

  it('time limits read “N个工作日”, and an instant item’s 承诺时限 reads 即办', () => {
    expect(text(ws(), 3, 'statutoryLimit')).toBe('20个工作日');
    expect(text(ws(), 3, 'promisedLimit')).toBe('10个工作日');
    expect(text(ws(), 5, 'statutoryLimit')).toBe('');
    expect(text(ws(), 5, 'promisedLimit')).toBe('即办');
    // An instant item stored without promised days still reads 即办.
    expect(templateRow({ ...base, instant: true, promisedLimitDays: null }, 1, DEPARTMENT).promisedLimit).toBe('即办');
    expect(templateRow({ ...base, statutoryLimitDays: 0 }, 1, DEPARTMENT).statutoryLimit).toBe('即办');
  });

  it('收费标准 reads 不收费 when no fee is charged, and the standard with its basis when one is', () => {
    expect(text(ws(), 3, 'feeStandard')).toBe('不收费');
    expect(text(ws(), 3, 'feeBasis')).toBe('');
    expect(text(ws(), 6, 'feeStandard')).toBe('按车型每车次10元至50元');
    expect(text(ws(), 6, 'feeBasis')).toBe('《收费公路管理条例》第十五条');
  });

  it('设定依据 and 实施依据 hold the basis texts; 前置事项 are joined by ；', () => {
    expect(text(ws(), 3, 'basis')).toBe(ITEMS[0]!.basisText);
    expect(text(ws(), 3, 'implementingBasis')).toBe('《四川省道路运输条例》第十二条');
    expect(text(ws(), 3, 'prerequisites')).toBe('企业名称预先核准；道路运输车辆营运证核发');
  });

  it('申请条件 and 申请材料 keep their line breaks and wrap', () => {
    const materials = ws().getCell(3, col('materials'));
    expect(materials.text).toBe('1、申请表\n2、企业章程文本\n3、投资人、负责人身份证明');
    expect(materials.alignment?.wrapText).toBe(true);
    expect(ws().getCell(3, col('conditions')).text.split('\n')).toHaveLength(2);
  });

  it('codes and phone numbers are text cells, so Excel never turns them into numbers', () => {
    expect(ws().getCell(3, col('code')).numFmt).toBe('@');
    expect(ws().getCell(3, col('contactPhone')).numFmt).toBe('@');
    expect(ws().getCell(3, col('code')).type).toBe(ExcelJS.ValueType.String);
  });

  it('the importer reads the template back to the same items', async () => {
    const rows: ImportedRow[] = [];
    const sheets: string[] = [];
    for await (const event of findTables(readUpload(filledPath))) {
      if (event.type === 'sheet' && event.info.headerRow !== null) {
        sheets.push(event.info.sheet);
        expect(event.info.headerRow).toBe(2);
        expect(event.info.unknownHeaders).toEqual([]);
        expect(Object.keys(event.info.headers).sort()).toEqual([...ORDER].sort());
      }
      if (event.type === 'row') rows.push(importRow(event.row, {}));
    }
    expect(sheets).toEqual(['事项清单']);
    expect(rows).toHaveLength(ITEMS.length);
    rows.forEach((row, i) => {
      const item = ITEMS[i]!;
      expect(row.errors, item.name).toEqual([]);
      expect(row.warnings, item.name).toEqual([]);
      expect(row.code).toBe(item.code);
      expect(row.name).toBe(item.name);
      expect(row.mainItemName).toBe(item.mainItemName);
      expect(row.departmentText).toBe(DEPARTMENT);
      expect(row.disposition).toBe(item.disposition ?? null);
      expect(row.prerequisites).toEqual(item.prerequisites);
      expect(row.fields).toMatchObject({
        category: item.category,
        level: item.level,
        serviceObjects: item.serviceObjects,
        statutoryLimitDays: item.statutoryLimitDays,
        promisedLimitDays: item.promisedLimitDays,
        instant: item.instant,
        feeCharged: item.feeCharged,
        feeStandard: item.feeCharged ? item.feeStandard : '不收费',
        feeBasis: item.feeBasis,
        materials: item.materials,
        remarks: item.remarks,
      });
    });
    const first = rows[0]!.citations;
    expect(first.map((c) => [c.role, c.title, c.article])).toEqual([
      ['setting', '中华人民共和国道路运输条例', '第二十四条'],
      ['setting', '道路旅客运输及客运站管理规定', '第十条'],
      ['implementing', '四川省道路运输条例', '第十二条'],
    ]);
  });

  it('can be written to a stream as well as to a path', async () => {
    const path = join(dir, 'streamed.xlsx');
    await writeTemplate(createWriteStream(path), { departmentName: DEPARTMENT, items: ITEMS });
    const wb = await read(path);
    expect(text(sheetOf(wb), 4, 'subItem')).toBe('新建、改建、扩建公路工程竣工验收');
    expect(validations(sheetOf(wb))[`${letter('category')}3`]).toBeDefined();
  });
});

describe('templateItemFromDetail', () => {
  it('setting citations become 设定依据 as 《title》article joined by ；, implementing ones 实施依据', () => {
    const db = demoDb();
    const { code } = db.$client
      .prepare(
        `SELECT i.code FROM items i
          WHERE i.removed_at IS NULL
            AND (SELECT count(*) FROM citations c WHERE c.item_id = i.id AND c.role = 'setting' AND c.article IS NOT NULL) >= 1
            AND EXISTS (SELECT 1 FROM citations c WHERE c.item_id = i.id AND c.role = 'implementing')
          ORDER BY i.code LIMIT 1`,
      )
      .get() as { code: string };
    const detail = getItem(db, code)!;
    const item = templateItemFromDetail(detail);
    const written = (role: string) =>
      detail.citations
        .filter((c) => c.role === role)
        .map((c) => `《${c.title.replace(/^《|》$/g, '')}》${c.documentNumber ? `（${c.documentNumber}）` : ''}${c.article ?? ''}`)
        .join('；');
    expect(item.basisText).toBe(written('setting'));
    expect(item.basisText).toMatch(/^《[^《》]+》/);
    expect(item.basisText).not.toContain('《《');
    expect(item.implementingBasisText).toBe(written('implementing'));
    expect(item.implementingBasisText).not.toBe('');
    expect(item).toMatchObject({
      code: detail.code,
      name: detail.name,
      category: detail.category,
      level: detail.level,
      serviceObjects: detail.serviceObjects,
      instant: detail.instant,
      feeCharged: detail.feeCharged,
      prerequisites: detail.prerequisites.map((p) => p.writtenAs),
    });
  });

  it('a sub-item keeps its main item’s name', () => {
    const db = demoDb();
    const row = db.$client
      .prepare('SELECT code FROM items WHERE parent_id IS NOT NULL AND removed_at IS NULL ORDER BY code LIMIT 1')
      .get() as { code: string } | undefined;
    expect(row, 'the demo district has sub-items').toBeDefined();
    const detail = getItem(db, row!.code)!;
    const item = templateItemFromDetail(detail);
    expect(item.mainItemName).toBe(detail.mainItemName ?? detail.parent!.name);
    expect(item.mainItemName).not.toBeNull();
  });
});
