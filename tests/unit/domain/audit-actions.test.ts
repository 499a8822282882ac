// Every action the code writes to the audit log has a Chinese name, so the supervisor never reads a code.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_ACTIONS } from '../../../server/domain/audit-actions.js';
import { REVIEW_ACTIONS } from '../../../server/review/states.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('audit action names', () => {
  it('every action literal written with appendAudit, and every one built from a template, is named in Chinese', () => {
    const literals = new Set<string>();
    for (const file of [...sources('server'), ...sources('db')]) {
      for (const m of readFileSync(file, 'utf8').matchAll(/action: '([a-z_]+\.[a-z_]+)'/g)) literals.add(m[1]!);
      for (const m of readFileSync(file, 'utf8').matchAll(/'(auth\.(?:login|logout))'/g)) literals.add(m[1]!);
    }
    expect(literals.size).toBeGreaterThan(20);
    const templated = [
      ...Object.keys(REVIEW_ACTIONS).map((a) => `review.${a}`),
      ...['cancel', 'delegate', 'transfer', 'merge'].map((d) => `item.${d}`),
      'reference_match.confirm',
      'reference_match.reject',
    ];
    const unnamed = [...literals, ...templated].filter((a) => !AUDIT_ACTIONS[a] || !/[\u4e00-\u9fa5]/.test(AUDIT_ACTIONS[a]!));
    expect(unnamed).toEqual([]);
  });
});
