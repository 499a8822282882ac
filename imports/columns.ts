// The columns an import understands, with every header name departments are known to use for them.
// This is the one place aliases live: the header finder, the template and the error messages read it.

export const COLUMNS = {
  seq: { label: '序号', aliases: ['序号', '编号', '顺序号'] },
  code: { label: '事项编码', aliases: ['事项编码', '职权编码', '权力编码', '实施编码', '事项代码', '编码', '基本编码'] },
  name: {
    label: '事项名称',
    aliases: ['事项名称', '权力名称', '项目名称', '职权名称', '主项名称', '权力事项名称', '权力事项', '服务事项', '服务事项名称', '审批项目名称', '审批事项名称', '权责事项', '权责事项名称', '行政权力名称', '职权事项', '主项', '名称'],
  },
  subItem: { label: '子项', aliases: ['子项', '子项名称', '子项目', '子项目名称', '事项子项', '子事项', '子事项名称'] },
  category: { label: '事项类型', aliases: ['事项类型', '权力类型', '职权类型', '事项类别', '权力类别', '职权类别', '权力事项类型', '类型', '类别'] },
  department: {
    label: '实施主体',
    // 行驶主体 is how a provincial platform's export misspells 行使主体. 承办机构 (the office that handles
    // the item) stands for the department only in a sheet without any of the names before it.
    aliases: ['实施主体', '实施机关', '实施部门', '授权部门', '责任部门', '行使主体', '行驶主体', '实施单位', '行使部门', '执法主体', '责任主体', '办理部门', '主管部门', '部门', '单位', '承办机构', '承办单位'],
  },
  basis: {
    label: '设定依据',
    aliases: ['设定依据', '设定和实施依据', '依据', '法律依据', '法定依据', '设定及实施依据', '法律法规依据', '设立依据', '行使依据', '职权依据', '执法依据', '设定依据及条款', '法律依据及条款'],
  },
  /** A separate implementing-basis column; when a sheet has no setting-basis column it is read as the basis. */
  implementingBasis: { label: '实施依据', aliases: ['实施依据'] },
  level: { label: '行使层级', aliases: ['行使层级', '实施层级', '层级', '行使层级（省市县乡）'] },
  statutoryLimit: { label: '法定时限', aliases: ['法定时限', '法定办结时限', '法定期限'] },
  promisedLimit: { label: '承诺时限', aliases: ['承诺时限', '承诺办结时限', '承诺期限', '办理时限', '办结时限'] },
  feeStandard: { label: '收费标准', aliases: ['收费标准', '是否收费', '收费情况', '收费', '收费标准及依据', '收费依据及标准'] },
  feeBasis: { label: '收费依据', aliases: ['收费依据'] },
  serviceObject: { label: '服务对象', aliases: ['服务对象', '行使对象', '办理对象', '适用对象'] },
  materials: { label: '申请材料', aliases: ['申请材料', '申报材料', '办理材料', '材料'] },
  conditions: { label: '申请条件', aliases: ['申请条件', '受理条件', '办理条件', '前置条件'] },
  process: { label: '办理流程', aliases: ['办理流程', '流程', '办理程序', '审批流程', '工作流程'] },
  prerequisites: { label: '前置事项', aliases: ['前置事项', '前置审批', '前置审批事项', '前置许可'] },
  contactPhone: { label: '咨询电话', aliases: ['咨询电话', '咨询方式', '联系电话'] },
  supervisionPhone: { label: '监督电话', aliases: ['监督电话', '投诉电话', '监督投诉电话', '监督投诉方式', '监管电话'] },
  // The service guide (办事指南) as provincial platforms export it.
  handlingType: { label: '办件类型', aliases: ['办件类型', '办件类别', '事项办件类型', '办理类型'] },
  servicePlace: { label: '办理地点', aliases: ['办理地点', '受理地点', '办理地址', '受理地址', '办公地点', '窗口地址'] },
  serviceHours: { label: '办理时间', aliases: ['办理时间', '受理时间', '办公时间', '窗口办公时间'] },
  onSiteVisits: { label: '到现场次数', aliases: ['到现场次数', '到办事现场次数', '到窗口次数', '跑动次数', '最多跑几次'] },
  onlineDepth: { label: '网上办理深度', aliases: ['网上办理深度', '网办深度', '网上办理程度', '办理深度'] },
  resultName: { label: '结果名称', aliases: ['结果名称', '审批结果名称', '办理结果名称', '审批结果', '办理结果'] },
  disposition: { label: '处理意见', aliases: ['处理意见', '清理意见', '清理结果', '处理结果', '拟处理意见'] },
  remarks: { label: '备注', aliases: ['备注', '说明'] },
} as const;

export type ColumnKey = keyof typeof COLUMNS;
export const COLUMN_KEYS = Object.keys(COLUMNS) as ColumnKey[];

/**
 * The columns of a higher-level list (a cancellation or delegation decision's annex, a standard base
 * catalogue). Read by imports/reference-list.ts.
 */
export const REFERENCE_COLUMNS = {
  name: {
    label: '事项名称',
    aliases: ['事项名称', '项目名称', '审批项目名称', '权力名称', '职权名称', '权力事项名称', '主项名称', '名称', '取消事项', '下放事项', '基本目录事项名称', '标准名称', '规范名称'],
  },
  department: { label: '实施机关', aliases: ['实施机关', '审批部门', '实施部门', '实施主体', '主管部门', '审批机关', '部门', '单位'] },
  decisionNumber: { label: '决定文号', aliases: ['决定文号', '文号', '取消依据', '下放依据', '决定依据', '文件依据'] },
  remarks: { label: '备注', aliases: ['备注', '处理决定', '说明', '下放至', '下放层级', '取消理由'] },
} as const;
export type ReferenceColumnKey = keyof typeof REFERENCE_COLUMNS;

/** Header text as compared: no spaces, line breaks, brackets' content or trailing colons. */
export function normaliseHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u00a0\u3000]+/g, '')
    .replace(/[*＊:：]+$/g, '')
    .replace(/^[*＊]+/, '')
    .trim();
}

/** Each alias → its column and its place in that column's list (earlier names the column more surely). */
const ALIAS_INDEX: Map<string, { key: ColumnKey; rank: number }> = (() => {
  const m = new Map<string, { key: ColumnKey; rank: number }>();
  for (const key of COLUMN_KEYS) COLUMNS[key].aliases.forEach((alias, rank) => m.set(normaliseHeader(alias), { key, rank }));
  return m;
})();

function aliasOf(text: string): { key: ColumnKey; rank: number } | null {
  const h = normaliseHeader(text);
  if (!h) return null;
  const exact = ALIAS_INDEX.get(h);
  if (exact) return exact;
  const withoutNote = h.replace(/[(（【\[].*?[)）】\]]/g, '');
  return ALIAS_INDEX.get(withoutNote) ?? null;
}

/** Which column a header cell names, if any. Exact alias first, then an alias with a bracketed note ("事项名称（必填）"). */
export function columnForHeader(text: string): ColumnKey | null {
  return aliasOf(text)?.key ?? null;
}

/**
 * How surely a header names its column: its alias's place in the column's list (0 is surest). When two
 * headers of one sheet name the same column (行驶主体 and 承办机构), the surer one is that column.
 */
export function headerRank(text: string): number {
  return aliasOf(text)?.rank ?? Number.POSITIVE_INFINITY;
}
