// Realistic Chinese catalogue rows for benchmarks, deterministic from a seed: names from the real
// district list, legal bases from the real registry, materials and conditions in department style.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../db/seed/csv.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const readRows = (path: string) => {
  const [header, ...rows] = parseCsv(readFileSync(join(ROOT, path), 'utf8'));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
};

const districtItems = readRows('data/demo/district-service-items.csv');
export const DEPARTMENT_NAMES = [...new Set(districtItems.map((r) => r.department!))];
const NAMES = districtItems.map((r) => r.item_name!);

/**
 * The search benches' queries (bench/search.ts over HTTP, bench/search-inprocess.ts in process): 100 of
 * each length 1 to 10, cut at random places from the real district's names of 10 characters or more.
 */
export function searchQueries(seed = 7): string[] {
  const names = NAMES.filter((s) => s && s.length >= 10);
  const random = rng(seed);
  const queries: string[] = [];
  for (let len = 1; len <= 10; len++) {
    for (let i = 0; i < 100; i++) {
      const name = names[Math.floor(random() * names.length)]!;
      const at = Math.floor(random() * (name.length - len + 1));
      queries.push(name.slice(at, at + len));
    }
  }
  return queries;
}
const LAWS = readRows('data/registry/national-laws.csv')
  .filter((r) => r.status === 'in_force' && r.rank !== '宪法')
  .map((r) => r.title!);
const CATEGORY_LABELS = ['行政许可', '行政确认', '行政给付', '其他行政权力', '公共服务', '行政处罚', '行政检查', '行政强制'];
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十五', '二十', '二十四', '三十', '三十三'];
const MATERIAL_WORDS = ['申请表', '身份证明', '营业执照副本', '法定代表人身份证明', '授权委托书', '场地使用证明', '从业人员资格证书', '安全管理制度文本', '设备清单', '技术人员名单', '环境影响评价文件', '规划许可证', '消防验收意见书', '卫生许可证明', '申请报告'];
const CONDITIONS = ['具有与经营规模相适应的场所和设施', '有健全的安全管理制度', '从业人员经培训合格', '符合国家和省规定的其他条件', '依法取得营业执照', '具备相应的专业技术人员'];
const REGIONS = ['广安区', '前锋区', '岳池县', '武胜县', '邻水县', '华蓥市', '协兴镇', '浓洄街道', '北辰街道', '中桥街道'];
const RARE = ['𠀀', '𪚥', '龘', '齉', '𡈽', '鿰', '㐀', '䶵'];

export const HEADER = ['序号', '事项编码', '事项名称', '事项类型', '实施主体', '设定依据', '行使层级', '法定时限', '承诺时限', '收费标准', '申请材料', '申请条件', '办理流程', '咨询电话', '备注'];

/** Row i of a benchmark catalogue (1-based), as cell texts in HEADER order. */
export function benchRow(i: number, random: () => number): string[] {
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const name = `${pick(NAMES)}（${pick(REGIONS)}第${i}号）`;
  const law = pick(LAWS);
  const basis = `《${law}》第${pick(NUMERALS)}条${random() < 0.3 ? `第${pick(NUMERALS.slice(0, 5))}款` : ''}${random() < 0.25 ? `；《${pick(LAWS)}》第${pick(NUMERALS)}条` : ''}`;
  const materials = Array.from({ length: 2 + Math.floor(random() * 4) }, (_, k) => `${k + 1}. ${pick(MATERIAL_WORDS)}`).join('\n');
  const statutory = pick([20, 20, 20, 15, 10, 30, 45]);
  return [
    String(i),
    `BENCH-${String(i).padStart(8, '0')}`,
    name,
    pick(CATEGORY_LABELS),
    pick(DEPARTMENT_NAMES),
    random() < 0.05 ? '' : basis,
    '区（县）级',
    `${statutory}个工作日`,
    random() < 0.2 ? '即办' : `${Math.max(1, Math.floor(statutory / 2))}个工作日`,
    random() < 0.9 ? '不收费' : `每件${Math.floor(random() * 200)}元`,
    materials,
    `${pick(CONDITIONS)}；${pick(CONDITIONS)}`,
    '受理→审查→决定→送达',
    `0826-2${String(100000 + Math.floor(random() * 899999))}`,
    random() < 0.02 ? `含生僻字${pick(RARE)}${pick(RARE)}的事项` : '',
  ];
}
