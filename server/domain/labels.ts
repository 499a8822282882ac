// Every Chinese word the application shows for a code, and every message said in more than one place.
// Pages, exports, the CLI and API errors take their words from here, so no page shows a raw code.
import type { JobKind } from './vocabulary.js';
import {
  CATEGORIES as VOCABULARY_CATEGORIES,
  LEVELS as VOCABULARY_LEVELS,
  ONLINE_DEPTHS as VOCABULARY_ONLINE_DEPTHS,
  ON_SITE_VISITS as VOCABULARY_ON_SITE_VISITS,
  SERVICE_OBJECTS as VOCABULARY_SERVICE_OBJECTS,
  label as vocabularyLabel,
} from './vocabulary.js';

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

/** The import preview's mapping forms: the choices besides the template's columns and the catalogue's values. */
export const MAPPING_CHOICES = {
  /** A column the person says is not to be read (also accepted on the command line, as is `ignore`). */
  ignore: '忽略',
  /** A column the reader did not recognise and nobody mapped. */
  unrecognised: '（未识别，不读取）',
  /** A value left as the file writes it. */
  asWritten: '（不对应，按原文）',
} as const;

/** The page of mappings remembered from earlier uploads. */
export const SAVED_MAPPINGS = {
  title: '保存的表头对应',
  allDepartments: '全部门清单（法制办导入）',
  nothingTicked: '请先勾选要删除的对应。',
} as const;

export const MESSAGES = {
  dateFormat: '日期格式应为 2026-12-31。',
  staleRow: '该事项已被他人处理（您看到的是旧版本），本次操作未保存。请刷新页面查看最新状态后再操作。',
  jobAlreadyRunning: (kind: string) => `已有一项“${kind}”任务正在进行，请等它完成后再试。`,
  jobInterrupted: '服务器在任务进行中停止（重启、断电或进程被终止），任务没有完成；已写入一半的内容已撤销，数据保持任务开始前的状态。请重新发起。',
  jobThreadDied: '执行任务的线程意外退出，任务没有完成；数据保持任务开始前的状态。请重新发起。',
  jobFailed: '任务失败，数据未被改动。',
  databaseBusy: '数据库正忙：后台任务（如发布目录版本）正在写入，本次操作没有保存。请稍等片刻后再试。',
  importInterrupted: '本次导入没有读完：读取时服务器停止了（重启、断电或进程被终止），或磁盘已满、数据库无法写入。目录没有任何改动，读取到一半的内容会被清除。请放弃本次导入后重新上传；如磁盘已满，请先通知系统管理员。',
  importReading: '该导入正在读取，读取结束后才能放弃。',
  importConfirmed: '该导入已经确认过了。',
  importDiscarded: '该导入已被放弃。',
  importNotReady: '该导入尚未读取完成或已被拒绝，不能确认。',
} as const;

/** What backup, restore, the start-up check and a failing disk tell the operator and the visitor. */
export const OPERATIONS = {
  backupExists: (out: string) => `备份位置 ${out} 已存在。请换一个新的文件夹名（备份不会覆盖已有的内容）。`,
  backupDone: (out: string, bytes: number, uploads: number) => `已备份到 ${out}：数据库 ${(bytes / 1048576).toFixed(1)} MB，上传文件 ${uploads} 个。`,
  backupMissingUploads: (n: number) => `注意：有 ${n} 个上传文件在上传文件夹中找不到，未能备份（数据库中的记录已备份）。`,
  backupFailed: (why: string) => `备份失败，未留下不完整的备份：${why}`,
  restoreNotABackup: (from: string) => `${from} 不是一份备份：其中没有 catalogue.db。请指定 catalogue backup 生成的文件夹。`,
  restoreDamaged: '备份中的数据库已损坏（完整性检查未通过），未恢复，现有数据库没有任何改动。',
  restoreNotADatabase: '备份中的 catalogue.db 不是有效的数据库文件（可能已损坏或被截断），未恢复，现有数据库没有任何改动。',
  restoreAuditBroken: '备份中的审计日志哈希链已断裂（记录被改动或删除），未恢复，现有数据库没有任何改动。',
  restoreVersionAltered: (n: number) => `备份中第 ${n} 版目录的内容与发布时的 SHA-256 不符（已被改动），未恢复，现有数据库没有任何改动。`,
  restoreUploadAltered: (name: string) => `备份中的上传文件 ${name} 与其 SHA-256 不符（已损坏），未恢复，现有数据库没有任何改动。`,
  restoreInUse: (db: string) => `数据库 ${db} 正在被使用（服务器或其他命令仍在运行），未恢复。请先停止服务器，再执行恢复。`,
  restoreDone: (db: string, kept: string | null) => `已恢复到 ${db}：完整性检查、审计日志和全部已发布版本的哈希均已通过。${kept ? `原数据库保留为 ${kept}。` : ''}`,
  restoreMissingUploads: (n: number) => `注意：备份中缺少 ${n} 个上传文件（备份时已缺失），相应导入的原始文件无法下载。`,
} as const;

/** What a fault of the disk or the database file is called, for the visitor (503) and the operator (start-up). */
export const STORAGE_FAULTS = {
  diskFull: '服务器磁盘已满，本次操作没有保存，已保存的数据不受影响。请通知系统管理员清理磁盘空间；空间恢复后即可继续。',
  readOnly: '数据库处于只读状态（文件、文件夹或磁盘不允许写入），本次操作没有保存，已保存的数据不受影响。请通知系统管理员检查数据库文件的写入权限和磁盘状态。',
  ioError: '读写数据库文件时出错（磁盘或文件系统故障），本次操作没有保存。请通知系统管理员检查磁盘；必要时用最近的备份恢复。',
  damaged: '数据库文件已损坏，本次操作没有保存。请通知系统管理员：停止服务器，从最近的备份恢复（见使用说明“备份与恢复”）。',
} as const;

/** Why the server (or a command) stopped at its database, and what to do; the exit code of each cause is in README.md. */
export const STARTUP_FAILURES = {
  cannotOpen: (db: string, detail: string) =>
    `无法打开数据库 ${db}（${detail}）。\n请检查：文件夹是否存在、运行服务器的账号是否有权读写该文件夹和文件；也可以用 CATALOGUE_DB 指定其他位置。`,
  readOnly: (db: string, detail: string) =>
    `数据库 ${db} 只能读、不能写（${detail}）：文件或所在文件夹没有写入权限，或磁盘以只读方式挂载。\n服务器和命令都需要写入数据库（登录、修改、发布都要写入），因此程序已停止。请让运行服务器的账号能写入该文件和所在文件夹（包括 -wal、-shm 文件），或检查磁盘后重新启动。`,
  damaged: (db: string, detail: string) =>
    `数据库 ${db} 已损坏（${detail}），程序已停止，没有在损坏的文件上继续写入。\n请保留该文件（供排查），用最近的备份恢复：npx catalogue restore --from 备份文件夹 --db ${db}；恢复会先检查备份是否完好。`,
  migration: (db: string, detail: string) =>
    `数据库 ${db} 无法升级到本版本的结构（${detail}），程序已停止，数据库保持原样。\n如果该数据库来自更新的版本，请使用相同或更新版本的程序；否则请联系维护人员并提供以上信息。`,
  diskFull: (db: string, detail: string) =>
    `数据库 ${db} 所在的磁盘已满（${detail}），程序已停止。请清理磁盘空间后重新启动；已保存的数据不受影响。`,
  locked: (db: string, detail: string) =>
    `数据库 ${db} 被其他程序锁定（${detail}），程序已停止。请确认没有另一个服务器或命令（如 restore）正在使用它，再重新启动。`,
  ioError: (db: string, detail: string) =>
    `读写数据库 ${db} 时出现磁盘或文件系统错误（${detail}），程序已停止。请检查磁盘状态；必要时用最近的备份恢复。`,
  portInUse: (port: number) => `端口 ${port} 已被其他程序占用，服务器没有启动。请停止占用该端口的程序，或用 PORT 指定其他端口。`,
} as const;

/** What a refused request is told: the one error path (server/http/errors.ts) says these, whatever went wrong. */
export const REQUEST_ERRORS = {
  pageNotFound: '找不到该页面。',
  fileNotFound: '找不到该文件。',
  bodyTooLarge: (limit: string) => `提交的内容过大（上限 ${limit}），没有保存。请分批提交或改为上传文件。`,
  tooManyFields: (limit: number) => `提交的表单字段过多（上限 ${limit} 个），没有保存。请分批提交。`,
  bodyUnreadable: '提交的内容格式错误，无法读取，没有保存。',
  charsetUnsupported: '提交内容的字符编码不受支持，请使用 UTF-8。',
  encodingUnsupported: '提交内容的压缩方式不受支持，请不压缩直接提交。',
  jsonTooDeep: (limit: number) => `提交的 JSON 嵌套过深（上限 ${limit} 层），没有保存。`,
  badAddress: '网址中含有无法识别的字符（百分号编码有误），请检查网址。',
  badRequest: '请求无法处理，请检查后重试。',
  headersTooLarge: '请求头过大（常见原因是 Cookie 过多），请清除本网站的 Cookie 后重试。',
  timeout: '请求超时，请重试。',
  methodNotAllowed: '不支持该请求方式。',
  forbiddenPath: '不允许访问该地址。',
  internal: '服务器内部错误，操作未完成，数据未被改动。请稍后重试。',
  errorTitle: '出错了',
  backHome: '返回首页',
} as const;

/** What a refused login is told. */
export const LOGIN_MESSAGES = {
  wrongPassword: '用户名或密码错误。',
  wait: (seconds: number) => `登录失败次数较多，请 ${seconds} 秒后再试。`,
  locked: (by: 'account' | 'address', until: string) =>
    `${by === 'account' ? '该账号' : '本机所在网络地址'}登录失败次数过多，已暂时锁定，请于 ${until} 后再试。如忘记密码，请联系系统管理员。`,
} as const;

/** The import's scope (完整清单 / 部分事项), stale pre-filled templates and what the department proposes. */
export const IMPORT_SCOPES = { complete: '完整清单', partial: '部分事项' } as const;
export type ImportScope = keyof typeof IMPORT_SCOPES;

/**
 * A field's value as a person reads it: codes as their words (事项类型, 行使层级, 服务对象, 网上办理深度, 到现场次数),
 * lists joined, yes and no in Chinese. The import preview, the command line and the version comparisons
 * show every field through this. A citation list is written out, or already text (an import's change).
 */
export function shownValue(field: string, v: unknown): string {
  if (v == null || v === '') return '（空）';
  if (field === 'category') return vocabularyLabel(VOCABULARY_CATEGORIES, v as string);
  if (field === 'level') return vocabularyLabel(VOCABULARY_LEVELS, v as string);
  if (field === 'onlineDepth') return vocabularyLabel(VOCABULARY_ONLINE_DEPTHS, v as string);
  if (field === 'onSiteVisits') return VOCABULARY_ON_SITE_VISITS[v as number] ?? String(v);
  if (field === 'serviceObjects' && Array.isArray(v)) return (v as string[]).map((s) => vocabularyLabel(VOCABULARY_SERVICE_OBJECTS, s)).join('、');
  if ((field === 'department' || field === 'parent') && typeof v === 'object') return (v as { name: string }).name;
  if (field === 'citations' && Array.isArray(v)) {
    return (v as { title: string; article: string | null; role: string }[]).map((c) => `${c.role === 'implementing' ? '［实施］' : ''}《${c.title}》${c.article ?? ''}`).join('\n');
  }
  if (Array.isArray(v)) return v.join('、');
  if (typeof v === 'boolean') return v ? '是' : '否';
  return String(v);
}

export const IMPORT_MESSAGES = {
  // Beside a sub-item's name in the preview's lists: the main item it is proposed under.
  subItemOf: (mainName: string) => `${mainName} 的子项`,
  // The same file uploaded before (its SHA-256): on the preview and in the command line's report.
  previousUpload: (p: { at: string; by: string; importId: number }) => `同一文件已于 ${localTime(p.at)} 由 ${p.by} 上传过（导入 #${p.importId}）。`,
  // Why the preview's confirm button is disabled (and a confirm refused).
  itemColumnMissing: '还没有找到“事项名称”列：请先在“列的对应”中指出文件的哪一列是事项名称，再确认。',
  departmentsNotMapped: (names: string[]) =>
    `还有 ${names.length} 个部门没有对应（${names.slice(0, 5).join('、')}${names.length > 5 ? '等' : ''}）：请先在页面顶部为每个部门选择已有部门或新建，保存后再确认。`,
  // An import none of whose rows can be proposed: confirming it would submit nothing (or, for a complete
  // list, propose cancelling every item only because every row had an error).
  nothingToSubmit: '文件中没有可以申报的事项：读取的每一行都有错误。请按列出的错误（工作表、行号、列）在 Excel 中改正后重新上传。',
  // Shown after the scope's name (完整清单 / 部分事项), on the upload form and the preview.
  completeHint: '目录中有、清单中没有的事项将作为“拟取消”提交审核。',
  partialHint: '只申报文件中的事项，文件中没有的事项不受影响。',
  partialNote: '按“部分事项”导入：文件中没有的事项不受影响（如文件是本部门的完整清单，请用 --complete）。',
  missingTitle: (n: number) => `完整清单中没有、目录中有的事项 ${n} 项，确认后将作为“拟取消”提交审核`,
  missingConfirm: (n: number) => `我已核对，同意将以上 ${n} 项事项作为“拟取消”提交审核`,
  missingNotConfirmed: (n: number) => `本文件作为完整清单导入，目录中有 ${n} 项事项文件中没有，将作为“拟取消”提交审核。请先勾选确认后再提交。`,
  missingReason: '部门上报的完整清单中没有该事项',
  revertsTitle: (n: number) => `${n} 行会撤销下载模板之后作出的决定`,
  revertsHint: '下载模板后，目录中以下字段已经改变，而文件中仍是下载时的旧值。除非勾选该行，这些字段不会申报（保留目录中现在的值）。',
  revertTick: '仍按文件中的旧值申报',
  revertBefore: '目录中现在',
  revertAfter: '文件中（下载时的值）',
  revertsCliHint: '以上字段不会申报（保留目录中现在的值）；如确要按文件中的旧值申报，请加 --accept-reverts。',
  revertsAccepted: (n: number) => `已按文件中的旧值申报 ${n} 行（--accept-reverts）。`,
  revertLine: (sheet: string, row: number, name: string, field: string, now: string, file: string) =>
    `  ${sheet} 第 ${row} 行“${name}”：${field} 目录中现在“${now}”，文件中“${file}”`,
  cancelledSinceTemplate: (name: string) => `“${name}”在下载模板之后已被取消（移出目录），本行会把它重新列入目录`,
  proposedDisposition: '处理意见',
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
export const AUDIT_ACTORS = { system: '系统', cli: (osUser: string) => `命令行（${osUser}）`, public: '公众（未登录）' } as const;

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
  // the shipped registry's upkeep
  conflicts: '与人工修改不一致的条目', fields: '字段', addedByFile: '各文件新增',
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

// ---- h-verify: `catalogue verify` of published versions; the demo notice ----

const shown = (v: unknown) => (v === null || v === undefined ? '（空）' : String(v));

/** What `catalogue verify` says it found; column names (table.column) are given as stored, for the administrator. */
export const VERIFY_MESSAGES = {
  noSuchVersion: (n: number) => `没有第 ${n} 版目录。`,
  intact: (n: number, items: number, hash: string) => `第 ${n} 版完整：${items} 项事项，SHA-256 ${hash} 与重新计算的一致，各已发布字段与发布内容一致。`,
  failed: (n: number) => `第 ${n} 版已被改动（未通过校验）：`,
  columns: (columns: string[]) => (columns.length > 1 ? `（被改动的是 ${columns.join('、')} 之一）` : `（被改动的是 ${columns[0]}）`),
  triggerMissing: (name: string) => `保护已发布版本的触发器 ${name} 已被删除`,
  versionNumbersGap: (expected: number, found: number) => `版本号不连续：应为第 ${expected} 版，存为第 ${found} 版`,
  fromOutOfRange: (code: string, id: number, from: number, latest: number) => `事项 ${code}（修订 #${id}）的起始版本为第 ${from} 版，不在第 1 至 ${latest} 版之间`,
  toOutOfRange: (code: string, id: number, from: number, to: number, latest: number) =>
    `事项 ${code}（修订 #${id}，第 ${from} 版起）记为在第 ${to} 版关闭，应在第 ${from + 1} 至 ${latest} 版之间`,
  revisionNotClosed: (code: string, prevId: number, id: number, from: number) => `事项 ${code} 的修订 #${prevId} 没有关闭记录，但第 ${from} 版又发布了修订 #${id}`,
  closedElsewhere: (code: string, prevId: number, to: number, id: number, from: number) => `事项 ${code} 的修订 #${prevId} 记为在第 ${to} 版关闭，而下一修订 #${id} 从第 ${from} 版起`,
  revisionOutOfOrder: (id: number, from: number, last: number) => `修订 #${id} 记为第 ${from} 版发布，但更早写入的修订已属第 ${last} 版`,
  orphanClosure: (id: number, to: number) => `第 ${to} 版的关闭记录指向不存在的修订 #${id}`,
  orphanFacet: (id: number, code: string) => `检索行指向不存在的修订 #${id}（事项 ${code}）`,
  bucketRowStray: (v: number, b: number) => `第 ${b} 桶的哈希记在不存在的第 ${v} 版`,
  bucketRowUnchanged: (v: number, b: number) => `第 ${v} 版记了第 ${b} 桶的哈希，但该桶在此版没有变化`,
  firstVersionBuckets: (found: number, all: number) => `第 1 版应记下全部 ${all} 个桶的哈希，现有 ${found} 个`,
  revision: (code: string, id: number) => `事项 ${code}（修订 #${id}）`,
  textAltered: (what: string) => `${what}的发布内容与其哈希不符`,
  textNotJson: (what: string) => `${what}的发布内容不是有效的 JSON`,
  codeTwice: (n: number, code: string) => `第 ${n} 版中事项 ${code} 出现了不止一次`,
  columnDiffers: (what: string, column: string, stored: unknown, expected: unknown) => `${what}的 ${column} 存为「${shown(stored)}」，按发布内容应为「${shown(expected)}」`,
  facetMissing: (what: string) => `${what}没有检索行`,
  bucketDiffers: (n: number, b: number) => `第 ${n} 版第 ${b} 桶存储的哈希与按发布内容重新计算的不符`,
  versionHashDiffers: (n: number, stored: string, computed: string) => `第 ${n} 版发布时的 SHA-256 为 ${stored}，现在计算为 ${computed}`,
  countDiffers: (n: number, column: string, stored: number, counted: number) => `第 ${n} 版的 ${column} 存为 ${stored}，按已发布的修订计为 ${counted}`,
  publishAuditCount: (n: number, count: number) => (count === 0 ? `审计日志中没有发布第 ${n} 版的记录` : `审计日志中发布第 ${n} 版的记录有 ${count} 条`),
  publishAuditAltered: (n: number, seq: number) => `发布第 ${n} 版的审计记录（第 ${seq} 条）与其哈希不符（已被改动）`,
  versionRowDiffers: (n: number, column: string, stored: unknown, recorded: unknown, seq: number) =>
    `第 ${n} 版的 ${column} 存为「${shown(stored)}」，发布时的审计记录（第 ${seq} 条）为「${shown(recorded)}」`,
  publishedAfterAudit: (n: number, at: string, auditAt: string) => `第 ${n} 版的发布时间 ${at} 晚于发布它的审计记录（${auditAt}）`,
} as const;

Object.assign(AUDIT_FIELD_NAMES, { publishedAt: '发布时间' });

/** The notice every page of the demo district carries (server/http/demo-notice.ts, the static export). */
export const DEMO_NOTICE = {
  heading: '演示数据，请勿据此办事：',
  real: '事项名称、编码和实施部门取自一个真实区县（四川省广安市广安区）公开的政务服务事项目录；',
  invented: '法律依据、办理时限、收费、申请条件、申请材料、办理流程和咨询、监督电话均为演示而编造，并非真实信息。',
} as const;

/* ---------------------------------------------------------------- the inbox and the staff menu (issue 16.5, 16.9) */

/** Each inbox row's title (工作台 待办), by provider key; the count follows it. */
export const INBOX_TITLES = {
  submitted: '新申报待审核',
  resubmitted: '退回后重新申报待审核',
  underReview: '审核中待作出决定',
  opinionsToHandle: '专家意见待处理',
  readyToFinalise: '可以定稿',
  unregisteredBasis: '依据未在法规库登记，待登记',
  returned: '被退回待修改',
  drafts: '草稿未报送',
  deadline: '专项行动报送期限',
  awaitingOpinion: '待提出评审意见',
  recentActions: '近 7 日的操作',
  openFeedback: '公众留言待答复',
} as const;

/** The inbox page's words. */
export const INBOX_TEXT = {
  heading: '待办',
  nothing: '目前没有待办事项。',
  open: '前往处理',
  more: (cap: number) => `${cap}+`,
  noDeadline: '当前专项行动未设报送期限',
  noCampaign: '目前没有进行中的专项行动',
  dueIn: (dueOn: string, days: number) =>
    days > 0 ? `${dueOn}（还有 ${days} 天）` : days === 0 ? `${dueOn}（今天截止）` : `${dueOn}（已逾期 ${-days} 天）`,
  countUnit: '项',
  badgeTitle: (n: string) => `待办 ${n} 项`,
} as const;

/** The staff menu's groups, in order; each holds the pages a role may use. */
export const MENU_GROUPS = { catalogue: '目录', cleanup: '清理', publish: '发布', manage: '管理' } as const;

/** The review queue's filter by what an item waits for (the inbox rows link to it). */
export const QUEUE_WAITING = { opinion: '待专家提出意见', handling: '专家意见待处理', finalise: '可以定稿' } as const;
export const QUEUE_WAITING_CODES = Object.keys(QUEUE_WAITING) as [keyof typeof QUEUE_WAITING, ...(keyof typeof QUEUE_WAITING)[]];

/** The staff menu's entries (and 工作台 above them). */
export const MENU_LINKS = {
  workspace: '工作台',
  items: '事项目录',
  departments: '实施部门',
  instruments: '法律依据库',
  dashboard: '统计看板',
  prerequisites: '前置关系',
  referenceLists: '上级清单',
  imports: '导入清单',
  submissions: '本部门申报',
  reviewQueue: '申报审核',
  expertQueue: '专家评审',
  campaigns: '专项行动',
  flags: '检查问题',
  register: '注销下放登记',
  publish: '发布版本',
  versions: '目录版本',
  audit: '审计日志',
  jobs: '后台任务',
  adminDepartments: '部门管理',
  adminUsers: '账号管理',
  feedback: '公众留言',
  menuLabel: '主导航',
} as const;
/* ------------------------------------------------------------------------------------------------
 * Legal basis in the item form (citation rows, fee basis rows, correcting a returned item)
 * ---------------------------------------------------------------------------------------------- */

/** What the item form's legal-basis rows say and refuse. */
export const BASIS_FORM = {
  settingTitle: '设定依据和实施依据',
  feeTitle: '收费依据',
  instrument: '法律依据名称',
  article: '条',
  paragraph: '款',
  item: '项',
  role: '类别',
  quote: '条文内容',
  addRow: '增加一行',
  moveUp: '上移',
  moveDown: '下移',
  remove: '删除',
  searchHint: '输入名称中的字词，从法规库中选择；法规库中没有的，直接写全称，保存后作为未登记的依据。',
  feeHint: '收费的，写明收费依据（法律法规或批准收费的文件及文号）。',
  articleHint: '条、款、项写数字，如 12；也可写“第十二条”。',
  registered: '法规库',
  unregistered: '未登记',
  noHits: '法规库中没有名称含这些字的依据；保存后将作为未登记的依据。',
  checksTitle: '保存后的检查结果',
  checksNone: '检查未发现问题。',
  checksOther: '其他问题',
  returnedNotice: (request: string) => `法制办退回了这个事项，要求：${request}。请直接在下面修改（如更正依据），再“保存并重新提交”；答复可不填。`,
  answer: '对退回意见的答复（可不填）',
  saveAndResubmit: '保存并重新提交',
  resubmitted: '已更正并重新提交法制办审核。',
  corrected: '已保存对退回事项的更正，尚未重新提交。',
} as const;

/** Why a row of the legal basis is refused (the form names the row). */
export const BASIS_ERRORS = {
  row: (section: string, n: number, message: string) => `${section}第 ${n} 行：${message}`,
  titleMissing: '请填写或选择依据名称',
  titleTooLong: (max: number) => `依据名称不能超过 ${max} 个字`,
  quoteTooLong: (max: number) => `条文内容不能超过 ${max} 个字`,
  article: '“条”须写数字（如 12）或“第十二条”这样的条文序号',
  paragraph: '“款”须写 1 至 999 的数字',
  item: '“项”须写 1 至 999 的数字',
  partWithoutArticle: '写了款或项，请同时写明是第几条',
  role: '依据类别只能是“设定依据”或“实施依据”',
  unknownInstrument: '所选的依据不在法规库中（可能已被删除），请重新选择',
  tooMany: (section: string, max: number) => `${section}最多 ${max} 行`,
  rowsMismatch: '表单中的依据行不完整，请刷新页面后重新填写',
  answerTooLong: (max: number) => `答复不能超过 ${max} 个字`,
  notReturned: '这个事项目前没有被退回，无需重新提交。',
} as const;
/** The item's citations as one field, where a list of changed fields names it. */
export const CITATIONS_LABEL = '设定依据和实施依据';
// What the item form's saves write into the audit log, named on the audit page.
Object.assign(AUDIT_FIELD_NAMES, {
  article: '条款',
  proposedCitations: '申报的法律依据',
  corrected: '在事项表单中更正',
  withdrawnFromDraft: '撤出草稿申报',
  item: '事项',
});
// ---- The service guide and public feedback (issue 17.4–17.5) ----
export { HANDLING_TYPES, ON_SITE_VISITS, ONLINE_DEPTHS } from './vocabulary.js';
Object.assign(AUDIT_FIELD_NAMES, {
  servicePlace: '办理地点',
  serviceHours: '办理时间',
  onSiteVisits: '到现场次数',
  onlineDepth: '网上办理深度',
  resultName: '结果名称',
});
export { FEEDBACK_KINDS } from './vocabulary.js';
Object.assign(AUDIT_ENTITY_TYPES, { feedback: '公众留言' });
Object.assign(AUDIT_FIELD_NAMES, { feedbackKind: '留言类型', itemCode: '事项编码', itemName: '事项名称', body: '留言内容', answerPublic: '公开答复' });
/** What the feedback form and the legal office's page tell a person. */
export const FEEDBACK_MESSAGES = {
  empty: '请填写留言内容。',
  tooShort: (min: number) => `留言内容至少 ${min} 个字。`,
  tooLong: (max: number) => `留言内容不能超过 ${max} 个字。`,
  contactTooLong: (max: number) => `联系方式不能超过 ${max} 个字。`,
  kind: '请选择留言类型。',
  throttled: (minutes: number) => `同一网络提交的留言过于频繁，请 ${minutes} 分钟后再提交。您填写的内容仍保留在下面。`,
  sent: '您的留言已收到。法制办答复并决定公开后，答复会显示在办事指南下方。',
  answerEmpty: '请填写答复内容。',
  answerTooLong: (max: number) => `答复不能超过 ${max} 个字。`,
  answeredMeanwhile: '这条留言已被他人答复或修改，您的答复未保存，请查看最新内容后再答复。',
} as const;
// ---------------------------------------------------------------------------------------------------
// Finalising, the publish preflight, paged version comparisons and waiting submissions (h-finalise)

/** What finalising tells a person about findings still open on an item that stays in the catalogue. */
export const FINALISE_MESSAGES = {
  openErrors: (items: { name: string; rules: string[] }[]) =>
    `以下事项仍有未排除的错误级问题，不能定稿：${items
      .slice(0, 5)
      .map((i) => `“${i.name}”（${i.rules.join('、')}）`)
      .join('；')}${items.length > 5 ? ` 等 ${items.length} 项` : ''}。请逐条排除并写明理由，或在定稿时填写排除理由（将记入备案）。本次未定稿任何事项。`,
  reasonNeeded: '仍有错误级问题未排除，定稿须写明排除理由',
  setAsideLabel: '排除理由（定稿时仍有错误级问题的，须写明理由，记入备案）',
  bulkSetAsideLabel: '排除理由（定稿时适用：勾选的事项仍有错误级问题的，须写明理由，记入备案）',
  openErrorsHeading: '以下错误级问题尚未排除，定稿即视为排除，须写明理由：',
} as const;

/** The filing record's words for findings set aside. */
export const FILING_SET_ASIDE = {
  errorsSetAside: '排除错误级问题后定稿的事项',
  errorTag: '错误',
} as const;

/** The words of a comparison's kinds of change (a version against another, or the working catalogue against the last version). */
export const CHANGE_KINDS = { added: '新增', changed: '变更', removed: '移出' } as const;
export type ChangeKind = keyof typeof CHANGE_KINDS;

/** What the publish page says before and after publishing. */
export const PUBLISH_MESSAGES = {
  confirmWord: '确认发布',
  confirmLabel: (n: number) => `工作目录仍有 ${n} 个错误级问题未解决。如仍要发布，请在下框中输入“确认发布”`,
  confirmNeeded: '工作目录仍有错误级问题未解决：如仍要发布，请输入“确认发布”四个字。本次未发布。',
  nothingToPublish: '自上一版本以来目录没有变化，无需发布新版本。',
} as const;

/** What a department and the legal office are told about submissions waiting for a campaign. */
export const CAMPAIGN_WAITING = {
  state: '等待清理工作开始',
  department: '目前没有进行中的清理专项行动：您的申报已收到，正在等待清理工作开始，专项行动开启后将自动加入并由法制办审核。',
  legalOffice: (n: number) => `有 ${n} 份申报正在等待清理工作开始。请开启清理专项行动，这些申报将自动加入。`,
  notInCampaign: '该申报尚未加入清理专项行动，不能审核。请先开启清理专项行动，申报将自动加入。',
  openCampaign: '开启清理专项行动',
} as const;

Object.assign(AUDIT_FIELD_NAMES, { atFinalise: '定稿时排除', joined: '加入的申报', recheckedItems: '重新检查的事项' });
// ---- public catalogue and search (issue 17 points 1–2) ----
export { PUBLIC_CATALOGUE_LABELS, SEARCH_LABELS, SYNONYM_MESSAGES } from './search-labels.js';
AUDIT_ENTITY_TYPES.search_synonym = '搜索同义词';
AUDIT_FIELD_NAMES.term ??= '词语';
AUDIT_FIELD_NAMES.synonym ??= '同义词';

/** While a search index is built in the background after the server starts. */
export const SEARCH_INDEX_MESSAGES = {
  workingBuilding: '工作目录的检索索引正在建立（服务器刚刚启动），请稍等片刻再刷新。',
  workingBuilt: (n: number, seconds: string) => `已建立工作目录的检索索引：${n} 项事项，用时 ${seconds} 秒`,
} as const;
// ---------------------------------------------------------------------------------------------------
// Browsing the public catalogue like a portal: 服务对象, department, category and theme facets (h-facets)

/** The facet panel of the item list, the home page's browse blocks and their chips. */
export const FACET_LABELS = {
  /** 服务对象 as a citizen browses by it (server/domain/facets.ts). */
  audiences: { individual: '个人', legal: '法人' },
  /** The home page's entry points by 服务对象. */
  audienceEntries: { individual: '个人办事', legal: '法人办事' },
  /** The theme groups of the home page, by 服务对象. */
  themeGroups: { individual: '个人服务主题', legal: '法人服务主题' },
  dimensions: { audience: '服务对象', department: '实施部门', category: '事项类型', theme: '主题', q: '关键词', level: '行使层级', basis: '设定依据' },
  byAudience: '按服务对象',
  byTheme: '按主题浏览',
  panel: '分类浏览',
  all: '全部',
  count: (n: number) => `${n} 项`,
  chips: '已选条件',
  /** Beside the chips on a phone, where the list's own count is further down. */
  found: (n: number) => `共 ${n} 项`,
  remove: (what: string) => `去掉“${what}”`,
  clearAll: '清除全部条件',
  noneHere: '当前条件下没有可选项',
  basis: { yes: '有设定依据', no: '无设定依据' },
  /** The open API's words for the facet parameters. */
  apiDocs: {
    audience: '服务对象：individual 个人（服务对象含自然人），legal 法人（含企业法人或其他组织）',
    theme: '主题编码（data/themes/themes.json，如 transport 交通出行）：事项名称含该主题关键词的事项，加上法制办人工归入、减去人工移出该主题的事项',
  },
} as const;

// ---------------------------------------------------------------------------------------------------
// The publish page while the working catalogue is compared with the last version in the background (h-preflight)

export const PREFLIGHT_PROGRESS_MESSAGES = {
  progress: (p: { done: number; total: number; firstPublish: boolean }) =>
    p.firstPublish ? `正在读取将首次发布的事项：已读取 ${p.done} / ${p.total} 项。` : `正在比较工作目录与上一版本：已比较 ${p.done} / ${p.total} 项。`,
  hint: '比较完成后，这里会列出将发布的变化。比较期间也可以填写下面的表单直接发布，发布不必等这份清单。本页不自动刷新，以免清掉已填写的内容。',
  reload: '刷新查看进度',
} as const;

// ---------------------------------------------------------------------------------------------------
// Themes the legal office tags by hand on an item, on top of the rules on names (h-themes)

AUDIT_ENTITY_TYPES.item_theme = '事项主题';
AUDIT_FIELD_NAMES.theme ??= '主题';
AUDIT_FIELD_NAMES.themeTag ??= '人工标注';

/** The 主题 block of the item page (staff) and the messages of tagging a theme. */
export const THEME_TAG_LABELS = {
  title: '主题',
  hint: '主题供公众按主题浏览目录，不属于发布的清单内容，修改后立即生效，不改变已发布版本。',
  sources: { rule: '按名称', hand: '人工标注' },
  sourceHint: { rule: '事项名称含该主题的关键词', hand: '法制办人工标注' },
  none: '本事项目前不属于任何主题。',
  addLabel: '添加主题',
  choose: '请选择主题',
  add: '添加',
  remove: '移除',
  removeTitle: (name: string) => `将本事项移出“${name}”主题`,
  /** Themes the name rule gives that were taken away by hand (so they can be put back). */
  removedLabel: '已人工移除的主题（按名称本应归入）：',
  added: (name: string) => `已将本事项归入“${name}”主题。`,
  removed: (name: string) => `已将本事项移出“${name}”主题。`,
  browse: (name: string) => `查看“${name}”主题的全部事项`,
  /** A hand tag as the audit log names it (none: the theme follows the name rule again). */
  tags: { added: '人工归入', removed: '人工移出' } as Record<string, string>,
} as const;

export const THEME_TAG_MESSAGES = {
  unknownTheme: '没有这个主题，请从主题列表中选择。',
  unknownItem: '工作目录中没有这一事项，无法标注主题。',
  alreadyByRule: (name: string) => `本事项名称已按关键词归入“${name}”主题，无需再人工标注。`,
  alreadyAdded: (name: string) => `本事项已人工标注为“${name}”主题。`,
  notUnder: (name: string) => `本事项目前不在“${name}”主题下，无需移除。`,
} as const;

/** The open API's words for a version list's facet counts (GET /api/v1/versions/{n}/items?facets=1). */
export const VERSION_FACETS_DOCS = {
  parameter: '给出 1 时，同时返回该版本在当前筛选下按服务对象、主题、事项类型、实施部门的事项数（与版本页的分类浏览相同）',
  counts: '各筛选维度的事项数：每一维度在其余筛选条件下计数',
} as const;
