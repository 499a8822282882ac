// The catalogue's controlled vocabularies, each kept in one place with its Chinese label.
// Lists grow here; the schema, forms, filters and spreadsheets all read from these.

export const CATEGORIES = {
  permit: '行政许可',
  non_permit_approval: '非行政许可审批',
  supervision: '行政监管',
  confirmation: '行政确认',
  filing: '行政备案',
  penalty: '行政处罚',
  enforcement: '行政强制',
  levy: '行政征收',
  benefit: '行政给付',
  inspection: '行政检查',
  reward: '行政奖励',
  adjudication: '行政裁决',
  public_service: '公共服务',
  other: '其他行政权力',
  /** An imported row whose category was missing or not understood: kept, and settled by the legal office before finalising. */
  unclassified: '待分类',
} as const;
export type Category = keyof typeof CATEGORIES;
export const CATEGORY_CODES = Object.keys(CATEGORIES) as [Category, ...Category[]];

/**
 * Whether an item of this category must have a setting basis (设定依据): a public service is no
 * administrative power and needs none. The NO_BASIS rule and an upload's 无设定依据 count both ask this.
 */
export const needsSettingBasis = (category: Category): boolean => category !== 'public_service';

/** National two-digit task-type codes as real sheets write them (also without the leading zero); provincial platforms add 99 for 其他. */
export const NATIONAL_CATEGORY_CODES: Record<string, Category> = {
  '01': 'permit',
  '02': 'penalty',
  '03': 'enforcement',
  '04': 'levy',
  '05': 'benefit',
  '06': 'inspection',
  '07': 'confirmation',
  '08': 'reward',
  '09': 'adjudication',
  '10': 'other',
  '20': 'public_service',
  '99': 'other',
};

export const LEVELS = {
  province: '省级',
  city: '市级',
  district: '区（县）级',
  town: '乡镇（街道）级',
} as const;
export type Level = keyof typeof LEVELS;
/** The level codes national and provincial lists write in 实施层级: 1 省, 2 市, 3 县, 4 乡. */
export const LEVEL_NUMBERS: Readonly<Record<string, Level>> = { '1': 'province', '2': 'city', '3': 'district', '4': 'town' };
export const LEVEL_CODES = Object.keys(LEVELS) as [Level, ...Level[]];

export const SERVICE_OBJECTS = {
  citizens: '自然人',
  enterprises: '企业法人',
  organisations: '其他组织',
  government: '仅限政府机关（内部审批）',
} as const;
export type ServiceObject = keyof typeof SERVICE_OBJECTS;
export const SERVICE_OBJECT_CODES = Object.keys(SERVICE_OBJECTS) as [ServiceObject, ...ServiceObject[]];

/** Instrument ranks, highest first (DOMAIN.md "Instrument ranks"). */
export const RANKS = {
  constitution: '宪法',
  law: '法律',
  administrative_regulation: '行政法规',
  state_council_decision: '国务院决定',
  local_regulation: '地方性法规',
  department_rule: '部门规章',
  local_government_rule: '地方政府规章',
  normative_document: '规范性文件',
  unknown: '未知',
} as const;
export type Rank = keyof typeof RANKS;
export const RANK_CODES = Object.keys(RANKS) as [Rank, ...Rank[]];
/** Smaller is higher; unknown sorts last. */
export const rankOrder = (rank: Rank): number => RANK_CODES.indexOf(rank);

export const INSTRUMENT_STATUSES = {
  in_force: '有效',
  amended: '已修改',
  repealed: '已废止',
  not_yet_in_force: '尚未生效',
  unknown: '未知',
} as const;
export type InstrumentStatus = keyof typeof INSTRUMENT_STATUSES;
export const INSTRUMENT_STATUS_CODES = Object.keys(INSTRUMENT_STATUSES) as [InstrumentStatus, ...InstrumentStatus[]];

export const CITATION_ROLES = {
  setting: '设定依据',
  implementing: '实施依据',
} as const;
export type CitationRole = keyof typeof CITATION_ROLES;
export const CITATION_ROLE_CODES = Object.keys(CITATION_ROLES) as [CitationRole, ...CitationRole[]];

export const DISPOSITIONS = {
  retain: '保留',
  cancel: '取消',
  delegate: '下放',
  merge: '合并',
  transfer: '转移',
  change_mode: '改变管理方式',
  new: '新增',
  accept_from_above: '承接',
} as const;
export type Disposition = keyof typeof DISPOSITIONS;
export const DISPOSITION_CODES = Object.keys(DISPOSITIONS) as [Disposition, ...Disposition[]];

/** The states a proposal (a submission item) moves through in the review workflow (server/review/states.ts). */
export const REVIEW_STATES = {
  draft: '草稿',
  submitted: '已申报',
  under_review: '审核中',
  returned: '已退回',
  resubmitted: '已重新申报',
  decided: '已决定',
  in_expert_review: '专家评审中',
  final: '已定稿',
  withdrawn: '已撤回',
} as const;
export type ReviewState = keyof typeof REVIEW_STATES;
export const REVIEW_STATE_CODES = Object.keys(REVIEW_STATES) as [ReviewState, ...ReviewState[]];

/** What a department proposes about one item (a submission item's kind), as the filing record names it. */
export const PROPOSAL_KINDS = { new: '新增申报', change: '变更申报', remove: '拟删除' } as const;
export type ProposalKind = keyof typeof PROPOSAL_KINDS;
/** The same, short, for a column of a list. */
export const PROPOSAL_KINDS_SHORT = { new: '新增', change: '变更', remove: '拟删除' } as const satisfies Record<ProposalKind, string>;

/** An expert's opinion on an item in expert review. */
export const OPINIONS = { agree: '同意', disagree: '不同意', amend: '修改后同意' } as const;
export type Opinion = keyof typeof OPINIONS;
export const OPINION_CODES = Object.keys(OPINIONS) as [Opinion, ...Opinion[]];

/** An item's review status in the catalogue: the state of its open proposal, `none` when it has none. */
const { withdrawn: _withdrawn, ...OPEN_REVIEW_STATES } = REVIEW_STATES;
export const REVIEW_STATUSES = { none: '未申报', ...OPEN_REVIEW_STATES } as const;
export type ReviewStatus = keyof typeof REVIEW_STATUSES;
export const REVIEW_STATUS_CODES = Object.keys(REVIEW_STATUSES) as [ReviewStatus, ...ReviewStatus[]];

/** What a person does to a proposal in the review workflow (the transition table: server/review/states.ts). */
export const REVIEW_ACTIONS = {
  submit: '提交申报',
  withdraw: '撤回申报',
  start_review: '开始审核',
  return: '退回部门',
  answer: '答复并重新申报',
  decide: '作出处理决定',
  send_to_experts: '送专家评审',
  finalise: '定稿',
  reopen: '重新审核',
} as const;
export type ReviewAction = keyof typeof REVIEW_ACTIONS;

/** The long-running jobs (server/jobs/). */
export const JOB_KIND_CODES = ['publish', 'recheck', 'reference_match', 'import_confirm', 'export_site', 'registry_recheck'] as const;
export type JobKind = (typeof JOB_KIND_CODES)[number];

export const ROLES = {
  department: '部门',
  legal_office: '法制办',
  expert: '专家',
  supervisor: '监察',
  admin: '管理员',
} as const;
export type Role = keyof typeof ROLES;
export const ROLE_CODES = Object.keys(ROLES) as [Role, ...Role[]];

export function label<T extends Record<string, string>>(table: T, code: string | null | undefined): string {
  if (code == null) return '';
  return (table as Record<string, string>)[code] ?? code;
}

// The service guide (办事指南) beyond the legal fields: how far an item is handled online and how often
// the applicant comes in, as provincial 政务服务网 grade them.

/** 网上办理深度, lowest first: 一级 the guide is published online … 四级 the whole procedure is online. */
export const ONLINE_DEPTHS = {
  info_published: '一级：信息发布',
  form_download: '二级：表格下载',
  online_prereview: '三级：网上预审',
  fully_online: '四级：全程网办',
} as const;
export type OnlineDepth = keyof typeof ONLINE_DEPTHS;
export const ONLINE_DEPTH_CODES = Object.keys(ONLINE_DEPTHS) as [OnlineDepth, ...OnlineDepth[]];

/** 到现场次数: 0, 1 (最多跑一次) or 2 and more, stored as 0, 1, 2. */
export const ON_SITE_VISITS: Readonly<Record<number, string>> = { 0: '0 次（不用跑）', 1: '1 次（最多跑一次）', 2: '2 次及以上' };
export const MAX_ON_SITE_VISITS = 2;

/** 办件类型, read from the item's 即办件 flag: an item not handled on the spot is handled against a promised limit. */
export const HANDLING_TYPES = { instant: '即办件', promised: '承诺件' } as const;

/** What a citizen's feedback on an item is (评议, 纠错, 举报投诉). */
export const FEEDBACK_KINDS = { comment: '意见建议', correction: '内容纠错', complaint: '投诉举报' } as const;
export type FeedbackKind = keyof typeof FEEDBACK_KINDS;
export const FEEDBACK_KIND_CODES = Object.keys(FEEDBACK_KINDS) as [FeedbackKind, ...FeedbackKind[]];
