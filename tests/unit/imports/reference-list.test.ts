// Reading higher-level lists: a decision's annex as a spreadsheet (title rows above the header,
// repeated headers, notes) or as pasted text (tabs from Excel, numbered lines, no header).
import { describe, it, expect, afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { readReferenceSheet, readReferenceText, ReferenceListRefused } from '../../../imports/reference-list.js';
import { readUpload } from '../../../imports/read-upload.js';
import { tempDir, writeWorkbook } from '../../support/sheets.js';

const dir = tempDir('reference-list-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a cancellation list as a spreadsheet', () => {
  it('finds the header under the title rows, reads name, department and decision number, and skips notes and repeated headers', async () => {
    const path = await writeWorkbook(join(dir, 'annex.xlsx'), [
      {
        rows: [
          ['国务院决定取消和下放管理层级的行政审批项目目录'],
          ['（共 3 项）'],
          ['序号', '项目名称', '审批部门', '设定依据', '处理决定', '备注'],
          [1, '外商投资道路运输业立项审批', '交通运输部', '《国务院对确需保留的行政审批项目设定行政许可的决定》', '取消', '国发〔2014〕5号'],
          [2, '2、出版物发行员职业技能鉴定', '人力资源社会保障部', '', '取消', ''],
          ['序号', '项目名称', '审批部门', '设定依据', '处理决定', '备注'],
          [3, '  建筑施工企业安全生产许可证核发 ', '住房城乡建设部', '', '下放至省级', ''],
          ['注：本目录所列项目自公布之日起取消。'],
        ],
      },
    ]);
    const reading = await readReferenceSheet(readUpload(path));
    expect(reading.entries.map((e) => e.name)).toEqual(['外商投资道路运输业立项审批', '出版物发行员职业技能鉴定', '建筑施工企业安全生产许可证核发']);
    expect(reading.entries[0]).toMatchObject({ departmentText: '交通运输部', decisionNumber: '国发〔2014〕5号', where: '第4行' });
    expect(reading.entries[2]!.remarks).toBe('下放至省级');
  });

  it('refuses a sheet without a name column with a Chinese message naming the column it needs', async () => {
    const path = await writeWorkbook(join(dir, 'no-header.xlsx'), [{ rows: [['甲', '乙'], ['1', '2']] }]);
    await expect(readReferenceSheet(readUpload(path))).rejects.toThrow(/事项名称/);
  });
});

describe('a list pasted as text', () => {
  it('reads a copy from an Excel table with its header line and tab-separated cells', () => {
    const reading = readReferenceText('序号\t事项名称\t实施机关\t文号\n1\t建筑工程施工许可证核发\t住建局\t国发〔2015〕11号\n2\t公共场所卫生许可\t卫健委\t');
    expect(reading.entries).toEqual([
      { name: '建筑工程施工许可证核发', departmentText: '住建局', decisionNumber: '国发〔2015〕11号', remarks: null, where: '第2行' },
      { name: '公共场所卫生许可', departmentText: '卫健委', decisionNumber: null, remarks: null, where: '第3行' },
    ]);
  });

  it('reads numbered lines without a header: list markers go, a part holding a document number is the decision', () => {
    const reading = readReferenceText('一、外资企业设立审批  商务部  国发〔2016〕9号\n\n2、 民办学校办学许可\n（3）出版物零售单位设立审批');
    expect(reading.entries.map((e) => [e.name, e.departmentText, e.decisionNumber])).toEqual([
      ['外资企业设立审批', '商务部', '国发〔2016〕9号'],
      ['民办学校办学许可', null, null],
      ['出版物零售单位设立审批', null, null],
    ]);
  });

  it('refuses text without any name', () => {
    expect(() => readReferenceText('\n  \n')).toThrow(ReferenceListRefused);
  });

  it('skips a paragraph pasted by mistake and says where', () => {
    const reading = readReferenceText(`企业投资项目核准\n${'这是一段说明文字'.repeat(40)}`);
    expect(reading.entries).toHaveLength(1);
    expect(reading.skipped[0]).toMatchObject({ where: '第2行' });
  });
});
