// Who may do what: one pure table, checked on the server for every action.
// Departments are further limited to their own department's data (canEditItem).
import type { Role } from '../domain/vocabulary.js';

export const PERMISSIONS = {
  'workspace.view': ['department', 'legal_office', 'expert', 'supervisor', 'admin'],
  'item.edit': ['department', 'admin'],
  'department.manage': ['admin'],
  'user.manage': ['admin'],
  'audit.read': ['legal_office', 'supervisor', 'admin'],
  'import.upload': ['department', 'legal_office', 'admin'],
  'import.view': ['department', 'legal_office', 'supervisor', 'admin'],
  'registry.edit': ['legal_office', 'admin'],
  'flags.view': ['legal_office', 'supervisor', 'admin'],
  'flags.recheck': ['legal_office', 'admin'],
  'catalogue.publish': ['legal_office', 'admin'],
  'review.view': ['department', 'legal_office', 'expert', 'supervisor', 'admin'],
  'review.decide': ['legal_office', 'admin'],
  'review.opinion': ['expert'],
  'submission.view': ['department', 'legal_office', 'supervisor', 'admin'],
  'submission.answer': ['department'],
  'campaign.manage': ['legal_office', 'admin'],
  'lists.view': ['legal_office', 'supervisor', 'admin'],
  'lists.edit': ['legal_office', 'admin'],
  'filing.view': ['legal_office', 'supervisor', 'admin'],
  'register.view': ['legal_office', 'supervisor', 'admin'],
  /** The dashboard's figures for the working catalogue (published versions' figures are public). */
  'stats.working': ['department', 'legal_office', 'expert', 'supervisor', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role | null | undefined, permission: Permission): boolean {
  return role != null && (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export interface Subject {
  role: Role;
  departmentId: number | null;
}

/** A department user edits only its own department's items; an admin edits any. */
export function canEditItem(user: Subject | null | undefined, itemDepartmentId: number): boolean {
  if (!user || !can(user.role, 'item.edit')) return false;
  return user.role !== 'department' || user.departmentId === itemDepartmentId;
}

/** A department sees only its own imports; the legal office, supervisor and admin see all. */
export function canSeeDepartmentData(user: Subject | null | undefined, departmentId: number | null): boolean {
  if (!user) return false;
  if (user.role === 'department') return departmentId !== null && user.departmentId === departmentId;
  return user.role === 'legal_office' || user.role === 'supervisor' || user.role === 'admin';
}
