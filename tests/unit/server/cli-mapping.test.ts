// `catalogue import` with --column and --value: a file whose columns nobody listed is read as the flags
// say, values are read as the catalogue's on every row, and a bad flag gets a Chinese message.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { main, type Io } from '../../../server/cli.js';
import { openDatabase } from '../../../db/client.js';
import { PROPOSAL_OF_SI } from '../../../db/queries/review/proposal.js';

let dir: string;
let demoPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-mapping-'));
  demoPath = join(dir, 'demo.db');
  copyFileSync(inject('demoDbPath'), demoPath);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = async (args: string[]) => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = { out: (l) => stdout.push(l), err: (l) => stderr.push(l), readStdin: async () => '' };
  const code = await main(args, io, {});
  return { code, out: stdout.join('\n'), err: stderr.join('\n') };
};

const CSV = '\ufeff平台编号,清单项目,权力类型,监管电话\nu1,公路超限运输许可（命令行映射）,行政许可,12345\nu2,道路运输违法行为的处罚（命令行映射）,行政审查,12345\nu3,出租汽车违规经营的处罚（命令行映射）,行政审查,12345\n';

describe('catalogue import --column --value', () => {
  it('a header nobody listed is read as the column --column names, and --value maps a value on every row', async () => {
    const path = join(dir, 'platform.csv');
    writeFileSync(path, CSV);
    const without = await run(['import', path, '--dry-run', '--department', 'JTYSJ', '--db', demoPath]);
    expect(without.code).toBe(2);
    expect(without.err).toContain('找不到表头');
    expect(without.err).toContain('平台编号、清单项目、权力类型、监管电话');
    expect(without.err).toContain('--column');

    const r = await run([
      'import', path, '--user', 'dept-jt', '--json', '--db', demoPath,
      '--column', '清单项目=事项名称', '--column', '平台编号=忽略', '--value', '事项类型:行政审查=行政处罚',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ rows: 3, items: 3, new: 3, errors: [] });
    const db = openDatabase(demoPath);
    const proposals = db.$client
      .prepare(`SELECT json_extract(${PROPOSAL_OF_SI}, '$.fields.name') AS name, json_extract(${PROPOSAL_OF_SI}, '$.fields.category') AS category FROM submission_items si WHERE si.submission_id = ? AND si.kind = 'new' ORDER BY si.id`)
      .all(report.submissions[0].id);
    expect(proposals).toEqual([
      { name: '公路超限运输许可（命令行映射）', category: 'permit' },
      { name: '道路运输违法行为的处罚（命令行映射）', category: 'penalty' },
      { name: '出租汽车违规经营的处罚（命令行映射）', category: 'penalty' },
    ]);
  });

  it('a bad --column or --value is refused in Chinese, saying how to write it, and nothing is saved', async () => {
    const path = join(dir, 'platform.csv');
    writeFileSync(path, CSV);
    const count = () => openDatabase(demoPath).$client.prepare('SELECT (SELECT count(*) FROM imports) AS i, (SELECT count(*) FROM audit_log) AS a').get();
    const before = count();
    const cases: [string[], string][] = [
      [['--column', '清单项目'], '应为 --column "表头=列名"'],
      [['--column', '清单项目=名字'], '“名字”不是模板中的列名'],
      [['--value', '事项类型=行政审查'], '应为 --value "列名:文件中的值=目录中的值"'],
      [['--value', '监管电话:12345=1'], '只有事项类型、行使层级、实施主体、处理意见这几列的值可以对应'],
      [['--value', '事项类型:行政审查=不知道'], '“不知道”不是目录中的事项类型'],
      [['--value', '实施主体:交通局=不存在的局'], '“不存在的局”不是目录中的实施主体'],
    ];
    for (const [flags, message] of cases) {
      const r = await run(['import', path, '--user', 'dept-jt', '--db', demoPath, ...flags]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.err).toContain(message);
    }
    expect(count()).toEqual(before);
  });

  it('a mapping given with --column and --value is remembered: the same header row next time reads without flags; a trial run remembers nothing', async () => {
    const path = join(dir, 'platform.csv');
    writeFileSync(path, CSV);
    const flags = ['--column', '清单项目=事项名称', '--column', '平台编号=忽略', '--value', '事项类型:行政审查=行政处罚'];
    const trial = await run(['import', path, '--user', 'dept-jt', '--dry-run', '--db', demoPath, ...flags]);
    expect(trial.code).toBe(0);
    const afterTrial = await run(['import', path, '--user', 'dept-jt', '--dry-run', '--db', demoPath]);
    expect(afterTrial.code).toBe(2);
    expect(afterTrial.err).toContain('找不到表头');

    const first = await run(['import', path, '--user', 'dept-jt', '--json', '--db', demoPath, ...flags]);
    expect(first.code).toBe(0);
    const again = join(dir, 'again.csv');
    writeFileSync(again, CSV.replaceAll('命令行映射', '再次上传'));
    const second = await run(['import', again, '--user', 'dept-jt', '--json', '--db', demoPath]);
    expect(second.err).toBe('');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.out)).toMatchObject({ rows: 3, items: 3, new: 3, errors: [] });
    const db = openDatabase(demoPath);
    const categories = db.$client
      .prepare(`SELECT json_extract(${PROPOSAL_OF_SI}, '$.fields.category') AS category FROM submission_items si WHERE si.submission_id = ? ORDER BY si.id`)
      .all(JSON.parse(second.out).submissions[0].id)
      .map((r) => (r as { category: string }).category);
    expect(categories).toEqual(['permit', 'penalty', 'penalty']);
    const audit = db.$client.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'mapping.remember'").get() as { n: number };
    expect(audit.n).toBe(1);
  });
});
