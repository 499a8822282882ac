// The command line: `npx catalogue <command>`. Each command returns an exit code; output in Chinese
// for people, JSON with --json for scripts. Global option: --db PATH (else CATALOGUE_DB, else data/catalogue.db).
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { openDatabase, type Db } from '../db/client.js';
import { verifyAuditLog } from '../db/audit.js';
import { catalogueCounts } from '../db/queries/catalogue.js';
import { loadRegistry } from '../db/seed/registry.js';
import { seedDemo } from '../db/seed/demo.js';
import { createUser } from './auth/accounts.js';
import { createDepartment } from './catalogue/departments.js';
import { ConfigError, parseConfig, type Config } from './config.js';
import { AppError } from './errors.js';
import { catalogueIsEmpty, createDemoAccounts } from './bootstrap.js';
import { CATEGORIES, ROLE_CODES } from './domain/vocabulary.js';
import type { Actor } from '../db/audit.js';

export const USAGE = `用法：npx catalogue <命令> [选项]

命令：
  serve                                  启动网站（同 npm start）
  migrate                                执行数据库迁移
  seed --demo                            在空数据库中生成演示区县目录和演示账号
  stats [--json]                         按部门和事项类型统计事项数
  department add --code C --name N [--level district] [--parent CODE]
                                         新增部门
  user add --username U --role R [--department CODE] [--display-name N] [--password-stdin]
                                         新增账号（角色：${ROLE_CODES.join(' / ')}）；不给密码时生成随机密码并显示
  audit verify                           逐条校验审计日志哈希链，损坏时退出码为 1

全局选项：
  --db PATH                              数据库文件（默认取 CATALOGUE_DB，再默认 data/catalogue.db）
  --help                                 显示本帮助
`;

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  readStdin: () => Promise<string>;
}

const defaultIo: Io = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

const OPTIONS = {
  db: { type: 'string' },
  json: { type: 'boolean' },
  demo: { type: 'boolean' },
  code: { type: 'string' },
  name: { type: 'string' },
  level: { type: 'string' },
  parent: { type: 'string' },
  username: { type: 'string' },
  role: { type: 'string' },
  department: { type: 'string' },
  'display-name': { type: 'string' },
  'password-stdin': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Work done from the command line is recorded as the operating-system user. */
const cliActor = (): Actor => ({ id: null, name: `cli:${process.env.USER ?? 'unknown'}` });

export async function main(argv: string[], io: Io = defaultIo, env = process.env): Promise<number> {
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
  const open = (): Db => openDatabase(config.dbPath);
  try {
    switch (command) {
      case 'serve': {
        const { startServer } = await import('./main.js');
        await startServer(config);
        return await new Promise<number>(() => undefined); // runs until stopped
      }
      case 'migrate': {
        open().$client.close();
        io.out(`数据库已迁移到最新结构：${config.dbPath}`);
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
        const seeded = seedDemo(db);
        const accounts = await createDemoAccounts(db);
        const result = { registry, ...seeded, accounts };
        io.out(opts.json ? JSON.stringify(result) : `已生成演示目录：${seeded.departments} 个部门，${seeded.items} 项事项，${accounts} 个演示账号`);
        return 0;
      }
      case 'stats': {
        const counts = catalogueCounts(open());
        if (opts.json) {
          io.out(JSON.stringify(counts));
        } else {
          io.out(`事项 ${counts.items} 项，部门 ${counts.departments} 个`);
          for (const [code, n] of Object.entries(counts.byCategory)) io.out(`  ${CATEGORIES[code as keyof typeof CATEGORIES] ?? code}\t${n}`);
          for (const d of counts.byDepartment) io.out(`  ${d.code}\t${d.name}\t${d.itemCount}`);
        }
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
        if (sub !== 'add') return unknown(io, `user ${sub ?? ''}`);
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
      default:
        return unknown(io, command);
    }
  } catch (e) {
    if (e instanceof AppError) {
      const fields = Object.values(e.fields);
      io.err(`${e.message}${fields.length ? `\n  - ${fields.join('\n  - ')}` : ''}`);
      return 1;
    }
    throw e;
  }
}

function unknown(io: Io, command: string): number {
  io.err(`未知命令：${command.trim()}\n`);
  io.err(USAGE);
  return 2;
}
