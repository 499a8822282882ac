// The commands of `npx catalogue` (server/cli.ts starts them). Each command returns an exit code; output in
// Chinese for people, JSON with --json for scripts. Global option: --db PATH (else CATALOGUE_DB, else data/catalogue.db).
import { parseArgs } from 'node:util';
import { CLI_OPTIONS as OPTIONS } from './cli-options.js';
import type { Reader } from '../imports/run-worker.js';
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { setPageCacheKb, type Db } from '../db/client.js';
import { openDurable } from '../db/durability.js';
import { accountByUsername, activeUser } from '../db/queries/accounts.js';
import { liveItemIdsOfDepartment, storedFindings } from '../db/queries/flag-report.js';
import { verifyAuditLog } from '../db/audit.js';
import { loadRegistry, syncShippedRegistry } from '../db/seed/registry.js';
import { registrySyncLines } from './catalogue/registry-sync.js';
import { createUser, editUser, resetPassword, setPassword, setUserDisabled } from './auth/accounts.js';
import { createDepartment } from './catalogue/departments.js';
import { ConfigError, parseConfig, type Config } from './config.js';
import { AppError } from './errors.js';
import { catalogueIsEmpty, createDemoAccounts } from './bootstrap.js';
import { ROLE_CODES } from './domain/vocabulary.js';
import type { Actor } from '../db/audit.js';
import { createWriteStream, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { reportIssues, runImport, type ImportReport, type Issue } from './imports/service.js';
import { createImportRepository } from '../db/queries/imports.js';
import { confirmImport, discardImport, type ConfirmResult } from './imports/confirm.js';
import { CheckpointPauses, checkpointInBackground } from './imports/checkpointer.js';
import { mappingFromFlags, rememberGivenMapping } from './imports/mapping.js';
import type { ReadMapping } from '../imports/mapping.js';
import { can, isOwnScoped, type Subject } from './auth/policy.js';
import { buildCheckContext, checkDeps } from './checks/context.js';
import { checkOpenSubmissions } from './checks/proposals.js';
import { liveItemCount } from '../db/queries/publication/publish.js';
import type { VersionInfo } from './publication/reader.js';
import type { ExportFormat } from '../exports/version-export.js';
import { OPERATIONS, VERIFY_MESSAGES } from './domain/labels.js';
import { allVersionNumbers, verifyVersions } from './publication/verify.js';
import { StartupFailure, startupCause, startupFailure } from './operations/startup.js';
import { recheckItems } from './checks/store.js';
import { backfillProcessSteps } from './catalogue/process-steps.js';
import type { Role } from './domain/vocabulary.js';
import { DISPOSITIONS, IMPORT_MESSAGES, JOB_STAGES, shownValue, PROPOSAL_KINDS_SHORT, ROLES, label } from './domain/labels.js';
import { createQueueRepository } from '../db/queries/review/queue.js';
import { listDepartments } from '../db/queries/catalogue.js';
import { resolvePrerequisites } from './analysis/prerequisites.js';
import { REVIEW_STATES, REVIEW_STATE_CODES, type ReviewState } from './review/states.js';

export const USAGE = `用法：npx catalogue <命令> [选项]

命令：
  serve                                  启动网站（同 npm start）
  migrate                                执行数据库迁移
  seed --demo                            在空数据库中生成演示区县目录和演示账号
  stats [--version N|latest] [--department CODE] [--json]
                                         统计看板的数字（事项类型、处理意见、精简率、即办件、时限、检查问题、目标进度）；
                                         不给 --version 时统计工作目录；--json 与 /api/v1/stats 相同
  department add --code C --name N [--level district] [--parent CODE]
                                         新增部门
  user add --username U --role R [--department CODE] [--display-name N] [--password-stdin]
                                         新增账号（角色：${ROLE_CODES.join(' / ')}）；不给密码时生成随机密码并显示
  user edit --username U [--display-name N] [--role R] [--department CODE]
                                         修改账号的姓名、角色、所属部门（未给出的保持不变）
  user disable --username U              停用账号：不能再登录，正在使用的登录立即失效
  user enable --username U               重新启用账号
  user reset-password --username U [--json]
                                         生成一次性密码并显示（只显示这一次），本人登录后须先修改密码
  user passwd --username U               从标准输入读取新密码并设为该账号的密码（不要求本人再修改）
  audit verify                           逐条校验审计日志哈希链，损坏时退出码为 1
  check [--department CODE] [--json]     对工作目录运行全部依据检查规则，列出问题
  review list [--state STATE] [--department CODE] [--json]
                                         列出审核队列中的申报事项（不含已撤回的）；状态：${REVIEW_STATE_CODES.join(' / ')}
  publish --title T [--effective YYYY-MM-DD] [--note N] [--user U] [--json]
                                         把工作目录发布为新的不可更改版本；--json 输出 {"version","hash","items","changed"}
  verify [--version N|latest|--all] [--json]
                                         重新计算版本的 SHA-256 并逐一核对已发布数据表的每个字段，有不符时退出码为 1
  export --version N|latest --format xlsx|csv|json|jsonld --out FILE
                                         导出某一版本的目录
  export-site --version N|latest --out DIR [--json]
                                         把某一版本的公开网站导出为静态文件（HTML、JSON、下载文件、浏览器内搜索）
  backup --out DIR [--json]              把数据库（在线备份，服务器运行时也可执行）和全部上传文件备份到新文件夹 DIR
  restore --from DIR [--db PATH] [--json]
                                         从备份恢复：先检查完整性、审计日志哈希链和每个已发布版本的哈希，
                                         全部通过才替换数据库（原数据库保留为 .before-restore-时间）；须先停止服务器
  import FILE [--department CODE] [--dry-run | --baseline] [--complete | --partial] [--accept-reverts] [--json] [--user U] [--map 名称=CODE ...]
         [--column "表头=列名" ...] [--value "列名:文件中的值=目录中的值" ...]
                                         导入事项清单（.xlsx / .csv）。不加参数时作为申报提交审核；
                                         --dry-run 只出报告；--baseline 直接载入工作目录（仅法制办、管理员）。
                                         --complete 文件是本部门的完整清单：目录中有、文件中没有的事项作为“拟取消”申报；
                                         --partial（默认）只申报文件中的事项。
                                         --column 指出文件的某列是模板中的哪一列（列名如“事项名称”，或“忽略”），
                                         例如 --column "服务事项=事项名称"；--value 把文件中的值读作目录中的值，
                                         例如 --value "事项类型:其他权力类型=其他行政权力"。两者都可重复；
                                         网页上或命令行为本部门同样表头保存过的对应关系也会自动套用（试导入不保存）。
                                         --accept-reverts 文件中下载模板后已改变的字段仍按文件中的旧值申报（默认不申报并逐行列出）。
                                         读取成功退出码 0（即使有行错误），文件被拒绝退出码 2
  registry import FILE [--yes] [--json] [--user U]
                                         批量导入法律依据（.xlsx / .csv，列名同导出）：先列出新增、有变化（逐字段）、无变化的依据；
                                         加 --yes 才写入，写入后重新检查引用这些依据的事项。文件被拒绝退出码 2
  registry export --out FILE             导出法规库（.xlsx；文件名以 .csv 结尾时为 CSV）

全局选项：
  --db PATH                              数据库文件（默认取 CATALOGUE_DB，再默认 data/catalogue.db）
  --help                                 显示本帮助
`;

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  readStdin: () => Promise<string>;
  /**
   * Writes part of a line (a long output written as it is made), settling once the text is taken, so that
   * a slow reader holds the writer back instead of the text piling up in memory; without it, the parts
   * are joined and given to `out`.
   */
  write?: (text: string) => Promise<void>;
}

const defaultIo: Io = {
  write: (t) => new Promise<void>((resolve) => (process.stdout.write(t) ? resolve() : process.stdout.once('drain', () => resolve()))),
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};


// What only some commands use is loaded by them: an import (the command a department runs on its
// largest files) starts without the exporters, the views, the publication and their packages (exceljs).
const publication = () => import('./publication/publish.js');
const services = () => import('./services.js');

/** Work done from the command line is recorded as the operating-system user. */
const cliActor = (): Actor => ({ id: null, name: `cli:${process.env.USER ?? 'unknown'}` });

/** The version --version names (N or latest; latest when absent), or null after saying why. */
async function versionOf(db: Db, spec: string | undefined, io: Io): Promise<VersionInfo | null> {
  const { latestVersionNumber } = await publication();
  const { getVersion } = await import('./publication/reader.js');
  const latest = latestVersionNumber(db);
  const n = spec === undefined || spec === 'latest' ? latest : Number(spec);
  const version = n !== null && Number.isSafeInteger(n) ? getVersion(db, n) : null;
  if (!version) io.err(latest === null ? '还没有发布任何版本。' : `没有第 ${spec} 版。`);
  return version;
}

/**
 * Runs the command `argv` names. `reader`: the reading child an import's file was given before this code
 * loaded (server/cli.ts), or null.
 */
export async function runCommand(argv: string[], io: Io = defaultIo, env = process.env, reader: Promise<Reader | null> | null = null): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    io.err(`参数错误：${(e as Error).message}`);
    io.err(USAGE);
    return 2;
  }
  const { values: opts, positionals } = parsed;
  const [command, sub] = positionals;
  if (opts.help || !command) {
    io.out(USAGE);
    return command || opts.help ? 0 : 2;
  }
  let config: Config;
  try {
    config = parseConfig({ ...env, ...(opts.db ? { CATALOGUE_DB: opts.db } : {}) });
  } catch (e) {
    io.err((e as ConfigError).message);
    return 2;
  }
  /** The connections a command opened: closed when it ends (the test suite and scripts call main() in-process). */
  const opened: Db[] = [];
  const open = (): Db => {
    const db = openDurable(config.dbPath);
    opened.push(db);
    return db;
  };
  try {
    switch (command) {
      case 'serve': {
        const { startServer } = await import('./main.js');
        try {
          await startServer(config);
        } catch (e) {
          // The start-up check's reason, in Chinese, without a stack; its exit code names the cause.
          if (!(e instanceof StartupFailure)) throw e;
          io.err(e.message);
          return e.exitCode;
        }
        return await new Promise<number>(() => undefined); // runs until stopped
      }
      case 'backup': {
        if (!opts.out) {
          io.err('请用 --out DIR 指定备份文件夹（须是尚不存在的新文件夹）。');
          return 2;
        }
        if (!existsSync(config.dbPath)) {
          io.err(`找不到数据库文件：${config.dbPath}`);
          return 2;
        }
        const { createBackup } = await import('./operations/backup.js');
        const db = openDurable(config.dbPath, { migrate: false });
        try {
          const manifest = await createBackup(db, config.uploadsDir, opts.out);
          if (opts.json) io.out(JSON.stringify({ out: opts.out, ...manifest }));
          else {
            io.out(OPERATIONS.backupDone(opts.out, manifest.database.bytes, manifest.uploads.count));
            if (manifest.uploads.missing.length) io.err(OPERATIONS.backupMissingUploads(manifest.uploads.missing.length));
          }
          return 0;
        } catch (e) {
          return await refused(e, io, opts.json);
        } finally {
          db.$client.close();
        }
      }
      case 'restore': {
        if (!opts.from) {
          io.err('请用 --from DIR 指定 catalogue backup 生成的备份文件夹。');
          return 2;
        }
        try {
          const { restoreBackup } = await import('./operations/backup.js');
          const result = await restoreBackup(opts.from, config.dbPath, config.uploadsDir);
          if (opts.json) io.out(JSON.stringify(result));
          else {
            io.out(OPERATIONS.restoreDone(config.dbPath, result.kept));
            if (result.missingUploads) io.err(OPERATIONS.restoreMissingUploads(result.missingUploads));
          }
          return 0;
        } catch (e) {
          return await refused(e, io, opts.json);
        }
      }
      case 'migrate': {
        // Migrations, then the shipped registry: reported here, with what a person's edits kept back.
        const db = openDurable(config.dbPath, { registry: false });
        const sync = syncShippedRegistry(db);
        db.$client.close();
        if (opts.json) {
          io.out(JSON.stringify(sync));
          return 0;
        }
        io.out(`数据库已迁移到最新结构：${config.dbPath}`);
        for (const line of registrySyncLines(sync)) io.out(line);
        return 0;
      }
      case 'seed': {
        if (!opts.demo) {
          io.err('请指定要生成的数据：seed --demo');
          return 2;
        }
        const db = open();
        const registry = loadRegistry(db);
        if (!catalogueIsEmpty(db)) {
          io.err('数据库中已有部门、事项或账号，演示数据只能生成在空数据库中，未做任何改动。');
          return 1;
        }
        const { seedDemo } = await import('../db/seed/demo.js');
        const seeded = seedDemo(db);
        backfillProcessSteps(db);
        const accounts = await createDemoAccounts(db);
        recheckItems(checkDeps(db), null);
        const result = { registry, ...seeded, accounts };
        io.out(opts.json ? JSON.stringify(result) : `已生成演示目录：${seeded.departments} 个部门，${seeded.items} 项事项，${accounts} 个演示账号`);
        return 0;
      }
      case 'stats': {
        // The dashboard's figures (the same JSON as /api/v1/stats), for the working catalogue or --version N|latest.
        const db = open();
        const { latestVersionNumber } = await publication();
        const { createServices } = await services();
        const { statsFor, statsLines } = await import('./analysis/stats.js');
        const version = opts.version === undefined ? null : opts.version === 'latest' ? latestVersionNumber(db) : /^[1-9]\d{0,8}$/.test(opts.version) ? Number(opts.version) : NaN;
        if (Number.isNaN(version) || (opts.version === 'latest' && version === null)) {
          io.err(opts.version === 'latest' ? '还没有发布任何版本。' : '请用 --version N 指定版本号（正整数，或 latest）。');
          return 2;
        }
        const stats = statsFor(createServices(db, config), { version, department: opts.department ?? null, includeFlags: true });
        if (opts.json) io.out(JSON.stringify(stats));
        else for (const line of statsLines(stats)) io.out(line);
        return 0;
      }
      case 'department': {
        if (sub !== 'add') return unknown(io, `department ${sub ?? ''}`);
        const created = createDepartment(open(), cliActor(), {
          code: opts.code,
          name: opts.name,
          level: opts.level ?? 'district',
          parentCode: opts.parent,
        });
        io.out(opts.json ? JSON.stringify(created) : `已新增部门 ${created.code}`);
        return 0;
      }
      case 'user': {
        if (sub !== 'add') return await userUpkeep(open, sub, opts, io);
        const generated = !opts['password-stdin'];
        const password = generated ? randomBytes(12).toString('base64url') : (await io.readStdin()).replace(/\r?\n$/, '');
        const created = await createUser(open(), cliActor(), {
          username: opts.username,
          displayName: opts['display-name'],
          password,
          role: opts.role,
          departmentCode: opts.department,
        });
        if (opts.json) io.out(JSON.stringify({ ...created, ...(generated ? { password } : {}) }));
        else io.out(`已新增账号 ${created.username}（${created.role}）${generated ? `，初始密码：${password}` : ''}`);
        return 0;
      }
      case 'audit': {
        if (sub !== 'verify') return unknown(io, `audit ${sub ?? ''}`);
        const result = verifyAuditLog(open());
        if (opts.json) io.out(JSON.stringify(result));
        else if (result.ok) io.out(`审计日志完整：共 ${result.entries} 条记录，哈希链无断裂。`);
        else {
          io.err(`审计日志已损坏（共 ${result.entries} 条记录）：`);
          for (const p of result.problems) io.err(`  - ${p}`);
        }
        return result.ok ? 0 : 1;
      }
      case 'check': {
        const db = open();
        // Items kept before process steps were stored get theirs from their 办理流程 text first.
        backfillProcessSteps(db);
        // Prerequisites written before the item they name was added (or renamed) find it now.
        resolvePrerequisites(db);
        // Re-check and store the flags (the work list and item pages read them), then report them.
        const ids = opts.department ? liveItemIdsOfDepartment(db, opts.department.toUpperCase()) : null;
        const deps = checkDeps(db);
        const ctx = buildCheckContext(deps, { scope: 'catalogue' });
        const showProgress = process.stderr.isTTY && !opts.json;
        const total = ids?.length ?? liveItemCount(db);
        const result = recheckItems(deps, ids, ctx, showProgress ? (done) => process.stderr.write(`\r${JOB_STAGES.checking}：${done} / ${total} 项…`) : undefined);
        if (showProgress) process.stderr.write('\n');
        const flags = storedFindings(db, opts.department?.toUpperCase() ?? null);
        // Open submissions are checked too (not stored: the review shows them with the proposal).
        let proposals = 0;
        for (const s of checkOpenSubmissions(deps, { department: opts.department?.toUpperCase() ?? null, ctx })) {
          proposals++;
          for (const f of s.findings) {
            flags.push({ item: s.itemCode, name: s.name, department: s.departmentName, rule: f.rule, severity: f.severity, message: f.message, suggestion: f.suggestionText, ground: f.ground, submission: s.submissionId });
          }
        }
        if (opts.json) io.out(JSON.stringify({ items: result.items, proposals, flags }));
        else {
          io.out(`检查了 ${result.items} 项事项和 ${proposals} 条待审申报，发现 ${flags.length} 个问题（${result.changed.length} 项事项的检查结果与上次不同）。`);
          for (const f of flags.slice(0, 200)) io.out(`  [${f.rule}] ${f.department} · ${f.name}：${f.message}`);
          if (flags.length > 200) io.out(`  ……其余 ${flags.length - 200} 个问题请用 --json 查看`);
        }
        return 0;
      }
      case 'registry': {
        const db = open();
        const { applyRegistryImport, previewRegistryImport, readRegistryFile, writeRegistryExport } = await import('./catalogue/registry-transfer.js');
        if (sub === 'export') {
          if (!opts.out) {
            io.err('请用 --out FILE 指定导出文件（.xlsx 或 .csv）。');
            return 2;
          }
          const n = await writeRegistryExport(db, opts.out);
          io.out(`已导出 ${n} 条法律依据：${opts.out}`);
          return 0;
        }
        if (sub !== 'import') return unknown(io, `registry ${sub ?? ''}`);
        const file = positionals[2];
        if (!file || !existsSync(file)) {
          io.err(file ? `找不到文件：${file}` : '请指定要导入的文件：registry import FILE');
          return 2;
        }
        const user = actingUser(db, opts.user ?? env.CATALOGUE_USER, io);
        if (user === undefined) return 2;
        if (user && !can(user, 'update:instrument')) {
          io.err('只有法制办和管理员可以导入法律依据。');
          return 1;
        }
        const actor = user ? { id: user.id, name: user.username } : cliActor();
        let rows;
        let preview;
        try {
          rows = await readRegistryFile(file);
          preview = previewRegistryImport(db, rows);
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          io.err(e.message);
          return 2;
        }
        if (!opts.yes) {
          if (opts.json) io.out(JSON.stringify({ ...preview, applied: false }));
          else {
            io.out(`新增 ${preview.added.length} 条，有变化 ${preview.changed.length} 条，无变化 ${preview.unchanged} 条。`);
            for (const a of preview.added.slice(0, 200)) io.out(`  新增 ${a.where}《${a.title}》${a.rank}${a.documentNumber ? ` ${a.documentNumber}` : ''}`);
            for (const c of preview.changed.slice(0, 200)) io.out(`  变化 ${c.where}《${c.title}》（编号 ${c.id}）：${c.changes.map((x) => `${x.name} ${x.before || '（空）'} → ${x.after || '（空）'}`).join('；')}`);
            io.out('未写入。确认无误后加 --yes 导入。');
          }
          return 0;
        }
        const result = applyRegistryImport(db, actor, rows, { fileName: basename(file) });
        const { createServices } = await services();
        const running = createServices(db, config, { jobs: 'inline' });
        const job = running.jobs.submit('registry_recheck', { instrumentIds: result.instrumentIds }, actor);
        const done = await running.jobs.wait(job.id);
        const recheck = done.result ?? {};
        if (opts.json) io.out(JSON.stringify({ ...preview, applied: true, ...result, recheck }));
        else io.out(`已导入：新增 ${result.added} 条，修改 ${result.changed} 条，无变化 ${result.unchanged} 条；重新检查了引用这些依据的 ${String(recheck.items ?? 0)} 项事项。`);
        return 0;
      }
      case 'publish': {
        const db = open();
        const user = actingUser(db, opts.user ?? env.CATALOGUE_USER, io);
        if (user === undefined) return 2;
        if (user && !can(user, 'publish:catalogue')) {
          io.err('只有管理员和法制办可以发布目录版本。');
          return 1;
        }
        const showProgress = process.stderr.isTTY;
        const { publishVersion } = await publication();
        const { createServices } = await services();
        const result = publishVersion(
          createServices(db, config, { jobs: 'inline' }),
          user ? { id: user.id, name: user.username } : cliActor(),
          { title: opts.title, effectiveOn: opts.effective, note: opts.note },
          { onProgress: showProgress ? (done, total, stage) => process.stderr.write(`\r${JOB_STAGES[stage]}：${done} / ${total} 项…`) : undefined },
        );
        if (showProgress) process.stderr.write('\n');
        if (opts.json) io.out(JSON.stringify({ version: result.version, hash: result.hash, items: result.items, changed: result.changed }));
        else io.out(`已发布第 ${result.version} 版：${result.items} 项事项，较上一版新增 ${result.added}、变更 ${result.changed - result.added - result.removed}、移出 ${result.removed}。\nSHA-256：${result.hash}`);
        return 0;
      }
      case 'verify': {
        const db = open();
        const { latestVersionNumber, verifyVersion } = await publication();
        const latest = latestVersionNumber(db);
        const n = opts.version === undefined || opts.version === 'latest' ? latest : Number(opts.version);
        if (latest === null || (!opts.all && (n === null || !Number.isSafeInteger(n) || n < 1))) {
          io.err(latest === null ? '还没有发布任何版本。' : '请用 --version N 指定版本号（或 latest），或用 --all 校验全部版本。');
          return 2;
        }
        const results = verifyVersions(db, opts.all ? allVersionNumbers(db) : [n!]);
        if (opts.json) io.out(JSON.stringify(opts.all ? results : results[0]));
        else {
          // Problems of the published tables as a whole are found for every version: said once.
          const said = new Set<string>();
          for (const result of results) {
            if (result.ok) {
              io.out(VERIFY_MESSAGES.intact(result.version, result.items, result.storedHash));
              continue;
            }
            io.err(VERIFY_MESSAGES.failed(result.version));
            for (const problem of result.problems) {
              const line = `  ${problem.message}${problem.columns.length ? VERIFY_MESSAGES.columns(problem.columns) : ''}`;
              if (said.has(line)) continue;
              said.add(line);
              io.err(line);
            }
          }
        }
        return results.every((r) => r.ok) ? 0 : 1;
      }
      case 'export': {
        const db = open();
        const version = await versionOf(db, opts.version, io);
        if (!version) return 2;
        const { EXPORT_FORMATS, exportVersion } = await import('../exports/version-export.js');
        const format = (opts.format ?? 'xlsx') as ExportFormat;
        if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
          io.err(`不支持的格式：${format}（可选 ${EXPORT_FORMATS.join(' / ')}）`);
          return 2;
        }
        if (!opts.out) {
          io.err('请用 --out FILE 指定输出文件。');
          return 2;
        }
        const out = createWriteStream(opts.out);
        const finished = new Promise<void>((resolve, reject) => {
          out.on('close', () => resolve());
          out.on('error', reject);
        });
        const items = await exportVersion(db, version, format, out);
        await finished;
        io.out(opts.json ? JSON.stringify({ version: version.number, format, items, out: opts.out }) : `已导出第 ${version.number} 版 ${items} 项事项到 ${opts.out}`);
        return 0;
      }
      case 'export-site': {
        const db = open();
        const version = await versionOf(db, opts.version, io);
        if (!version) return 2;
        if (!opts.out) {
          io.err('请用 --out DIR 指定输出目录。');
          return 2;
        }
        const { exportStaticSite } = await import('../exports/static-site.js');
        const { createViewEngine } = await import('./views/engine.js');
        const { createServices } = await services();
        const site = await exportStaticSite(createServices(db, config), version, opts.out, createViewEngine(), { pageSize: config.pageSize, progress: opts.json ? undefined : io.out });
        const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
        if (opts.json) io.out(JSON.stringify({ version: version.number, out: opts.out, ...site, peakRssMb: peakMb }));
        else
          io.out(
            `已导出第 ${version.number} 版静态网站到 ${opts.out}：${site.items} 项事项、${site.departments} 个部门、${site.categories} 个事项类型，` +
              `${site.pages} 个页面，共 ${site.files} 个文件（${(site.bytes / 1048576).toFixed(1)} MB），用时 ${site.seconds.toFixed(1)} 秒，内存峰值 ${peakMb} MB。`,
          );
        return 0;
      }
      case 'review': {
        if (sub !== 'list') return unknown(io, `review ${sub ?? ''}`);
        return reviewListCommand(open(), opts, io);
      }
      case 'import': {
        if (!sub) {
          io.err('请给出要导入的文件：npx catalogue import FILE');
          return 2;
        }
        return await importCommand(open(), config, sub, opts, io, env, reader);
      }
      default:
        return unknown(io, command);
    }
  } catch (e) {
    if (e instanceof AppError) {
      const fields = Object.values(e.fields);
      io.err(`${e.message}${fields.length ? `\n  - ${fields.join('\n  - ')}` : ''}`);
      return 1;
    }
    // A read-only, damaged, locked or full database: the same Chinese reason and exit code as at start-up.
    if (startupCause(e, null) !== null) {
      const failure = startupFailure(e, config.dbPath, 'ioError');
      io.err(failure.message);
      return failure.exitCode;
    }
    throw e;
  } finally {
    for (const db of opened) if (db.$client.open) db.$client.close();
  }
}

async function importCommand(
  db: Db,
  config: Config,
  file: string,
  opts: { department?: string; 'dry-run'?: boolean; baseline?: boolean; complete?: boolean; partial?: boolean; 'accept-reverts'?: boolean; json?: boolean; user?: string; map?: string[]; column?: string[]; value?: string[] },
  io: Io,
  env: Record<string, string | undefined>,
  reader: Promise<Reader | null> | null,
): Promise<number> {
  if (opts['dry-run'] && opts.baseline) {
    io.err('--dry-run 与 --baseline 不能同时使用。');
    return 2;
  }
  if (opts.complete && opts.partial) {
    io.err('--complete 与 --partial 不能同时使用。');
    return 2;
  }
  if (!existsSync(file)) {
    io.err(`找不到文件：${file}`);
    return 2;
  }
  const user = actingUser(db, opts.user ?? env.CATALOGUE_USER, io);
  if (user === undefined) return 2;
  const mode = opts['dry-run'] ? 'dry_run' : opts.baseline ? 'baseline' : 'submission';
  const departmentCode = opts.department ?? (user && isOwnScoped(user, 'create:import') ? user.departmentCode : null);
  const actor: Actor = user ? { id: user.id, name: user.username } : cliActor();
  const showProgress = !opts.json && process.stderr.isTTY;
  // Rows stream through: staged in order, looked up by index, copied into the submission by SQL.
  setPageCacheKb(db, 4096);
  // Batches of rows pass through this process and die; with V8's default heap growth (up to 4× the live heap
  // between full collections) their remains piled up to 240 MB in a 100,000-row import, 175 MB with 30%.
  // The flag is read at each collection, so setting it now takes effect.
  setFlagsFromString('--heap-growing-percent=30');
  const deps = { db, importRepository: createImportRepository({ db }) };
  let mapping: ReadMapping;
  try {
    const repo = deps.importRepository;
    const departmentCodeOf = (text: string) => repo.departmentByCode(text.toUpperCase())?.code ?? repo.departmentNames().find((d) => d.name === text || d.aliases.includes(text))?.code ?? null;
    mapping = mappingFromFlags(opts.column ?? [], opts.value ?? [], departmentCodeOf);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    io.err(e.message);
    return 2;
  }
  const report = await runImport(
    deps,
    config,
    // Errors and warnings are read a row at a time when printed (below), not held in the report.
    { path: file, originalName: basename(file), departmentCode: departmentCode ?? null, mode, complete: !!opts.complete, actor, subject: user, mapping, issuesApart: mode !== 'dry_run', reader },
    { onProgress: showProgress ? (rows) => process.stderr.write(`\r已读取 ${rows} 行…`) : undefined },
  );
  const importId = report.importId;
  const staged = mode !== 'dry_run' && importId !== null;
  const firstIssues = (kind: 'errors' | 'warnings', n: number): Issue[] => {
    if (!staged) return report[kind].slice(0, n);
    const out: Issue[] = [];
    for (const issue of reportIssues(deps.importRepository, importId, kind)) {
      if (out.length === n) break;
      out.push(issue);
    }
    return out;
  };
  const issueCount = (kind: 'errors' | 'warnings'): number => (staged ? deps.importRepository.issueCount(importId, kind) : report[kind].length);
  const issueTexts = (kind: 'errors' | 'warnings'): Iterable<string> => (staged ? deps.importRepository.issueTexts(importId, kind) : report[kind].map((i) => JSON.stringify(i)));
  if (showProgress) process.stderr.write('\n');
  if (report.status === 'refused') {
    io.err(`文件未被接受：${report.refusal?.message ?? ''}`);
    if (opts.json) io.out(JSON.stringify({ refused: report.refusal }));
    return 2;
  }
  // A mapping given on the command line is remembered like one chosen in the preview (not for a trial run).
  if (mode !== 'dry_run' && report.importId !== null && !report.needsMapping) rememberGivenMapping(deps, report.importId, mapping, actor);
  if (report.needsMapping) {
    // Nothing was read: say which headers the file has and how to name its item column.
    if (report.importId !== null) discardImport(deps, report.importId, actor, user!);
    const headers = report.layouts.map((l) => `工作表“${l.sheet}”第 ${l.headerRow} 行：${l.columns.map((c) => c.header).join('、')}`);
    io.err(
      `文件未被接受：找不到表头行中的“事项名称”列，未读取任何事项。\n  ${headers.join('\n  ')}\n` +
        '请用 --column "表头=列名" 指出哪一列是事项名称（以及其他列），例如 --column "服务事项=事项名称"；或在网页上传后在预览中对应各列。',
    );
    if (opts.json) io.out(JSON.stringify({ refused: { code: 'sheet.no_header', message: '找不到表头行' }, layouts: report.layouts }));
    return 2;
  }
  let confirmed: ConfirmResult | null = null;
  // Confirming writes every proposal again; its log is copied into the database file by a thread of its
  // own while the report is printed, instead of at the commit or when the connection closes (a third of
  // a second at 100,000 rows, npm run bench:import).
  const checkpoints = mode !== 'dry_run' && report.importId !== null ? checkpointInBackground(db, new CheckpointPauses()) : null;
  try {
    return await confirmAndReport();
  } finally {
    await checkpoints?.stop();
  }

  async function confirmAndReport(): Promise<number> {
    if (mode !== 'dry_run' && report.importId !== null) {
      const mapping = Object.fromEntries((opts.map ?? []).map((m) => m.split('=').map((p) => p.trim()) as [string, string]));
      try {
        // --complete is the person's explicit word that what the file lacks is to be proposed for cancellation.
        const acceptReverts = opts['accept-reverts'] ? deps.importRepository.revertRows(report.importId, Number.MAX_SAFE_INTEGER).rows.map((r) => r.id) : [];
        confirmed = confirmImport(deps, report.importId, actor, user!, mapping, { confirmCancellations: !!opts.complete, acceptReverts });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        // Printed before the discard clears the staged rows the errors and warnings are read from.
        if (opts.json) await printImportJson(io, summary(report), issueTexts);
        discardImport(deps, report.importId, actor, user!);
        const departmentsHint = report.unknownDepartments.length ? '可用 --map "文件中的部门名=部门编码" 指定对应关系，或 --map "部门名=new:新编码" 新建部门。' : '';
        io.err(`${e.message}\n未保存任何内容。${departmentsHint}`);
        return 1;
      }
    }
    if (opts.json) await printImportJson(io, { ...summary(report), ...(confirmed ? { submissions: confirmed.submissions, applied: confirmed.applied } : {}) }, issueTexts);
    else {
      io.out(
        `读取 ${report.rows} 行，有效事项 ${report.items} 项：新增 ${report.new}，变更 ${report.changed}，未变 ${report.unchanged}，` +
          `${report.complete ? `清单中缺少 ${report.missing}（作为“拟取消”申报），` : ''}无设定依据 ${report.noBasis}`,
      );
      if (!report.complete) io.out(IMPORT_MESSAGES.partialNote);
      if (report.reverts && report.importId !== null) {
        io.out(`${IMPORT_MESSAGES.revertsTitle(report.reverts)}：`);
        for (const r of deps.importRepository.revertRows(report.importId, 50).rows)
          for (const c of r.reverts) io.out(IMPORT_MESSAGES.revertLine(r.sheet, r.rowNumber, r.name ?? '', c.label, shownValue(c.field, c.before), shownValue(c.field, c.after)));
        if (report.reverts > 50) io.out(`  ……共 ${report.reverts} 行`);
        io.out(opts['accept-reverts'] && mode !== 'dry_run' ? IMPORT_MESSAGES.revertsAccepted(report.reverts) : IMPORT_MESSAGES.revertsCliHint);
      }
      if (report.previousUpload) io.out(`注意：${IMPORT_MESSAGES.previousUpload(report.previousUpload)}`);
      // The first 50 of each, and how many there are (counted, not read: an upload may warn on every row).
      for (const e of firstIssues('errors', 50)) io.out(`  错误 ${e.sheet} 第 ${e.row} 行 [${e.column}]：${e.message}${cellNote(e.cell)}`);
      const errorCount = issueCount('errors');
      if (errorCount > 50) io.out(`  ……共 ${errorCount} 条错误`);
      for (const w of firstIssues('warnings', 50)) io.out(`  提示 ${w.sheet} 第 ${w.row} 行 [${w.column}]：${w.message}${cellNote(w.cell)}`);
      const warningCount = issueCount('warnings');
      if (warningCount > 50) io.out(`  ……共 ${warningCount} 条提示`);
      if (confirmed?.submissions.length) io.out(`已提交申报：${confirmed.submissions.map((s) => `#${s.id}（${s.items} 项）`).join('、')}`);
      if (confirmed?.applied) io.out(`已载入工作目录：新增 ${confirmed.applied.created} 项，更新 ${confirmed.applied.updated} 项`);
      if (mode === 'dry_run') io.out('试导入：未保存任何内容。');
    }
    return 0;
  }
}

/**
 * Prints an import's JSON report on one line, its errors and warnings written as they are read (an upload
 * may carry one on each of a million rows): the same text as JSON.stringify of the whole report.
 */
async function printImportJson(io: Io, report: Record<string, unknown>, issues: (kind: 'errors' | 'warnings') => Iterable<string>): Promise<void> {
  // The two lists' places in the report's text: each marked by a string no report field holds before it.
  const mark = (kind: string) => `\u0000${kind}\u0000`;
  const text = JSON.stringify({ ...report, errors: mark('errors'), warnings: mark('warnings') });
  const parts: string[] = [];
  let pending = 0;
  const write = (piece: string) => {
    parts.push(piece);
    pending += piece.length;
  };
  // Written out every 64 K characters (each issue waited for its own turn: a hundred thousand waits).
  const flush = async (whenFull: boolean) => {
    if (!io.write || (whenFull && pending < 1 << 16)) return;
    const chunk = parts.join('');
    parts.length = 0;
    pending = 0;
    await io.write(chunk);
  };
  let at = 0;
  for (const kind of ['errors', 'warnings'] as const) {
    const marked = JSON.stringify(mark(kind));
    const where = text.indexOf(marked, at);
    write(text.slice(at, where));
    write('[');
    let first = true;
    for (const issue of issues(kind)) {
      write(first ? issue : `,${issue}`);
      first = false;
      if (pending >= 1 << 16) await flush(true);
    }
    write(']');
    at = where + marked.length;
  }
  write(text.slice(at));
  write('\n');
  if (io.write) await flush(false);
  else io.out(parts.join('').slice(0, -1));
}

/** The cell an error or warning is about, as the file has it (long cells cut). */
const cellNote = (cell: string | undefined) => (cell === undefined ? '' : `（单元格：“${cell.length > 60 ? `${cell.slice(0, 60)}…` : cell}”）`);

const summary = (r: ImportReport) => ({
  complete: r.complete,
  reverts: r.reverts,
  rows: r.rows,
  items: r.items,
  errors: r.errors,
  new: r.new,
  changed: r.changed,
  missing: r.missing,
  noBasis: r.noBasis,
  unchanged: r.unchanged,
  warnings: r.warnings,
  unknownDepartments: r.unknownDepartments,
  unrecognised: r.unrecognised,
  importId: r.importId,
  sha256: r.sha256,
  previousUpload: r.previousUpload,
});


/** The review queue as the legal office's queue page lists it, unpaged. */
function reviewListCommand(db: Db, opts: { state?: string; department?: string; json?: boolean }, io: Io): number {
  const state = opts.state?.trim();
  if (state !== undefined && !(REVIEW_STATE_CODES as readonly string[]).includes(state)) {
    io.err(`未知的审核状态：${state}。可用的状态：${REVIEW_STATE_CODES.map((s) => `${s}（${REVIEW_STATES[s]}）`).join('、')}`);
    return 1;
  }
  const department = opts.department?.trim().toUpperCase();
  if (department !== undefined && !listDepartments(db).some((d) => d.code === department)) {
    io.err(`部门编码 ${department} 不存在。`);
    return 1;
  }
  const { rows } = createQueueRepository(db).list({ state, department, page: 1, pageSize: Number.MAX_SAFE_INTEGER });
  const items = rows.map((r) => ({
    id: r.id,
    submission: r.submissionId,
    department: r.departmentCode,
    departmentName: r.departmentName,
    itemCode: r.itemCode,
    name: r.name,
    kind: r.kind,
    state: r.state,
    disposition: r.disposition,
    flags: r.flagRules,
    overridden: r.overridden,
  }));
  if (opts.json) {
    io.out(JSON.stringify({ items }));
    return 0;
  }
  io.out(`审核队列中共 ${items.length} 项${state ? `（${REVIEW_STATES[state as ReviewState]}）` : ''}${department ? `，部门 ${department}` : ''}：`);
  for (const i of items) {
    const flags = i.flags.map((f) => (i.overridden.includes(f) ? `${f}(已排除)` : f)).join(',');
    io.out(
      [`#${i.id}`, `申报#${i.submission}`, i.department, i.name ?? '', PROPOSAL_KINDS_SHORT[i.kind], REVIEW_STATES[i.state as ReviewState] ?? i.state, label(DISPOSITIONS, i.disposition) || '-', flags ? `[${flags}]` : ''].join('\t').trimEnd(),
    );
  }
  return 0;
}

/** `user edit | disable | enable | reset-password | passwd`: the admin's account upkeep, from the command line. */
async function userUpkeep(open: () => Db, sub: string | undefined, opts: { username?: string; 'display-name'?: string; role?: string; department?: string; json?: boolean }, io: Io): Promise<number> {
  if (!sub || !['edit', 'disable', 'enable', 'reset-password', 'passwd'].includes(sub)) return unknown(io, `user ${sub ?? ''}`);
  if (!opts.username) {
    io.err('请用 --username 指定账号。');
    return 2;
  }
  const db = open();
  const username = opts.username;
  const current = accountByUsername(db, username);
  if (!current) {
    io.err(`账号 ${username} 不存在。`);
    return 1;
  }
  const say = (text: string, json: object) => io.out(opts.json ? JSON.stringify(json) : text);
  switch (sub) {
    case 'edit': {
      const role = opts.role ?? current.role;
      const edited = editUser(db, cliActor(), username, {
        displayName: opts['display-name'] ?? current.displayName,
        role,
        departmentCode: opts.department ?? (role === current.role ? (current.departmentCode ?? '') : ''),
      });
      say(`已修改账号 ${username}：${edited.displayName}，${label(ROLES, edited.role)}${edited.departmentCode ? `，${edited.departmentCode}` : ''}`, {
        username,
        displayName: edited.displayName,
        role: edited.role,
        departmentCode: edited.departmentCode,
      });
      return 0;
    }
    case 'disable':
    case 'enable': {
      setUserDisabled(db, cliActor(), username, sub === 'disable');
      say(sub === 'disable' ? `已停用账号 ${username}，其登录已全部退出。` : `已重新启用账号 ${username}。`, { username, disabled: sub === 'disable' });
      return 0;
    }
    case 'reset-password': {
      const { password } = await resetPassword(db, cliActor(), username);
      say(`已重置账号 ${username} 的密码。一次性密码：${password}（只显示这一次；本人登录后须先修改密码）`, { username, password, mustChangePassword: true });
      return 0;
    }
    default: {
      const password = (await io.readStdin()).replace(/\r?\n$/, '');
      await setPassword(db, cliActor(), username, password);
      say(`已设置账号 ${username} 的密码。`, { username });
      return 0;
    }
  }
}

/**
 * The account a command acts as (--user, else CATALOGUE_USER): null when none is named; undefined, after
 * saying so, when the named one does not exist or is disabled (the command then exits 2).
 */
function actingUser(db: Db, username: string | undefined, io: Io): ReturnType<typeof findUser> | undefined {
  if (!username) return null;
  const user = findUser(db, username);
  if (!user) io.err(`账号 ${username} 不存在或已停用。`);
  return user ?? undefined;
}

function findUser(db: Db, username: string): (Subject & { id: number; username: string; departmentCode: string | null }) | null {
  return activeUser(db, username);
}

/** A refused backup or restore: its Chinese reason and what was found, exit code per cause. */
async function refused(e: unknown, io: Io, json: boolean | undefined): Promise<number> {
  const { OperationRefused } = await import('./operations/backup.js');
  if (!(e instanceof OperationRefused)) throw e;
  if (json) io.out(JSON.stringify({ refused: e.message, problems: e.problems }));
  io.err(e.message);
  for (const p of e.problems) io.err(`  - ${p}`);
  return e.exitCode;
}

function unknown(io: Io, command: string): number {
  io.err(`未知命令：${command.trim()}\n`);
  io.err(USAGE);
  return 2;
}
