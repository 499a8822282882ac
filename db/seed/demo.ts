// The demo district: the 1,135 service items of Guang'an district (data/demo/district-service-items.csv,
// from the public repository v-luobo/zwfw, Apache-2.0) with their 34 departments, plus service-guide
// details and legal bases that are made up here, deterministically from a hash of the item code.
// The made-up parts (time limits, fees, conditions, materials, phones, citations) are demo data only.
import { normalizeItemName } from '../../server/domain/item-names.js';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../client.js';
import { appendAudit, SYSTEM_ACTOR, withTransaction } from '../audit.js';
import { normalizeInstrumentTitle, pickInstrumentVersion } from '../../server/domain/instrument-title.js';
import {
  NATIONAL_CATEGORY_CODES,
  type Category,
  type CitationRole,
  type InstrumentStatus,
  type Rank,
  type ServiceObject,
} from '../../server/domain/vocabulary.js';
import { readCsvObjects } from './csv.js';

export const DEMO_ITEMS_CSV = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'demo', 'district-service-items.csv');

// ---------------------------------------------------------------------------------------------
// Departments

export interface DemoDepartment {
  /** As the source sheet writes it. */
  name: string;
  /** Pinyin initials of the name without the leading 区; 水务/商务 spell the first syllable out. */
  code: string;
  aliases: readonly string[];
}

export const DEMO_DEPARTMENTS: readonly DemoDepartment[] = [
  { name: '区行政审批局', code: 'XZSPJ', aliases: ['广安区行政审批局', '行政审批局'] },
  { name: '区人社局', code: 'RSJ', aliases: ['区人力资源和社会保障局', '广安区人力资源和社会保障局', '人社局'] },
  { name: '区交通运输局', code: 'JTYSJ', aliases: ['广安区交通运输局', '交通运输局'] },
  { name: '广安区税务局', code: 'GAQSWJ', aliases: ['国家税务总局广安市广安区税务局', '区税务局'] },
  { name: '区住建局', code: 'ZJJ', aliases: ['区住房和城乡建设局', '广安区住房和城乡建设局'] },
  { name: '区自然资源和规划局', code: 'ZRZYHGHJ', aliases: ['区自然资源局', '广安区自然资源和规划局'] },
  { name: '区公安分局', code: 'GAFJ', aliases: ['广安市公安局广安区分局', '区公安局'] },
  { name: '区医疗保障局', code: 'YLBZJ', aliases: ['区医保局', '广安区医疗保障局'] },
  { name: '区文广旅局', code: 'WGLJ', aliases: ['区文化广播电视和旅游局'] },
  { name: '区教科体局', code: 'JKTJ', aliases: ['区教育科技和体育局'] },
  { name: '区农业农村局', code: 'NYNCJ', aliases: ['广安区农业农村局'] },
  { name: '区司法局', code: 'SFJ', aliases: ['广安区司法局'] },
  { name: '区卫健局', code: 'WJJ', aliases: ['区卫生健康局', '区卫生和健康局'] },
  { name: '区民政局', code: 'MZJ', aliases: ['广安区民政局'] },
  { name: '区市监局', code: 'SJJ', aliases: ['区市场监督管理局', '区市场监管局'] },
  { name: '区林业局', code: 'LYJ', aliases: ['广安区林业局'] },
  { name: '区生态环境局', code: 'STHJJ', aliases: ['广安区生态环境局'] },
  { name: '区残联', code: 'CL', aliases: ['区残疾人联合会'] },
  { name: '区水务局', code: 'SHUIWJ', aliases: ['广安区水务局'] },
  { name: '区应急管理局', code: 'YJGLJ', aliases: ['区应急局'] },
  { name: '区政府办', code: 'ZFB', aliases: ['区人民政府办公室', '区政府办公室'] },
  { name: '区烟草专卖局', code: 'YCZMJ', aliases: ['广安区烟草专卖局'] },
  { name: '区退役军人事务局', code: 'TYJRSWJ', aliases: ['区退役军人局'] },
  { name: '区气象局', code: 'QXJ', aliases: ['广安区气象局'] },
  { name: '区财政局', code: 'CZJ', aliases: ['广安区财政局'] },
  { name: '区委办', code: 'WB', aliases: ['区委办公室', '中共广安区委办公室'] },
  { name: '区综合执法局', code: 'ZHZFJ', aliases: ['区综合行政执法局'] },
  { name: '区发改局', code: 'FGJ', aliases: ['区发展和改革局'] },
  { name: '区公管办', code: 'GGB', aliases: [] },
  { name: '区委统战部', code: 'WTZB', aliases: ['区委统一战线工作部', '中共广安区委统战部'] },
  { name: '区商务局', code: 'SHANGWJ', aliases: [] },
  { name: '区统计局', code: 'TJJ', aliases: ['广安区统计局'] },
  { name: '区经信局', code: 'JXJ', aliases: ['区经济和信息化局'] },
  { name: '区消防大队', code: 'XFDD', aliases: ['广安区消防救援大队'] },
];

// ---------------------------------------------------------------------------------------------
// Legal bases: which registry instruments an item cites, by name keyword (first match wins),
// with rules that hold only inside one department listed first. Titles are normalized titles that
// exist in data/registry/national-laws.csv; seedDemo throws if one does not.

export interface BasisRule {
  match: RegExp;
  departments?: readonly string[];
  /** Normalized titles: the first is the setting basis, a second may be cited as implementing. */
  laws: readonly string[];
}

const dept = (departments: string | readonly string[], match: RegExp, ...laws: string[]): BasisRule => ({
  match,
  departments: typeof departments === 'string' ? [departments] : departments,
  laws,
});
const kw = (match: RegExp, ...laws: string[]): BasisRule => ({ match, laws });

export const BASIS_RULES: readonly BasisRule[] = [
  // Departments whose items share one field of law.
  dept('区医疗保障局', /医疗救助|救助对象/, '社会救助暂行办法', '社会保险法'),
  dept('区医疗保障局', /./, '社会保险法'),
  dept('广安区税务局', /发票|税控|开票/, '发票管理办法', '税收征收管理法'),
  dept('广安区税务局', /个人所得税/, '个人所得税法', '税收征收管理法'),
  dept('广安区税务局', /企业所得税|非居民企业|居民身份|税收居民/, '企业所得税法', '税收征收管理法'),
  dept('广安区税务局', /增值税/, '增值税法', '税收征收管理法'),
  dept('广安区税务局', /印花税/, '印花税法', '税收征收管理法'),
  dept('广安区税务局', /./, '税收征收管理法', '税收征收管理法实施细则'),
  dept('区烟草专卖局', /./, '烟草专卖法', '烟草专卖法实施条例'),
  dept('区气象局', /雷电|防雷/, '气象灾害防御条例', '气象法'),
  dept('区气象局', /./, '气象法'),
  dept('区残联', /就业/, '残疾人就业条例', '残疾人保障法'),
  dept('区残联', /无障碍/, '无障碍环境建设法', '残疾人保障法'),
  dept('区残联', /./, '残疾人保障法'),
  dept('区政府办', /./, '人民防空法'),
  dept('区委办', /./, '档案法', '档案法实施条例'),
  dept('区统计局', /./, '统计法'),
  dept('区消防大队', /./, '消防法'),
  dept('区退役军人事务局', /预备役/, '兵役法'),
  dept('区退役军人事务局', /伤残|抚恤/, '军人抚恤优待条例', '退役军人保障法'),
  dept('区退役军人事务局', /./, '退役军人保障法'),
  dept('区应急管理局', /易制毒/, '易制毒化学品管理条例', '安全生产法'),
  dept('区应急管理局', /危险化学品/, '危险化学品安全管理条例', '安全生产法'),
  dept('区应急管理局', /地震/, '防震减灾法'),
  dept('区应急管理局', /自然灾害|救助/, '自然灾害救助条例'),
  dept('区应急管理局', /./, '安全生产法', '突发事件应对法'),
  dept('区人社局', /工伤|工亡|伤残|旧伤|辅助器具|住院伙食|转诊转院/, '工伤保险条例', '社会保险法'),
  dept('区人社局', /失业/, '失业保险条例', '社会保险法'),
  dept('区人社局', /劳动人事争议|劳动争议/, '劳动争议调解仲裁法'),
  dept('区人社局', /档案|政审|到档/, '档案法'),
  dept('区人社局', /集体户口/, '户口登记条例'),
  dept('区人社局', /就业|创业|职业介绍|职业指导|招聘|见习|公益性岗位|培训|毕业生|职业技能|求职|供求信息/, '就业促进法'),
  dept('区人社局', /养老|社会保险|社保|参保|缴费|社会保障卡|遗属|病残|供养亲属|退休|职业年金|待遇/, '社会保险法'),

  // By name, across departments.
  kw(/人民调解/, '人民调解法'),
  kw(/法律援助/, '法律援助法'),
  kw(/公证/, '公证法'),
  kw(/律师/, '律师法'),
  kw(/民办非企业单位/, '民办非企业单位登记管理暂行条例'),
  kw(/社会团体|社会组织/, '社会团体登记管理条例'),
  kw(/慈善/, '慈善法'),
  kw(/宗教|寺院|宫观|清真寺|教堂|固定处所/, '宗教事务条例'),
  kw(/民族/, '民族区域自治法'),
  kw(/拖拉机|联合收割机|农业机械|机电提灌/, '农业机械安全监督管理条例'),
  kw(/生鲜乳/, '乳品质量安全监督管理条例', '食品安全法'),
  kw(/饮用水/, '传染病防治法'),
  kw(/食品|小作坊/, '食品安全法'),
  kw(/麻醉药品|精神药品/, '麻醉药品和精神药品管理条例', '药品管理法'),
  kw(/毒性药品/, '医疗用毒性药品管理办法', '药品管理法'),
  kw(/药品|药店/, '药品管理法'),
  kw(/出租汽车|网约车|网络预约/, '道路运输条例'),
  kw(/驾驶员培训|教练车|驾驶培训/, '道路运输条例'),
  kw(/机动车维修/, '道路运输条例'),
  kw(/港口|危险货物|码头/, '港口法'),
  kw(/渔业|捕捞|水产苗种|水域滩涂|鱼类|增殖放流/, '渔业法'),
  kw(/水生野生动物/, '水生野生动物保护实施条例', '野生动物保护法'),
  kw(/水上拖带|通航水域/, '内河交通安全管理条例'),
  kw(/道路运输|客运|货运|货物运输|旅客运输|班线|客车租赁|客货运输|公共汽电车/, '道路运输条例'),
  kw(/超限运输|公路|非公路标志|护路林|平面交叉道口/, '公路法', '公路安全保护条例'),
  kw(/土壤污染/, '土壤污染防治法'),
  kw(/危险废物/, '固体废物污染环境防治法'),
  kw(/环境影响/, '环境影响评价法'),
  kw(/排污口/, '水法'),
  kw(/突发环境事件/, '环境保护法', '突发事件应对法'),
  kw(/重大危险源|重大事故隐患|应急预案|安全评价/, '安全生产法', '突发事件应对法'),
  kw(/户口|户籍/, '户口登记条例'),
  kw(/居民身份证|临时身份证明/, '居民身份证法'),
  kw(/居住证/, '居住证暂行条例'),
  kw(/护照/, '护照法'),
  kw(/外国人/, '出境入境管理法'),
  kw(/易制毒/, '易制毒化学品管理条例'),
  kw(/民用爆炸物品/, '民用爆炸物品安全管理条例'),
  kw(/烟花爆竹|焰火/, '烟花爆竹安全管理条例'),
  kw(/放射性物品/, '放射性物品运输安全管理条例'),
  kw(/剧毒化学品|危险化学品/, '危险化学品安全管理条例', '安全生产法'),
  kw(/大型群众性活动/, '大型群众性活动安全管理条例'),
  kw(/集会游行示威/, '集会游行示威法'),
  kw(/国际联网/, '计算机信息网络国际联网安全保护管理办法'),
  kw(/旅馆业/, '旅馆业治安管理办法', '治安管理处罚法'),
  kw(/公章刻制|特种行业|旧货|开锁|废旧金属|旧手机/, '治安管理处罚法'),
  kw(/犬/, '动物防疫法'),
  kw(/互联网上网服务/, '互联网上网服务营业场所管理条例'),
  kw(/消防/, '消防法'),
  kw(/放射|职业病/, '职业病防治法'),
  kw(/乡村医生/, '乡村医生从业管理条例'),
  kw(/医师/, '医师法'),
  kw(/护士/, '护士条例'),
  kw(/母婴保健|出生医学证明|婚前医学检查/, '母婴保健法', '母婴保健法实施办法'),
  kw(/公共场所/, '公共场所卫生管理条例'),
  kw(/预防接种/, '疫苗管理法'),
  kw(/计划生育/, '人口与计划生育法'),
  kw(/中医诊所/, '中医药法'),
  kw(/医疗机构|医院|诊所|健康体检|义诊|医疗技术/, '医疗机构管理条例', '基本医疗卫生与健康促进法'),
  kw(/计量/, '计量法'),
  kw(/特种设备/, '特种设备安全法'),
  kw(/出版物|准印证/, '出版管理条例', '印刷业管理条例'),
  kw(/个体工商户/, '促进个体工商户发展条例', '市场主体登记管理条例'),
  kw(/合伙企业/, '合伙企业法', '市场主体登记管理条例'),
  kw(/个人独资企业/, '个人独资企业法', '市场主体登记管理条例'),
  kw(/农民专业合作社/, '农民专业合作社法', '市场主体登记管理条例'),
  kw(/股权出质/, '民法典', '市场主体登记管理条例'),
  kw(/企业名称/, '企业名称登记管理规定'),
  kw(/公司|非公司企业法人|市场主体|证照|企业登记|撤销变更登记/, '市场主体登记管理条例', '公司法'),
  kw(/守合同重信用|经营异常名录|严重违法失信/, '企业信息公示暂行条例'),
  kw(/消费纠纷|预付卡|促销/, '消费者权益保护法'),
  kw(/特殊标志/, '特殊标志管理条例'),
  kw(/教师/, '教师法'),
  kw(/民办|培训学校|校外培训|其他教育机构|办学许可/, '民办教育促进法'),
  kw(/幼儿园|学前教育/, '学前教育法', '教育法'),
  kw(/义务教育|入学|学籍|适龄儿童|休学/, '义务教育法'),
  kw(/中职|职业学校/, '职业教育法'),
  kw(/校车/, '校车安全管理条例'),
  kw(/资助|助学金|免学费|招生考试|学校/, '教育法'),
  kw(/健身|社会体育指导员/, '全民健身条例', '体育法'),
  kw(/体育|运动员|游泳|潜水|滑雪|攀岩/, '体育法'),
  kw(/科技|科研/, '科学技术进步法'),
  kw(/博物馆|藏品/, '博物馆条例', '文物保护法'),
  kw(/文物/, '文物保护法', '文物保护法实施条例'),
  kw(/娱乐场所|游戏游艺|歌舞娱乐|游艺娱乐|娱乐经营/, '娱乐场所管理条例'),
  kw(/演出|演员|文艺表演团体/, '营业性演出管理条例'),
  kw(/卫星电视/, '卫星电视广播地面接收设施管理规定', '广播电视管理条例'),
  kw(/广播|电视/, '广播电视管理条例'),
  kw(/电影/, '电影产业促进法'),
  kw(/旅行社/, '旅行社条例'),
  kw(/婚姻|结婚|离婚/, '婚姻登记条例'),
  kw(/收养/, '民法典'),
  kw(/流浪乞讨/, '城市生活无着的流浪乞讨人员救助管理办法', '社会救助暂行办法'),
  kw(/残疾|盲人/, '残疾人保障法'),
  kw(/最低生活保障|特困|临时救助|救助/, '社会救助暂行办法'),
  kw(/墓地|殡葬|公墓/, '殡葬管理条例'),
  kw(/养老机构|高龄津贴|老年人/, '老年人权益保障法'),
  kw(/儿童|孤儿/, '未成年人保护法'),
  kw(/动物防疫|动物诊疗|检疫合格证|动物收购|兽医|动物及动物产品/, '动物防疫法'),
  kw(/兽药/, '兽药管理条例'),
  kw(/种畜禽|畜禽|家畜|家禽|养蜂|蚕种/, '畜牧法'),
  kw(/农药/, '农药管理条例'),
  kw(/野生植物/, '野生植物保护条例'),
  kw(/植物检疫|调运检疫|检疫证书/, '植物检疫条例'),
  kw(/种子|菌种|采种林/, '种子法'),
  kw(/农产品/, '农产品质量安全法'),
  kw(/农村土地承包/, '农村土地承包经营纠纷调解仲裁法', '农村土地承包法'),
  kw(/农村能源/, '可再生能源法'),
  kw(/野生动物|猎捕/, '野生动物保护法'),
  kw(/采伐|林地|伐区|林木|森林/, '森林法', '森林法实施条例'),
  kw(/草原/, '草原法'),
  kw(/治沙/, '防沙治沙法'),
  kw(/采矿权|探矿权|矿产|矿区|勘查|矿业权|矿山|矿种/, '矿产资源法'),
  kw(/测绘|地理信息/, '测绘法'),
  kw(/人防|人民防空|防空地下室|地下空间/, '人民防空法'),
  kw(/土地|用地|荒山|荒地/, '土地管理法', '土地管理法实施条例'),
  kw(/规划|验线|选址|设计方案审定|多验合一/, '城乡规划法'),
  kw(/抵押/, '不动产登记暂行条例'),
  kw(/古树名木|绿化|绿地/, '城市绿化条例'),
  kw(/水土保持/, '水土保持法'),
  kw(/取水/, '取水许可和水资源费征收管理条例', '水法'),
  kw(/大坝|水库/, '水库大坝安全管理条例', '水法'),
  kw(/河道|采砂|堤顶|河势|行洪/, '河道管理条例', '水法'),
  kw(/洪水影响|防洪/, '防洪法'),
  kw(/供水/, '城市供水条例'),
  kw(/污水|排水/, '城镇排水与污水处理条例'),
  kw(/招标|投标|招投标/, '招标投标法', '招标投标法实施条例'),
  kw(/商品房预售|房地产/, '城市房地产管理法', '城市房地产开发经营管理条例'),
  kw(/物业|临时管理规约|维修资金/, '物业管理条例'),
  kw(/燃气|供气/, '城镇燃气管理条例'),
  kw(/历史建筑|历史文化街区|名镇|名村/, '历史文化名城名镇名村保护条例'),
  kw(/城市道路|挖掘|占道|市政|管线|城市桥梁|特殊车辆/, '城市道路管理条例'),
  kw(/生活垃圾|环卫|建筑垃圾|户外广告|招牌|摊点|宣传品|市容/, '城市市容和环境卫生管理条例'),
  kw(/勘察|施工图|质量监督|竣工/, '建设工程质量管理条例', '建筑法'),
  kw(/施工|建筑起重机械|拆除工程|建筑工程/, '建筑法', '建设工程安全生产管理条例'),
  kw(/企业投资项目|投资项目/, '企业投资项目核准和备案管理条例'),
  kw(/节能/, '节约能源法'),
  kw(/粮食/, '粮食流通管理条例'),
  kw(/电力设施/, '电力设施保护条例', '电力法'),
  kw(/供电/, '电力法'),
  kw(/会计|代理记账/, '会计法'),
  kw(/政府采购/, '政府采购法'),
  kw(/免税/, '企业所得税法'),
  kw(/工时|劳务派遣|经济性裁员|集体合同/, '劳动合同法', '劳动法'),
  kw(/人力资源服务/, '人力资源市场暂行条例'),
  kw(/档案/, '档案法'),
  kw(/气象|雷电|气球/, '气象法'),
  kw(/统计/, '统计法'),
  kw(/烟草/, '烟草专卖法'),
  kw(/税/, '税收征收管理法'),
  kw(/医疗保险|社会保险|养老|社保|参保/, '社会保险法'),
  kw(/就业|创业/, '就业促进法'),
  kw(/水利|水闸|灌溉|水事|水工程|水/, '水法'),
];

/** When no keyword matches: the field of law the department works in. */
export const DEPARTMENT_FALLBACK: Readonly<Record<string, readonly string[]>> = {
  区行政审批局: ['行政许可法'],
  区人社局: ['社会保险法'],
  区交通运输局: ['道路运输条例', '公路法'],
  广安区税务局: ['税收征收管理法'],
  区住建局: ['城市房地产管理法', '建筑法'],
  区自然资源和规划局: ['土地管理法', '城乡规划法'],
  区公安分局: ['户口登记条例', '治安管理处罚法'],
  区医疗保障局: ['社会保险法'],
  区文广旅局: ['公共文化服务保障法'],
  区教科体局: ['教育法'],
  区农业农村局: ['农业技术推广法'],
  区司法局: ['法律援助法'],
  区卫健局: ['基本医疗卫生与健康促进法'],
  区民政局: ['社会救助暂行办法'],
  区市监局: ['产品质量法'],
  区林业局: ['森林法'],
  区生态环境局: ['环境保护法'],
  区残联: ['残疾人保障法'],
  区水务局: ['水法'],
  区应急管理局: ['安全生产法'],
  区政府办: ['人民防空法'],
  区烟草专卖局: ['烟草专卖法'],
  区退役军人事务局: ['退役军人保障法'],
  区气象局: ['气象法'],
  区财政局: ['会计法', '预算法'],
  区委办: ['档案法'],
  区综合执法局: ['城市市容和环境卫生管理条例'],
  区发改局: ['价格法'],
  区公管办: ['招标投标法', '政府采购法'],
  区委统战部: ['宗教事务条例'],
  区商务局: ['消费者权益保护法'],
  区统计局: ['统计法'],
  区经信局: ['企业投资项目核准和备案管理条例'],
  区消防大队: ['消防法'],
};

/**
 * Repealed instruments a department may still cite as an item's only basis (2% of items), chosen by
 * the item's name; every title here is repealed in national-laws.csv (seedDemo checks).
 */
const REPEALED_RULES: readonly { match: RegExp; title: string }[] = [
  { match: /收养/, title: '收养法' },
  { match: /婚姻|结婚|离婚/, title: '婚姻法' },
  { match: /抵押/, title: '担保法' },
  { match: /中医/, title: '中医药条例' },
  { match: /医师|诊所|医疗机构|医疗技术/, title: '执业医师法' },
  { match: /预防接种/, title: '疫苗流通和预防接种管理条例' },
  { match: /计划生育/, title: '计划生育技术服务管理条例' },
  { match: /档案/, title: '档案法实施办法' },
  { match: /水土保持/, title: '水土保持法实施条例' },
  { match: /夜间|噪声|建筑施工/, title: '环境噪声污染防治法' },
  { match: /草原/, title: '草原防火条例' },
  { match: /森林|林木|林地|林草/, title: '森林防火条例' },
  { match: /印花税/, title: '印花税暂行条例' },
  { match: /契税|不动产/, title: '契税暂行条例' },
  { match: /税|发票/, title: '增值税暂行条例' },
  { match: /护照|出入境|出境/, title: '公民出境入境管理法实施细则' },
  { match: /预备役/, title: '预备役军官法' },
  { match: /退役|伤残抚恤|伤残证件|抚恤关系/, title: '退役士兵安置条例' },
  { match: /合作社/, title: '农民专业合作社登记管理条例' },
  { match: /合伙企业/, title: '合伙企业登记管理办法' },
  { match: /个体工商户/, title: '个体工商户条例' },
  { match: /公司/, title: '公司登记管理条例' },
  { match: /企业法人|法定代表人/, title: '企业法人登记管理条例' },
  { match: /矿山|煤矿/, title: '煤矿安全监察条例' },
  { match: /养老保险|社会保险|工伤|失业|参保|退休/, title: '劳动保险条例' },
  { match: /投诉|信访/, title: '信访条例' },
];
/** For items facing enterprises that match no rule above. */
const REPEALED_FOR_ENTERPRISES = ['外资企业法', '中外合资经营企业法', '中外合作经营企业法'] as const;
/** For everything else. */
const REPEALED_GENERIC = '民法通则';

export function repealedBasisFor(code: string, itemName: string, objects: readonly ServiceObject[]): string {
  const rule = REPEALED_RULES.find((x) => x.match.test(itemName));
  if (rule) return rule.title;
  return objects.includes('enterprises') ? pick(REPEALED_FOR_ENTERPRISES, unit(code, 'repealed')) : REPEALED_GENERIC;
}

/** Normalized titles of the repealed instruments the demo may cite. */
export function demoRepealedTitles(): string[] {
  return [...new Set([...REPEALED_RULES.map((r) => r.title), ...REPEALED_FOR_ENTERPRISES, REPEALED_GENERIC])];
}

/** Every normalized title the demo cites from the registry. */
export function demoCitedTitles(): string[] {
  const titles = new Set<string>(['行政许可法', ...demoRepealedTitles()]);
  for (const rule of BASIS_RULES) rule.laws.forEach((t) => titles.add(t));
  for (const laws of Object.values(DEPARTMENT_FALLBACK)) laws.forEach((t) => titles.add(t));
  return [...titles];
}

export function basisFor(itemName: string, department: string): readonly string[] {
  for (const rule of BASIS_RULES) {
    if (rule.departments && !rule.departments.includes(department)) continue;
    if (rule.match.test(itemName)) return rule.laws;
  }
  return DEPARTMENT_FALLBACK[department] ?? [];
}

// ---------------------------------------------------------------------------------------------
// Deterministic "randomness": a number in [0, 1) from the item code and a purpose.

function unit(key: string, purpose: string): number {
  const digest = createHash('sha256').update(`${purpose}\u0000${key}`).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000;
}
const pick = <T>(list: readonly T[], u: number): T => list[Math.min(list.length - 1, Math.floor(u * list.length))]!;

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 12 → 十二, 23 → 二十三, 105 → 一百零五: how articles are numbered. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 999) throw new Error(`chineseNumeral: ${n}`);
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor((n % 100) / 10);
  const ones = n % 10;
  let out = '';
  if (hundreds) out += `${DIGITS[hundreds]}百`;
  if (tens) out += `${hundreds === 0 && tens === 1 ? '' : DIGITS[tens]}十`;
  else if (hundreds && ones) out += '零';
  if (ones) out += DIGITS[ones];
  return out;
}

function articleFor(key: string, rank: Rank): string {
  const max = rank === 'law' ? 70 : 45;
  let text = `第${chineseNumeral(2 + Math.floor(unit(key, 'article') * (max - 1)))}条`;
  const u = unit(key, 'paragraph');
  if (u < 0.3) text += `第${chineseNumeral(1 + Math.floor(unit(key, 'paragraph-no') * 3))}款`;
  if (u < 0.08) text += `第（${chineseNumeral(1 + Math.floor(unit(key, 'point-no') * 5))}）项`;
  return text;
}

const TAGS: Partial<Record<Rank, string>> = {
  constitution: '【宪法】',
  law: '【法律】',
  administrative_regulation: '【行政法规】',
  state_council_decision: '【国务院决定】',
  local_regulation: '【地方性法规】',
  department_rule: '【部门规章】',
  local_government_rule: '【地方政府规章】',
  normative_document: '【规范性文件】',
};
/** The tag a department writes: usually right, sometimes the neighbouring rank, sometimes none. */
function tagFor(key: string, rank: Rank): string | null {
  const u = unit(key, 'tag');
  if (u < 0.06) return rank === 'law' ? '【行政法规】' : '【法律】';
  if (u < 0.1) return null;
  return TAGS[rank] ?? null;
}

/** How a department writes a registry title: with 《》, and a quarter of them without 中华人民共和国. */
function writtenTitle(key: string, title: string, suffix = ''): string {
  const drop = title.startsWith('中华人民共和国') && unit(key, 'prefix') < 0.25;
  return `《${drop ? title.slice('中华人民共和国'.length) : title}${suffix}》`;
}

// ---------------------------------------------------------------------------------------------
// Service-guide details.

const CITIZEN_RE =
  /个人|居民|公民|职工|学生|儿童|少年|驾驶证|残疾|退役|老年|婚姻|结婚|离婚|收养|户口|身份证|身份证明|护照|教师|医师|护士|乡村医生|公证员|律师|参保人员|失业|就业|创业|退休|养老|工伤|遗属|供养|个体|演员|经纪人|兽医|船员|作业人员|运动员|指导员|救助|补贴|津贴|抚恤|伤残|最低生活|特困|孤儿|高龄|流浪|犬|居住证|出生|预防接种|入学|纳税人|自然人|毕业生|求职|见习/;
const ORGANISATION_RE =
  /社会团体|民办非企业|基金会|慈善|宗教|寺院|宫观|清真寺|教堂|合作社|社会组织|学校|幼儿园|医疗机构|博物馆|图书馆|收藏单位|机关事业单位|事业单位|教育机构|非营利组织|文艺表演团体/;
const ENTERPRISE_RE =
  /企业|公司|经营|商店|小经营店|作坊|场所|建设项目|建设单位|工程|生产|运输|出租汽车|旅行社|开发|药店|医药机构|发票|纳税|扣缴|单位|业户|站|市场主体|出口|供应商|报装/;
/** Permits that only government bodies apply for (internal approvals). */
const INTERNAL_RE = /初步设计|施工图设计|设计变更|可行性研究|竣工验收审批|政府投资/;

const OBJECT_ORDER: readonly ServiceObject[] = ['citizens', 'enterprises', 'organisations', 'government'];
const CATEGORY_DEFAULT_OBJECTS: Record<Category, readonly ServiceObject[][]> = {
  permit: [['citizens', 'enterprises'], ['enterprises'], ['enterprises', 'organisations']],
  non_permit_approval: [['enterprises', 'organisations']],
  supervision: [['enterprises']],
  confirmation: [['citizens'], ['citizens', 'enterprises']],
  filing: [['enterprises']],
  penalty: [['citizens', 'enterprises']],
  enforcement: [['citizens', 'enterprises']],
  levy: [['citizens', 'enterprises']],
  benefit: [['citizens']],
  inspection: [['enterprises']],
  reward: [['citizens', 'organisations']],
  adjudication: [['citizens', 'enterprises', 'organisations']],
  public_service: [['citizens'], ['citizens', 'enterprises']],
  other: [['enterprises', 'organisations'], ['enterprises'], ['citizens', 'enterprises']],
  unclassified: [['citizens', 'enterprises']],
};

function serviceObjectsFor(code: string, name: string, category: Category): ServiceObject[] {
  if (category === 'permit' && INTERNAL_RE.test(name)) return ['government'];
  const found = new Set<ServiceObject>();
  if (CITIZEN_RE.test(name)) found.add('citizens');
  if (ENTERPRISE_RE.test(name)) found.add('enterprises');
  if (ORGANISATION_RE.test(name)) found.add('organisations');
  if (found.size === 0) pick(CATEGORY_DEFAULT_OBJECTS[category], unit(code, 'objects')).forEach((o) => found.add(o));
  return OBJECT_ORDER.filter((o) => found.has(o));
}

interface TimeLimits {
  statutory: number | null;
  promised: number | null;
  instant: boolean;
}

function timeLimitsFor(code: string, name: string, category: Category): TimeLimits {
  const u = unit(code, 'limit');
  const shorten = (statutory: number): number => {
    const v = unit(code, 'promised');
    // A handful promise more than the law allows: later checks have something to find.
    if (v < 0.01) return statutory + pick([5, 10, 15], unit(code, 'over'));
    if (v < 0.14) return statutory;
    return Math.max(1, Math.round(statutory * pick([0.25, 0.3, 0.4, 0.5, 0.5, 0.6, 0.75], unit(code, 'factor'))));
  };
  const instantly = (statutory: number | null): TimeLimits => ({
    statutory,
    promised: unit(code, 'instant-null') < 0.2 ? null : 0,
    instant: true,
  });
  if (/即办/.test(name)) return instantly(category === 'permit' ? 20 : null);
  switch (category) {
    case 'permit': {
      const statutory = u < 0.68 ? 20 : u < 0.78 ? 15 : u < 0.87 ? 10 : u < 0.95 ? 30 : 45;
      if (unit(code, 'instant') < 0.05) return instantly(statutory);
      return { statutory, promised: shorten(statutory), instant: false };
    }
    case 'public_service': {
      if (unit(code, 'instant') < 0.55) return instantly(null);
      if (u < 0.35) {
        const statutory = pick([15, 20, 30], unit(code, 'ps-statutory'));
        return { statutory, promised: shorten(statutory), instant: false };
      }
      return { statutory: null, promised: pick([1, 3, 5, 7, 10, 15], unit(code, 'ps-promised')), instant: false };
    }
    case 'confirmation':
    case 'benefit': {
      if (unit(code, 'instant') < 0.15) return instantly(null);
      const statutory = pick([15, 20, 20, 30], u);
      return { statutory, promised: shorten(statutory), instant: false };
    }
    case 'adjudication': {
      const statutory = pick([60, 60, 90], u);
      return { statutory, promised: shorten(statutory), instant: false };
    }
    case 'reward':
      return { statutory: 30, promised: shorten(30), instant: false };
    default: {
      if (unit(code, 'instant') < 0.35) return instantly(null);
      const statutory = pick([5, 10, 15, 20, 20, 30], u);
      return { statutory, promised: shorten(statutory), instant: false };
    }
  }
}

interface Fee {
  charged: boolean;
  standard: string;
  basis: string | null;
}
/** Fees where a district really charges them, by what the item is about; the bases are made up. */
const FEES: readonly { match: RegExp; standard: string; basis: string }[] = [
  {
    match: /计量|检定/,
    standard: '按检定项目收费，标准见办理窗口收费公示',
    basis: '《四川省物价局 四川省财政厅关于计量检定收费标准的通知》（川价发〔2015〕81号）',
  },
  {
    match: /考试|资格认定|资格证/,
    standard: '考试费每人每科60元',
    basis: '《四川省发展和改革委员会关于考试考务费标准的通知》（川发改价格〔2019〕131号）',
  },
  {
    match: /施工图|设计文件|设计方案|规划许可/,
    standard: '按审查面积收取，每平方米0.5元',
    basis: '《四川省物价局关于技术审查服务收费标准的通知》（川价函〔2016〕47号）',
  },
  {
    match: /证|牌照|号牌/,
    standard: '证照工本费每证10元',
    basis: '《四川省发展和改革委员会 四川省财政厅关于规范证照工本费收费标准的通知》（川发改价格〔2017〕298号）',
  },
];
const FEE_CATEGORIES: readonly Category[] = ['permit', 'confirmation', 'other'];
/** Never charged: help for people in need, and approvals inside government. */
const FREE_RE = /残疾|救助|困难|低保|特困|初步设计|施工图设计|设计变更|政府投资/;
function feeFor(code: string, name: string, category: Category, instant: boolean): Fee {
  const fee = FEES.find((f) => f.match.test(name));
  if (!fee || instant || !FEE_CATEGORIES.includes(category) || FREE_RE.test(name) || unit(code, 'fee') >= 0.1) {
    return { charged: false, standard: '不收费', basis: null };
  }
  // A third of the charging items name no fee basis: a gap the fee check should find.
  return { charged: true, standard: fee.standard, basis: unit(code, 'fee-basis') < 0.33 ? null : fee.basis };
}

/** The matter an item is about: its name without trailing brackets and the verb of the procedure. */
function subjectOf(name: string): string {
  let s = name.replace(/[（(][^（）()]*[）)]/g, '').replace(/[《》]/g, '').trim();
  s = s.replace(/(?:新办审批|审批|许可证核发|核发|许可|登记|备案|办理|申请|申领|认定|确认|发放|查询|咨询)$/, '');
  return s || name;
}

const numbered = (parts: readonly string[]): string => parts.map((p, i) => `${i + 1}. ${p}`).join('；') + '。';

function conditionsFor(code: string, name: string, category: Category, objects: readonly ServiceObject[]): string {
  const subject = subjectOf(name);
  const applicant = objects.includes('government')
    ? '申请单位为依法承担项目建设或管理职责的国家机关或事业单位'
    : objects.includes('citizens') && !objects.includes('enterprises')
      ? '申请人为具有完全民事行为能力的自然人，或其依法委托的代理人'
      : '申请人为依法设立的企业、社会组织或具有完全民事行为能力的自然人';
  switch (category) {
    case 'permit': {
      const parts = [
        applicant,
        `具备与${subject}相适应的场所、设施、设备和专业技术人员`,
        '有健全的管理制度和安全保障措施',
      ];
      if (unit(code, 'conditions') < 0.5) parts.push(`符合${subject}的国家标准和技术规范`);
      parts.push('法律、法规规定的其他条件');
      return numbered(parts);
    }
    case 'benefit':
      return numbered([applicant, `符合${subject}的享受条件，未重复享受同类待遇`, '申报信息真实、完整']);
    case 'confirmation':
      return numbered([applicant, `${subject}事实清楚、证据充分`, '申请材料齐全、符合法定形式']);
    case 'adjudication':
      return numbered(['申请人与争议有直接利害关系', '有明确的被申请人、具体的请求和事实根据', '属于本机关管辖范围']);
    case 'reward':
      return numbered(['在相关工作中做出突出贡献或取得显著成绩', '经所在单位或有关部门推荐', '无违法违规记录']);
    case 'public_service':
      return numbered([applicant, '属于本区服务范围', '提供的信息和材料真实、有效']);
    default:
      return numbered([applicant, `${subject}事项符合有关规定`, '申请材料齐全、符合法定形式']);
  }
}

function materialsFor(code: string, name: string, category: Category, objects: readonly ServiceObject[]): string {
  const subject = subjectOf(name);
  const identity = objects.includes('government')
    ? '申请单位的统一社会信用代码证书及项目批准文件'
    : objects.includes('citizens') && !objects.includes('enterprises')
      ? '申请人居民身份证'
      : '申请人身份证明（营业执照或居民身份证）';
  const parts = [`《${subject}申请表》`, identity];
  if (category === 'permit') {
    parts.push(pick([`${subject}场所及设施设备情况说明`, '主要负责人和专业技术人员资格证明', '相关技术方案及图纸'], unit(code, 'material')));
    if (unit(code, 'material-2') < 0.5) parts.push('安全管理制度文本');
  } else if (category === 'benefit') {
    parts.push('本人银行账户（社会保障卡）信息', '符合享受条件的证明材料');
  } else if (category === 'public_service' && unit(code, 'material') < 0.5) {
    parts.length = 1;
    parts.push(identity.replace('申请人', '办事人'));
  } else {
    parts.push(`与${subject}有关的证明材料`);
  }
  if (unit(code, 'proxy') < 0.4) parts.push('委托他人办理的，提交授权委托书及受托人身份证明');
  return numbered(parts);
}

function processFor(code: string, category: Category, instant: boolean): string {
  if (instant) return '受理→即时办结';
  switch (category) {
    case 'permit':
      return unit(code, 'process') < 0.55 ? '受理→审查→决定→送达' : '受理→审查→现场核查→决定→送达';
    case 'benefit':
      return '申请→审核→公示→审批→发放';
    case 'confirmation':
      return '受理→审核→确认→送达';
    case 'adjudication':
      return '申请→受理→调查→调解→裁决→送达';
    case 'reward':
      return '推荐→评审→公示→决定→颁发';
    case 'public_service':
      return '申请→办理→办结';
    default:
      return '受理→审查→办结';
  }
}

const phone = (key: string, purpose: string): string =>
  `0826-2${String(Math.floor(unit(key, purpose) * 1_000_000)).padStart(6, '0')}`;

// ---------------------------------------------------------------------------------------------
// Seeding.

interface SourceRow {
  department: string;
  parentItem: string | null;
  name: string;
  category: Category;
  code: string;
}

interface RegistryInstrument {
  id: number;
  title: string;
  rank: Rank;
  status: InstrumentStatus;
  publishedOn: string | null;
}

interface CitationRow {
  item_id: number;
  seq: number;
  instrument_id: number | null;
  title: string;
  article: string | null;
  document_number: string | null;
  role: CitationRole;
  tag: string | null;
}

/** The rows of the demo CSV that are items; anything else (a repeated header, a blank line) is skipped. */
export function readDemoItems(path = DEMO_ITEMS_CSV): { rows: SourceRow[]; skipped: number } {
  const rows: SourceRow[] = [];
  let skipped = 0;
  for (const r of readCsvObjects(path)) {
    const department = (r.department ?? '').trim();
    const name = (r.item_name ?? '').trim();
    const code = (r.item_code ?? '').trim();
    const taskType = (r.task_type ?? '').trim();
    const category = /^\d{1,2}$/.test(taskType) ? NATIONAL_CATEGORY_CODES[taskType.padStart(2, '0')] : undefined;
    if (!department || !name || !code || department === 'department' || !category) {
      skipped++;
      continue;
    }
    const parent = (r.parent_item ?? '').trim();
    rows.push({ department, name, code, category, parentItem: parent === '' || parent === '未分类' ? null : parent });
  }
  return { rows, skipped };
}

/**
 * Build the demo district from data/demo/district-service-items.csv: its departments, items (with
 * sub-items linked to their main item) and made-up service-guide details and legal bases. One
 * transaction, one audit entry. Needs the registry (loadRegistry) first. Does nothing and returns
 * zeros when the demo departments are already there.
 */
export function seedDemo(db: Db): { departments: number; items: number; citations: number } {
  const sqlite = db.$client;
  const { rows, skipped } = readDemoItems();

  // Registry instruments by normalized title.
  const registry = new Map<string, RegistryInstrument[]>();
  for (const r of sqlite
    .prepare(
      `SELECT id, title, normalized_title AS normalizedTitle, rank, status, published_on AS publishedOn
         FROM legal_instruments ORDER BY id`,
    )
    .iterate() as IterableIterator<RegistryInstrument & { normalizedTitle: string }>) {
    const list = registry.get(r.normalizedTitle) ?? [];
    list.push({ id: r.id, title: r.title, rank: r.rank, status: r.status, publishedOn: r.publishedOn });
    registry.set(r.normalizedTitle, list);
  }
  if (registry.size === 0) {
    throw new Error('法律依据库为空：请先运行 loadRegistry 导入 data/registry 中的法律法规，再生成演示数据');
  }
  const versions = (normalizedTitle: string): RegistryInstrument[] => {
    const list = registry.get(normalizeInstrumentTitle(normalizedTitle));
    if (!list) throw new Error(`演示数据引用的《${normalizedTitle}》不在法律依据库中`);
    return list;
  };
  const current = (normalizedTitle: string): RegistryInstrument => pickInstrumentVersion(versions(normalizedTitle), normalizedTitle)!;
  // Check every title the demo may cite before writing anything.
  for (const title of demoCitedTitles()) versions(title);
  for (const title of demoRepealedTitles()) {
    if (versions(title).some((v) => v.status !== 'repealed')) throw new Error(`演示数据中的《${title}》并未废止`);
  }

  const byName = new Map(DEMO_DEPARTMENTS.map((d) => [d.name, d]));
  const usedDepartments = [...new Set(rows.map((r) => r.department))];
  const unknown = usedDepartments.filter((d) => !byName.has(d));
  if (unknown.length > 0) throw new Error(`演示数据中的部门没有编码：${unknown.join('、')}`);

  return withTransaction(db, () => {
    const codes = DEMO_DEPARTMENTS.filter((d) => usedDepartments.includes(d.name)).map((d) => d.code);
    const existing = sqlite
      .prepare(`SELECT count(*) AS n FROM departments WHERE code IN (${codes.map(() => '?').join(', ')})`)
      .get(...codes) as { n: number };
    if (existing.n > 0) return { departments: 0, items: 0, citations: 0 };

    // Departments, in the order the sheet first names them.
    const insertDepartment = sqlite.prepare(
      `INSERT INTO departments (code, name, level, parent_id, aliases) VALUES (?, ?, 'district', NULL, ?)`,
    );
    const departmentIds = new Map<string, number>();
    for (const name of usedDepartments) {
      const d = byName.get(name)!;
      departmentIds.set(name, Number(insertDepartment.run(d.code, d.name, JSON.stringify(d.aliases)).lastInsertRowid));
    }

    // Items.
    const insertItem = sqlite.prepare(
      `INSERT INTO items (code, name, name_key, parent_id, main_item_name, category, department_id, level, service_objects,
                          statutory_limit_days, promised_limit_days, instant, fee_charged, fee_standard, fee_basis,
                          conditions, materials, process_text, contact_phone, supervision_phone)
       VALUES (@code, @name, @name_key, NULL, @main_item_name, @category, @department_id, 'district', @service_objects,
               @statutory, @promised, @instant, @fee_charged, @fee_standard, @fee_basis,
               @conditions, @materials, @process_text, @contact_phone, @supervision_phone)`,
    );
    // A main item that is itself listed: same department, same name, and not a sub-item of something else.
    const mainItems = new Map<string, number>(); // department + name → row index
    rows.forEach((r, idx) => {
      const key = `${r.department}\u0000${r.name}`;
      const isRoot = r.parentItem === null || r.parentItem === r.name;
      if (isRoot && !mainItems.has(key)) mainItems.set(key, idx);
    });
    const itemIds: number[] = [];
    const parentOf: (number | null)[] = [];
    const objectsOf: ServiceObject[][] = [];
    let mainItemNames = 0;
    for (const [idx, r] of rows.entries()) {
      let parentIdx: number | null = null;
      let mainItemName: string | null = null;
      if (r.parentItem !== null && r.parentItem !== r.name) {
        const found = mainItems.get(`${r.department}\u0000${r.parentItem}`);
        if (found !== undefined && found !== idx) parentIdx = found;
        else mainItemName = r.parentItem;
      }
      if (mainItemName) mainItemNames++;
      parentOf.push(parentIdx);
      const objects = serviceObjectsFor(r.code, r.name, r.category);
      objectsOf.push(objects);
      const limits = timeLimitsFor(r.code, r.name, r.category);
      const fee = feeFor(r.code, r.name, r.category, limits.instant);
      const d = byName.get(r.department)!;
      const id = insertItem.run({
        code: r.code,
        name: r.name,
        name_key: normalizeItemName(r.name),
        main_item_name: mainItemName,
        category: r.category,
        department_id: departmentIds.get(r.department)!,
        service_objects: JSON.stringify(objects),
        statutory: limits.statutory,
        promised: limits.promised,
        instant: limits.instant ? 1 : 0,
        fee_charged: fee.charged ? 1 : 0,
        fee_standard: fee.standard,
        fee_basis: fee.basis,
        conditions: conditionsFor(r.code, r.name, r.category, objects),
        materials: materialsFor(r.code, r.name, r.category, objects),
        process_text: processFor(r.code, r.category, limits.instant),
        contact_phone: phone(d.code, 'contact'),
        supervision_phone: phone(d.code, 'supervision'),
      }).lastInsertRowid;
      itemIds.push(Number(id));
    }
    const setParent = sqlite.prepare('UPDATE items SET parent_id = ? WHERE id = ?');
    let subItems = 0;
    parentOf.forEach((p, idx) => {
      if (p === null) return;
      setParent.run(itemIds[p]!, itemIds[idx]!);
      subItems++;
    });

    // Citations.
    const insertCitation = sqlite.prepare(
      `INSERT INTO citations (item_id, seq, instrument_id, title, article, document_number, role, tag, quoted_text)
       VALUES (@item_id, @seq, @instrument_id, @title, @article, @document_number, @role, @tag, NULL)`,
    );
    let citations = 0;
    const counts = { none: 0, repealed: 0, oldVersion: 0, notInRegistry: 0, implementing: 0 };
    const add = (c: CitationRow) => {
      insertCitation.run(c);
      citations++;
    };
    for (const [idx, r] of rows.entries()) {
      const itemId = itemIds[idx]!;
      const key = r.code;
      const laws = basisFor(r.name, r.department);
      const u = unit(key, 'basis');
      if (u < 0.06 || laws.length === 0) {
        counts.none++;
        continue;
      }
      if (u < 0.08) {
        // The only basis is a repealed instrument.
        const inst = current(repealedBasisFor(key, r.name, objectsOf[idx]!));
        add({
          item_id: itemId,
          seq: 0,
          instrument_id: inst.id,
          title: writtenTitle(key, inst.title),
          article: articleFor(key, inst.rank),
          document_number: null,
          role: 'setting',
          tag: tagFor(key, inst.rank),
        });
        counts.repealed++;
        continue;
      }
      // An old, amended version cited by its year: a law of the item's field that has one, or for a
      // permit 《中华人民共和国行政许可法（2003年）》.
      const amendedLaw =
        laws.find((t) => versions(t).some((v) => v.status === 'amended')) ?? (r.category === 'permit' ? '行政许可法' : undefined);
      if (u < 0.105 && amendedLaw) {
        const old = versions(amendedLaw)
          .filter((v) => v.status === 'amended' && v.publishedOn)
          .sort((a, b) => (a.publishedOn! < b.publishedOn! ? -1 : 1))[0]!;
        const year = old.publishedOn!.slice(0, 4);
        const suffix =
          amendedLaw === '行政许可法' ? `（${year}年）` : old.rank === 'law' ? `（${year}年修正）` : `（${year}年修订）`;
        const title = writtenTitle(key, old.title, suffix);
        const inst = pickInstrumentVersion(versions(amendedLaw), title)!;
        if (inst.id !== old.id) throw new Error(`${title} 未能匹配到 ${old.publishedOn} 的版本`);
        add({
          item_id: itemId,
          seq: 0,
          instrument_id: inst.id,
          title,
          article: articleFor(key, inst.rank),
          document_number: null,
          role: 'setting',
          tag: tagFor(key, inst.rank),
        });
        counts.oldVersion++;
        continue;
      }
      if (u >= 0.105 && u < 0.135) {
        // A provincial or city instrument the registry does not hold.
        add({ item_id: itemId, seq: 0, role: 'setting', ...unregisteredCitation(key, laws[0]!) });
        counts.notInRegistry++;
        continue;
      }
      const setting = current(laws[0]!);
      add({
        item_id: itemId,
        seq: 0,
        instrument_id: setting.id,
        title: writtenTitle(key, setting.title),
        article: articleFor(key, setting.rank),
        document_number: null,
        role: 'setting',
        tag: tagFor(key, setting.rank),
      });
      const second = laws[1] ?? (r.category === 'permit' ? '行政许可法' : undefined);
      if (second && unit(key, 'second') < 0.3) {
        const inst = current(second);
        const role: CitationRole = laws[1] && unit(key, 'second-role') < 0.3 ? 'setting' : 'implementing';
        add({
          item_id: itemId,
          seq: 1,
          instrument_id: inst.id,
          title: writtenTitle(`${key}#2`, inst.title),
          article: articleFor(`${key}#2`, inst.rank),
          document_number: null,
          role,
          tag: tagFor(`${key}#2`, inst.rank),
        });
        if (role === 'implementing') counts.implementing++;
      }
    }

    const result = { departments: departmentIds.size, items: itemIds.length, citations };
    appendAudit(db, SYSTEM_ACTOR, {
      action: 'seed.demo',
      entityType: 'catalogue',
      after: {
        ...result,
        source: 'data/demo/district-service-items.csv',
        skippedRows: skipped,
        subItems,
        mainItemNames,
        itemsWithoutBasis: counts.none,
        repealedOnly: counts.repealed,
        oldVersionCited: counts.oldVersion,
        notInRegistry: counts.notInRegistry,
        implementingCitations: counts.implementing,
      },
    });
    return result;
  });
}

/** A Sichuan or Guang'an instrument named after the field of law, as departments cite them. */
function unregisteredCitation(
  key: string,
  law: string,
): Pick<CitationRow, 'instrument_id' | 'title' | 'article' | 'document_number' | 'tag'> {
  const stem =
    normalizeInstrumentTitle(law)
      .replace(/\((?:试行|暂行)\)$/, '')
      .replace(/(?:实施条例|实施细则|实施办法|暂行条例|条例|管理办法|办法|暂行规定|规定|法)$/, '')
      .replace(/管理$/, '') || '政务服务';
  const year = 2012 + Math.floor(unit(key, 'doc-year') * 10);
  const no = 1 + Math.floor(unit(key, 'doc-no') * 80);
  const article = `第${chineseNumeral(2 + Math.floor(unit(key, 'article') * 30))}条`;
  switch (Math.floor(unit(key, 'unregistered') * 4)) {
    case 0:
      return {
        instrument_id: null,
        title: `《四川省${stem}管理办法》`,
        article,
        document_number: `川府发〔${year}〕${no}号`,
        tag: '【规范性文件】',
      };
    case 1:
      return {
        instrument_id: null,
        title: `《广安市${stem}实施细则》`,
        article,
        document_number: `广安府办发〔${year}〕${no}号`,
        tag: '【规范性文件】',
      };
    case 2:
      return { instrument_id: null, title: `《四川省${stem}条例》`, article, document_number: null, tag: '【地方性法规】' };
    default:
      return {
        instrument_id: null,
        title: `《四川省${stem}管理规定》`,
        article,
        document_number: `四川省人民政府令第${200 + no}号`,
        tag: '【地方政府规章】',
      };
  }
}
