// Every Chinese word the application shows for a code, and every message said in more than one place.
// Pages, exports, the CLI and API errors take their words from here, so no page shows a raw code.
import type { JobKind } from './vocabulary.js';

export {
  CATEGORIES,
  CITATION_ROLES,
  DISPOSITIONS,
  INSTRUMENT_STATUSES,
  LEVELS,
  OPINIONS,
  PROPOSAL_KINDS,
  PROPOSAL_KINDS_SHORT,
  REVIEW_ACTIONS,
  RANKS,
  REVIEW_STATES,
  REVIEW_STATUSES,
  ROLES,
  SERVICE_OBJECTS,
  label,
} from './vocabulary.js';
export { AUDIT_ACTIONS, auditActionName } from './audit-actions.js';

/** The long-running jobs (server/jobs/), as the job list and the progress page name them. */
export const JOB_KINDS: Record<JobKind, string> = {
  publish: '发布目录版本',
  recheck: '重新检查全部事项',
  reference_match: '匹配上级清单',
  import_confirm: '确认导入清单',
  export_site: '导出静态网站',
};

export const JOB_STATES = { queued: '排队中', running: '进行中', done: '已完成', failed: '失败' } as const;

/** How serious a finding is. */
export const SEVERITIES = { error: '错误', warning: '警告', info: '提示' } as const;

/** The kinds of higher-level list matched against the catalogue (db/schema.ts REFERENCE_LIST_KINDS). */
export const REFERENCE_LIST_KIND_NAMES = {
  cancellation: '上级取消事项清单',
  delegation: '上级下放事项清单',
  standard: '标准基本目录',
} as const;

/** A reference list's entry: what the legal office decided about its proposed match. */
export const REFERENCE_ENTRY_STATUSES = { proposed: '待确认', confirmed: '已确认', rejected: '已否决' } as const;

/** The filters of a reference list's entries. */
export const REFERENCE_ENTRY_FILTERS = { open: '待确认', confirmed: '已确认', rejected: '已否决', unmatched: '未匹配到事项', all: '全部' } as const;

/** An import's state, as the import pages name it. */
export const IMPORT_STATUSES: Record<string, string> = {
  reading: '读取中',
  ready: '待确认',
  refused: '已拒绝',
  failed: '失败',
  confirmed: '已确认',
  discarded: '已放弃',
};

/** What an import does when confirmed. */
export const IMPORT_MODES: Record<string, string> = { submission: '申报', baseline: '直接载入工作目录', dry_run: '试导入' };

/** Stages a job reports with its progress. */
export const JOB_STAGES = {
  waiting: '等待前一项任务完成',
  starting: '准备中',
  reading: '读取目录',
  preparing: '整理事项',
  writing: '写入数据库',
  checking: '检查事项',
  matching: '匹配事项',
  exporting: '写出事项页面',
  listing: '写出目录分页',
  downloads: '写出下载文件',
  finishing: '收尾',
} as const;
export type JobStage = keyof typeof JOB_STAGES;

/** A moment as people in the catalogue's region read it: local time (Asia/Shanghai), to the second. */
export function localTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).replace(/\//g, '-');
}

export const MESSAGES = {
  dateFormat: '日期格式应为 2026-12-31。',
  staleRow: '该事项已被他人处理（您看到的是旧版本），本次操作未保存。请刷新页面查看最新状态后再操作。',
  jobAlreadyRunning: (kind: string) => `已有一项“${kind}”任务正在进行，请等它完成后再试。`,
  jobInterrupted: '服务器在任务进行中停止（重启、断电或进程被终止），任务没有完成；已写入一半的内容已撤销，数据保持任务开始前的状态。请重新发起。',
  jobThreadDied: '执行任务的线程意外退出，任务没有完成；数据保持任务开始前的状态。请重新发起。',
  jobFailed: '任务失败，数据未被改动。',
  databaseBusy: '数据库正忙：后台任务（如发布目录版本）正在写入，本次操作没有保存。请稍等片刻后再试。',
} as const;

/** What an audit-log entry is about (audit_log.entity_type). */
export const AUDIT_ENTITY_TYPES: Record<string, string> = {
  item: '事项',
  submission_item: '申报事项',
  submission: '申报',
  user: '账号',
  department: '部门',
  legal_instrument: '法律依据',
  import: '导入',
  campaign: '专项行动',
  reference_list: '上级清单',
  reference_match: '清单匹配',
  catalogue: '工作目录',
  catalogue_version: '目录版本',
  prerequisite: '前置关系',
};

/** Who acted, when no account did: the server itself, or a command typed on the server. */
export const AUDIT_ACTORS = { system: '系统', cli: (osUser: string) => `命令行（${osUser}）` } as const;

/** Field names in the audit log's before and after, as the audit page and its export name them. */
export const AUDIT_FIELD_NAMES: Record<string, string> = {
  // an item's fields
  name: '名称', category: '事项类型', level: '行使层级', serviceObjects: '服务对象', statutoryLimitDays: '法定时限',
  promisedLimitDays: '承诺时限', instant: '即办件', feeCharged: '收费', feeStandard: '收费标准', feeBasis: '收费依据',
  conditions: '申请条件', materials: '申请材料', processText: '办理流程', contactPhone: '咨询电话',
  supervisionPhone: '监督电话', remarks: '备注', code: '编码', citations: '法律依据', oldCitations: '原法律依据',
  citationsLinked: '已关联的依据', prerequisites: '前置条件', prerequisite: '前置关系', department: '部门', departmentCode: '部门编码',
  departmentId: '部门', departments: '部门', departmentName: '部门名称', parentCode: '上级部门', removed: '已移除', rowVersion: '版本号',
  // review
  state: '状态', disposition: '处理决定', reason: '理由', legalGround: '法律依据', destination: '去向', bulk: '批量操作',
  request: '退回要求', answer: '答复', opinion: '专家意见', notes: '说明', experts: '专家', expertReviewId: '专家评审',
  handling: '处理情况', rule: '规则', submission: '申报', decision: '决定', decided: '已决定', submissionItem: '申报事项', kind: '申报类型',
  delegateLevel: '下放层级', delegateBody: '承接机关', mergeInto: '并入事项', transferTo: '转移至', newCategory: '新事项类型', newMode: '新管理方式',
  // campaigns and submissions
  startsOn: '开始日期', dueOn: '报送期限', judgedAt: '检查基准日', note: '备注', submissions: '申报', items: '事项数',
  proposals: '申报事项数', removals: '拟删除数', importId: '导入批次', id: '编号', from: '原值', to: '新值',
  // imports
  file: '文件', originalName: '文件名', size: '文件大小（字节）', hash: '校验值', mode: '方式', counts: '数量', finalCounts: '最终数量',
  added: '新增', changed: '变更', unchanged: '未变', missing: '缺少', errors: '错误', created: '已新增', updated: '已更新',
  flagged: '有问题', flags: '问题', noBasis: '无设定依据', skippedRows: '跳过的行', subItems: '子项', mainItemNames: '主项名称',
  itemsWithoutBasis: '无依据事项', repealedOnly: '仅引用已废止依据', oldVersionCited: '引用旧版本', notInRegistry: '未登记依据',
  implementingCitations: '实施依据', source: '来源', meta: '附加信息', names: '名称', writtenAs: '原文写法',
  // registry, reference lists, prerequisites, versions
  national: '国家法律法规', local: '地方法规规章', rank: '位阶', rankInferred: '推断位阶', status: '状态', title: '标题',
  entries: '条目数', matches: '匹配数', proposedMatches: '建议匹配数', linked: '已关联', proposed: '建议', cut: '已断开',
  cutReason: '断开理由', version: '版本', effectiveOn: '生效日期', auditExtra: '附加记录', next: '下一步', length: '长度',
  // accounts
  username: '用户名', displayName: '姓名', role: '角色', disabled: '已停用', mustChangePassword: '须修改密码',
};

/** The UTC instant a local (Asia/Shanghai, UTC+8, no daylight saving) day starts, for date-range filters. */
export function localDayStart(date: string, plusDays = 0): string {
  const start = new Date(`${date}T00:00:00+08:00`);
  return new Date(start.getTime() + plusDays * 86_400_000).toISOString();
}

/** What account upkeep and password changes tell a person. */
export const ACCOUNT_MESSAGES = {
  disabled: '该账号已停用，无法登录。如需恢复，请联系系统管理员。',
  notFound: (username: string) => `账号 ${username} 不存在。`,
  selfDisable: '不能停用自己正在使用的账号。',
  selfDemote: '不能改变自己账号的角色（以免失去账号管理权限）。',
  wrongCurrent: '当前密码不正确。',
  mismatch: '两次输入的新密码不一致。',
  sameAsOld: '新密码不能与当前密码相同。',
  mustChangeFirst: '请先修改初始密码（管理员重置的一次性密码），再进行其他操作。',
} as const;
