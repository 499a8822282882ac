import { describe, it, expect } from 'vitest';
import { can, canEditItem } from '../../../server/auth/policy.js';

describe('access policy', () => {
  it('a department user may edit only its own department’s items', () => {
    expect(canEditItem({ role: 'department', departmentId: 3 }, 3)).toBe(true);
    expect(canEditItem({ role: 'department', departmentId: 3 }, 4)).toBe(false);
  });
  it('an admin may edit any item; legal office, expert and supervisor edit none directly', () => {
    expect(canEditItem({ role: 'admin', departmentId: null }, 4)).toBe(true);
    for (const role of ['legal_office', 'expert', 'supervisor'] as const) expect(canEditItem({ role, departmentId: null }, 4)).toBe(false);
  });
  it('nobody without a role may do anything', () => {
    expect(can(null, 'workspace.view')).toBe(false);
    expect(canEditItem(null, 1)).toBe(false);
  });
  it('only the admin manages departments and accounts', () => {
    for (const role of ['department', 'legal_office', 'expert', 'supervisor'] as const) {
      expect(can(role, 'department.manage')).toBe(false);
      expect(can(role, 'user.manage')).toBe(false);
    }
    expect(can('admin', 'user.manage')).toBe(true);
  });
});
