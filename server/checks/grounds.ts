// The legal grounds the rules rest on, worded once: laws with their articles and the clauses of
// the work plans in /work/shared/seeds that the clean-up follows.

/** Seed 000: 双桥区双减双提专项行动工作任务分解及落实方案 (2013). */
export const SEED_000 = '《双桥区双减双提专项行动工作任务分解及落实方案》（2013年）';
/** Seed 004: 泸州市机关行政效能建设办公室文件. */
export const SEED_004 = '《泸州市机关行政效能建设办公室文件》';

export const GROUND = {
  noBasisPermit: `${SEED_000}二（一）1：“对需要保留的行政许可项目要提供有关的法定保留依据，没有保留依据的项目一律取消”`,
  noBasisNonPermit: `${SEED_000}二（一）2：“对无法律法规规章和省、市规范性文件为依据的事项，全部予以取消”`,
  repealed: `${SEED_000}二（一）1：“对因法律法规废止或修订取消的项目……坚决取消”`,
  amended: `${SEED_000}二（一）1：“对因法律法规废止或修订取消的项目……坚决取消”；依据应引用现行有效文本`,
  permitRanks: '《中华人民共和国行政许可法》第十四条至第十七条',
  permitArt15: '《中华人民共和国行政许可法》第十五条',
  permitArt17: '《中华人民共和国行政许可法》第十七条',
  penaltyRanks2021: '《中华人民共和国行政处罚法》（2021年修订）第十条至第十四条、第十六条',
  penaltyRanks1996: '《中华人民共和国行政处罚法》（1996年）第九条至第十四条',
  penaltyDepartmentRule2021: '《中华人民共和国行政处罚法》（2021年修订）第十三条',
  penaltyLocalRule2021: '《中华人民共和国行政处罚法》（2021年修订）第十四条',
  penaltyDepartmentRule1996: '《中华人民共和国行政处罚法》（1996年）第十二条',
  penaltyLocalRule1996: '《中华人民共和国行政处罚法》（1996年）第十三条',
  enforcementRanks: '《中华人民共和国行政强制法》第十条、第十三条',
  nonPermitRanks: `${SEED_000}二（一）2：“对无法律法规规章和省、市规范性文件为依据的事项，全部予以取消”`,
  nonPermitAbolished: '《国务院关于取消非行政许可审批事项的决定》（国发〔2015〕27号）',
  unknownInstrument: `${SEED_000}二（一）1：“对需要保留的行政许可项目要提供有关的法定保留依据”；依据须能查证位阶和效力`,
  cancelledAbove: `${SEED_000}二（一）1：“对……省、市公布取消的项目坚决取消”`,
  recreated: `${SEED_000}二（二）2：对存在“前清后立”问题的单位进行严肃处理`,
  duplicates: `${SEED_000}二（三）2：“全面清理多层级、多部门审批的事项”，减少重复审核`,
  fee: '《中华人民共和国行政许可法》第五十八条',
  feeBasis: '收费须有收费依据（《中华人民共和国行政许可法》第五十八条；行政事业性收费须有批准文件）',
  standardName: `${SEED_004}一（一）1：“统一规范区（县）保留的行政审批项目名称及审批工作流程”`,
  timeLimit: '《中华人民共和国行政许可法》第四十二条',
  promisedLimit: '承诺时限是在法定时限内作出的服务承诺，不得超过法定时限（《中华人民共和国行政许可法》第四十二条）',
} as const;

/** The day the 2021 revision of the penalty law took effect. */
export const PENALTY_LAW_2021 = '2021-07-15';
/** The day the administrative permit law took effect. */
export const PERMIT_LAW_EFFECTIVE = '2004-07-01';
/** The day the administrative enforcement law took effect. */
export const ENFORCEMENT_LAW_EFFECTIVE = '2012-01-01';
