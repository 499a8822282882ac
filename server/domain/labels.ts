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
  registry_recheck: '重新检查引用已更新依据的事项',
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

/** The columns of a registry file (import and export), in their order; the first alias is the header written. */
export const REGISTRY_COLUMNS = {
  id: ['编号', 'ID', '依据编号'],
  title: ['标题', '名称', '法律依据名称', '法规名称', '文件名称'],
  rank: ['效力位阶', '位阶', '效力级别'],
  issuingBody: ['制定机关', '发布机关', '制定机关（发布机关）'],
  region: ['地区', '适用地区'],
  documentNumber: ['文号', '发文字号', '令号'],
  publishedOn: ['公布日期', '发布日期'],
  effectiveOn: ['施行日期', '生效日期'],
  repealedOn: ['废止日期', '失效日期'],
  status: ['状态', '时效性', '效力状态'],
  replacedBy: ['现行版本', '现行版本编号', '被替代为'],
} as const;

/** Words of the registry's bulk import, export and shipped-file sync. */
export const REGISTRY_TEXT = {
  syncUnchanged: '法规库与随系统发布的法规文件一致，无需更新。',
  syncAdded: (file: string, n: number) => `法规库：从 ${file} 新增 ${n} 条`,
  syncUpdated: (n: number) => `法规库：按随系统发布的文件更新 ${n} 条未经人工修改的依据`,
  syncLinked: (n: number) => `法规库：${n} 条原先未登记的引用已对应到新增的依据，请运行 catalogue check 重新检查`,
  syncConflict: (title: string, id: number, by: string | null, fields: string) =>
    `法规库：《${title}》（编号 ${id}）已由 ${by ?? '法制办'} 修改，未按随系统发布的文件覆盖；文件中不同之处：${fields}`,
  importNew: '新增',
  importChanged: '有变化',
  importUnchanged: '无变化',
} as const;
