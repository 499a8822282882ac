// The delegation and cancellation register (注销下放登记) across campaigns: every item that left a
// department's catalogue, searchable by name and filtered by department and disposition.
import type { Db } from '../../client.js';
import { registerEntries } from '../../schema.js';

export const REGISTER_DISPOSITIONS = ['cancel', 'delegate', 'transfer', 'merge'] as const;
export type RegisterDisposition = (typeof REGISTER_DISPOSITIONS)[number];

export interface RegisterFilter {
  q?: string | undefined;
  department?: string | undefined;
  disposition?: RegisterDisposition | undefined;
  page: number;
  pageSize: number;
}

export interface RegisterEntry {
  id: number;
  itemCode: string | null;
  itemName: string;
  category: string | null;
  departmentCode: string;
  departmentName: string;
  disposition: RegisterDisposition;
  destination: string | null;
  reason: string;
  legalGround: string | null;
  campaignId: number | null;
  campaignName: string | null;
  decidedBy: string;
  effectiveOn: string;
}

/** `%` and `_` in a search are letters, not wildcards. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function where(filter: Omit<RegisterFilter, 'page' | 'pageSize'>) {
  const clauses = ['1 = 1'];
  const params: Record<string, string> = {};
  if (filter.q) {
    clauses.push("r.item_name LIKE @q ESCAPE '\\'");
    params.q = `%${likeEscape(filter.q)}%`;
  }
  if (filter.department) {
    clauses.push('d.code = @department');
    params.department = filter.department;
  }
  if (filter.disposition) {
    clauses.push('r.disposition = @disposition');
    params.disposition = filter.disposition;
  }
  return { sql: clauses.join(' AND '), params };
}

const FROM = 'FROM register_entries r JOIN departments d ON d.id = r.department_id LEFT JOIN campaigns c ON c.id = r.campaign_id';
const COLUMNS = `r.id, r.item_code AS itemCode, r.item_name AS itemName, r.category, d.code AS departmentCode, d.name AS departmentName,
                 r.disposition, r.destination, r.reason, r.legal_ground AS legalGround, r.campaign_id AS campaignId, c.name AS campaignName,
                 coalesce((SELECT u.display_name FROM users u WHERE u.username = r.decided_by), r.decided_by) AS decidedBy, r.effective_on AS effectiveOn`;

export function createRegisterRepository(db: Db) {
  return {
    /** Registers an item that leaves a catalogue, as the legal office decided it. */
    add: (entry: typeof registerEntries.$inferInsert): void => {
      db.insert(registerEntries).values(entry).run();
    },
    /** A page of the register, newest first; filters are few and change the WHERE, so it is built per call. */
    list: (filter: RegisterFilter): { total: number; page: number; pageSize: number; entries: RegisterEntry[] } => {
      const w = where(filter);
      const total = (db.$client.prepare(`SELECT count(*) AS n ${FROM} WHERE ${w.sql}`).get(w.params) as { n: number }).n;
      const entries = db.$client
        .prepare(`SELECT ${COLUMNS} ${FROM} WHERE ${w.sql} ORDER BY r.effective_on DESC, r.id DESC LIMIT @limit OFFSET @offset`)
        .all({ ...w.params, limit: filter.pageSize, offset: (filter.page - 1) * filter.pageSize }) as RegisterEntry[];
      return { total, page: filter.page, pageSize: filter.pageSize, entries };
    },
  };
}

export type RegisterRepository = ReturnType<typeof createRegisterRepository>;
