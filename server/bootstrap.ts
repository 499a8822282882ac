// Getting a database ready to serve: migrations (in openDatabase), the legal-instrument registry on
// first start, and, in demo mode, the demo district with its accounts, only when the catalogue is empty.
import type { Db } from '../db/client.js';
import { departmentCodeByName, isEmptyCatalogue } from '../db/queries/accounts.js';
import { loadRegistry } from '../db/seed/registry.js';
import { seedDemo } from '../db/seed/demo.js';
import { SYSTEM_ACTOR } from '../db/audit.js';
import { createUser } from './auth/accounts.js';
import type { Role } from './domain/vocabulary.js';
import { recheckItems } from './checks/store.js';
import { backfillProcessSteps } from './catalogue/process-steps.js';
import { checkDeps } from './checks/context.js';

/** The demo accounts, listed in README.md. Created only in demo mode. */
export const DEMO_PASSWORD = 'demo-2026-qingdan';
export const DEMO_ACCOUNTS: { username: string; displayName: string; role: Role; departmentName?: string }[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin' },
  { username: 'legal', displayName: '区司法局（法制）审核员', role: 'legal_office' },
  { username: 'expert', displayName: '评审专家', role: 'expert' },
  { username: 'supervisor', displayName: '区纪委监委监察员', role: 'supervisor' },
  { username: 'dept-xzsp', displayName: '行政审批局经办人', role: 'department', departmentName: '区行政审批局' },
  { username: 'dept-rsj', displayName: '人社局经办人', role: 'department', departmentName: '区人社局' },
  { username: 'dept-jt', displayName: '交通运输局经办人', role: 'department', departmentName: '区交通运输局' },
];

export interface PrepareResult {
  registry: { national: number; local: number };
  demo: { departments: number; items: number; citations: number; accounts: number } | null;
}

export function catalogueIsEmpty(db: Db): boolean {
  return isEmptyCatalogue(db);
}

export async function prepareDatabase(db: Db, options: { demo: boolean }): Promise<PrepareResult> {
  const registry = loadRegistry(db);
  if (!options.demo || !catalogueIsEmpty(db)) return { registry, demo: null };
  const seeded = seedDemo(db);
  // The demo's items show their steps, parsed from the seeded 办理流程 texts.
  backfillProcessSteps(db);
  const accounts = await createDemoAccounts(db);
  // The demo's work list shows the checks' findings from the start.
  recheckItems(checkDeps(db), null);
  return { registry, demo: { ...seeded, accounts } };
}

export async function createDemoAccounts(db: Db): Promise<number> {
  let created = 0;
  for (const account of DEMO_ACCOUNTS) {
    let departmentCode: string | undefined;
    if (account.departmentName) {
      const code = departmentCodeByName(db, account.departmentName);
      if (!code) continue;
      departmentCode = code;
    }
    await createUser(db, SYSTEM_ACTOR, {
      username: account.username,
      displayName: account.displayName,
      password: DEMO_PASSWORD,
      role: account.role,
      departmentCode,
    });
    created++;
  }
  return created;
}
