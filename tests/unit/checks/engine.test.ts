import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appliesOn, checkItem, createChecker, RULE_CODES, RULES, ruleCatalogue, runChecks } from '../../../server/checks/engine.js';
import { NO_FINDINGS, findingOf } from '../../../server/checks/basis.js';
import type { Rule } from '../../../server/checks/types.js';
import { cite, context, item, law } from './builders.js';

const here = dirname(fileURLToPath(import.meta.url));
const RULES_DIR = join(here, '..', '..', '..', 'server', 'checks', 'rules');

describe('the rule registry', () => {
  it('holds exactly the rule codes of the interface', () => {
    expect(RULE_CODES).toEqual([
      'NO_BASIS',
      'BASIS_REPEALED',
      'BASIS_AMENDED',
      'BASIS_RANK_TOO_LOW',
      'NON_PERMIT_ABOLISHED',
      'UNKNOWN_INSTRUMENT',
      'FEE_WITHOUT_BASIS',
      'CANCELLED_ABOVE',
      'RECREATED_AFTER_CANCEL',
      'DUPLICATE_ACROSS_DEPARTMENTS',
      'NAME_NOT_STANDARD',
      'PREREQUISITE_CYCLE',
      'PROMISED_EXCEEDS_STATUTORY',
      'STATUTORY_OVER_LEGAL_DEFAULT',
      'STEP_LIMITS_EXCEED_ITEM_LIMIT',
      'TOO_MANY_REVIEW_POSTS',
    ]);
  });

  it('every module in server/checks/rules/ is registered, once, and every registered rule has its module', async () => {
    const files = readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts'));
    const exported: unknown[] = [];
    for (const file of files) {
      const mod = (await import(join(RULES_DIR, file))) as Record<string, unknown>;
      const rules = Object.values(mod).filter((v) => typeof v === 'object' && v !== null && 'check' in v);
      expect(rules, file).toHaveLength(1);
      exported.push(rules[0]);
    }
    expect(new Set(exported)).toEqual(new Set<unknown>(RULES));
    expect(files).toHaveLength(RULES.length);
  });

  it('every rule has tests in tests/unit/checks that name its code or module', () => {
    const tests = readdirSync(here)
      .filter((f) => f.endsWith('.test.ts') && f !== 'engine.test.ts' && f !== 'accuracy.test.ts')
      .map((f) => readFileSync(join(here, f), 'utf8'))
      .join('\n');
    for (const code of RULE_CODES) expect(tests, code).toContain(code);
  });

  it('describes every rule for the UI and the API in Chinese, with its ground and effective range', () => {
    const catalogue = ruleCatalogue();
    expect(catalogue.map((r) => r.code)).toEqual(RULE_CODES);
    for (const r of catalogue) {
      expect(r.title, r.code).toMatch(/[\u4e00-\u9fa5]/);
      expect(r.explanation.length, r.code).toBeGreaterThan(20);
      expect(r.ground, r.code).toMatch(/[《（]/);
      expect(['error', 'warning', 'info']).toContain(r.severity);
      expect(['cancel', 'reclassify', 'review', 'fix_data']).toContain(r.suggestion);
    }
    expect(catalogue.find((r) => r.code === 'NON_PERMIT_ABOLISHED')!.effective).toEqual({ from: '2015-05-10' });
  });
});

describe('effective ranges', () => {
  it('a range includes its start and excludes its end', () => {
    const rule = { effective: { from: '2015-05-10', to: '2021-07-15' } };
    expect(appliesOn(rule, '2015-05-09')).toBe(false);
    expect(appliesOn(rule, '2015-05-10')).toBe(true);
    expect(appliesOn(rule, '2021-07-14')).toBe(true);
    expect(appliesOn(rule, '2021-07-15')).toBe(false);
    expect(appliesOn({ effective: {} }, '1990-01-01')).toBe(true);
  });

  it('runChecks applies only the rules in force on the catalogue date', () => {
    const approval = item({ key: 'A1', category: 'non_permit_approval', serviceObjects: ['enterprises'], citations: [cite(law('中华人民共和国城乡规划法'))] });
    expect(runChecks([approval], context('2014-12-31')).get('A1')).toBeUndefined();
    expect(runChecks([approval], context('2016-01-01')).get('A1')!.map((f) => f.rule)).toEqual(['NON_PERMIT_ABOLISHED']);
  });
});

describe('running the checks', () => {
  const clean = item({ key: 'OK', citations: [cite(law('中华人民共和国建筑法'))] });
  const bare = item({ key: 'BARE', name: '无依据事项' });

  it('returns findings by item key and leaves clean items out', () => {
    const results = runChecks([clean, bare], context());
    expect([...results.keys()]).toEqual(['BARE']);
    expect(results.get('BARE')!.map((f) => f.rule)).toEqual(['NO_BASIS']);
  });

  it('runs only the rules asked for, and refuses unknown codes', () => {
    expect(runChecks([bare], context(), { rules: ['BASIS_REPEALED'] }).size).toBe(0);
    expect(checkItem(bare, context(), { rules: ['NO_BASIS'] })).toHaveLength(1);
    expect(() => runChecks([bare], context(), { rules: ['NOT_A_RULE' as 'NO_BASIS'] })).toThrow('未知的检查规则：NOT_A_RULE');
  });

  it('accepts any iterable, e.g. a generator over a million rows', () => {
    function* rows() {
      yield clean;
      yield bare;
    }
    expect(runChecks(rows(), context()).size).toBe(1);
  });

  it('adding a rule is one module: the checker runs it and describes it without other changes', () => {
    // What a new module in server/checks/rules/ exports:
    const windowClosed: Rule<'WINDOW_CLOSED_ON_WEEKENDS'> = {
      code: 'WINDOW_CLOSED_ON_WEEKENDS',
      severity: 'error',
      title: '周末不受理',
      explanation: '办理流程写明周末不受理，与全年无休的窗口服务要求不符。',
      ground: '《双桥区双减双提专项行动工作任务分解及落实方案》（2013年）二（三）1',
      suggestion: 'review',
      effective: { from: '2013-03-04' },
      scope: 'catalogue',
      check(i) {
        return i.processText?.includes('周末不受理') ? [findingOf(windowClosed, { message: '周末不受理', suggestionText: '改为全年受理' })] : NO_FINDINGS;
      },
    };
    const checker = createChecker([...RULES, windowClosed]);
    const looped = item({ key: 'L', processText: '窗口受理，周末不受理', citations: [cite(law('中华人民共和国建筑法'))] });
    expect(checker.runChecks([looped], context()).get('L')!.map((f) => f.rule)).toEqual(['WINDOW_CLOSED_ON_WEEKENDS']);
    expect(checker.ruleCatalogue().at(-1)!.code).toBe('WINDOW_CLOSED_ON_WEEKENDS');
    expect(checker.runChecks([looped], context('2012-01-01')).size).toBe(0);
  });

  it('refuses two rules with one code', () => {
    expect(() => createChecker([...RULES, RULES[0]])).toThrow('规则代码重复：NO_BASIS');
  });
});
