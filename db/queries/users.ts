// Reading accounts for the admin page.
import type { Db } from '../client.js';

export interface UserSummary {
  username: string;
  displayName: string;
  role: string;
  department: string | null;
  disabled: boolean;
  createdAt: string;
}

export function listUsers(db: Db): UserSummary[] {
  return (
    db.$client
      .prepare(
        `SELECT u.username, u.display_name, u.role, u.disabled, u.created_at, d.name AS department
           FROM users u LEFT JOIN departments d ON d.id = u.department_id ORDER BY u.role, u.username`,
      )
      .all() as { username: string; display_name: string; role: string; disabled: number; created_at: string; department: string | null }[]
  ).map((u) => ({ username: u.username, displayName: u.display_name, role: u.role, department: u.department, disabled: u.disabled === 1, createdAt: u.created_at }));
}
