// The service guide read from what departments write: phones a phone dials, 办件类型, 到现场次数 and
// 网上办理深度 in the words provincial platforms use, and a sheet's guide columns.
import { describe, it, expect } from 'vitest';
import { phoneLinks, onSiteVisitsName, handlingTypeName } from '../../../server/domain/service-guide.js';
import { parseHandlingType, parseOnlineDepth, parseOnSiteVisits } from '../../../imports/vocabulary-parsers.js';
import { importRow } from '../../../imports/rows.js';
import { columnForHeader } from '../../../imports/columns.js';

describe('phone numbers', () => {
  it('every number in a cell becomes a tel: link of its digits, an extension dialled after a pause', () => {
    expect(phoneLinks('0826-2345678；0826-2345679（传真）')).toEqual([
      { text: '0826-2345678', href: 'tel:08262345678' },
      { text: '0826-2345679', href: 'tel:08262345679' },
    ]);
    expect(phoneLinks('(028)87654321转123')).toEqual([{ text: '(028)87654321转123', href: 'tel:02887654321,123' }]);
    expect(phoneLinks('12345 13800138000')).toEqual([
      { text: '12345', href: 'tel:12345' },
      { text: '13800138000', href: 'tel:13800138000' },
    ]);
    expect(phoneLinks('0826-12345')).toEqual([{ text: '0826-12345', href: 'tel:082612345' }]);
    expect(phoneLinks('４００－８８８－１２３４')).toEqual([{ text: '400-888-1234', href: 'tel:4008881234' }]);
  });

  it('a cell without a number gives no link (the page shows its text)', () => {
    expect(phoneLinks('见窗口公示')).toEqual([]);
    expect(phoneLinks(null)).toEqual([]);
  });
});

describe('the guide vocabularies as sheets write them', () => {
  it('办件类型: 即办件 is handled on the spot, 承诺件 against a limit', () => {
    expect(parseHandlingType('即办件')).toBe(true);
    expect(parseHandlingType('承诺件')).toBe(false);
    expect(parseHandlingType('其他')).toBeNull();
    expect(handlingTypeName(true)).toBe('即办件');
    expect(handlingTypeName(false)).toBe('承诺件');
  });

  it('到现场次数: 0, 1 (最多跑一次) or 2 and more', () => {
    expect(['0次', '不用跑', '零跑腿', '0 次（不用跑）'].map(parseOnSiteVisits)).toEqual([0, 0, 0, 0]);
    expect(['1', '最多跑一次', '一次', '1 次（最多跑一次）'].map(parseOnSiteVisits)).toEqual([1, 1, 1, 1]);
    expect(['2次', '两次', '3', '2 次及以上'].map(parseOnSiteVisits)).toEqual([2, 2, 2, 2]);
    expect(parseOnSiteVisits('视情况')).toBeNull();
    expect(onSiteVisitsName(1)).toBe('1 次（最多跑一次）');
    expect(onSiteVisitsName(null)).toBe('');
  });

  it('网上办理深度: a grade (一级 … 四级, Ⅰ–Ⅳ, 1–4) or what it means', () => {
    expect(['一级', 'Ⅱ级', '3', '四级：全程网办'].map(parseOnlineDepth)).toEqual(['info_published', 'form_download', 'online_prereview', 'fully_online']);
    expect(['信息发布', '表格下载', '网上预审', '全程网办'].map(parseOnlineDepth)).toEqual(['info_published', 'form_download', 'online_prereview', 'fully_online']);
    expect(parseOnlineDepth('不详')).toBeNull();
  });

  it("a sheet's guide columns are read by their usual headers; 办件类型 decides 即办 over the limits", () => {
    expect(['办理地点', '受理地点', '办理时间', '办件类型', '到现场次数', '网办深度', '结果名称'].map(columnForHeader)).toEqual([
      'servicePlace', 'servicePlace', 'serviceHours', 'handlingType', 'onSiteVisits', 'onlineDepth', 'resultName',
    ]);
    const row = importRow(
      {
        sheet: '表1',
        rowNumber: 3,
        values: { name: '食品经营许可', category: '行政许可', promisedLimit: '即办', handlingType: '承诺件', servicePlace: '政务服务中心3号窗口', serviceHours: '工作日', onSiteVisits: '最多跑一次', onlineDepth: '四级', resultName: '许可证' },
      },
      {},
    );
    expect(row.fields).toMatchObject({ instant: false, servicePlace: '政务服务中心3号窗口', serviceHours: '工作日', onSiteVisits: 1, onlineDepth: 'fully_online', resultName: '许可证' });
    const unclear = importRow({ sheet: '表1', rowNumber: 4, values: { name: '某事项', category: '行政许可', onSiteVisits: '看情况', onlineDepth: '很深' } }, { onSiteVisits: '跑动次数' });
    expect(unclear.errors).toEqual([]);
    expect(unclear.fields).toMatchObject({ onSiteVisits: null, onlineDepth: null });
    expect(unclear.warnings.map((w) => w.column)).toEqual(['跑动次数', '网上办理深度']);
  });
});
