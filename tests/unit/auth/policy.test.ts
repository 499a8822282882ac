import { describe, it, expect } from 'vitest';
import { ACTIONS, GRANTS, accessOf, can, departmentScope, isOwnScoped, roleNeedsDepartment, scopeOf, type Subject } from '../../../server/auth/policy.js';
import { ROLE_CODES } from '../../../server/domain/vocabulary.js';

const department = (departmentId: number): Subject => ({ id: 7, role: 'department', departmentId });
const staff = (role: Subject['role'], id = 9): Subject => ({ id, role, departmentId: null });

describe('access policy', () => {
  it('a department user may edit only its own department’s items', () => {
    expect(can(department(3), 'update:item', { departmentId: 3 })).toBe(true);
    expect(can(department(3), 'update:item', { departmentId: 4 })).toBe(false);
  });
  it('an admin may edit any item; legal office, expert and supervisor edit none directly', () => {
    expect(can(staff('admin'), 'update:item', { departmentId: 4 })).toBe(true);
    for (const role of ['legal_office', 'expert', 'supervisor'] as const) expect(can(staff(role), 'update:item', { departmentId: 4 })).toBe(false);
  });
  it('nobody without a role may do anything', () => {
    for (const action of ACTIONS) expect(can(null, action)).toBe(false);
    expect(can(null, 'update:item', { departmentId: 1 })).toBe(false);
  });
  it('only the admin manages departments and accounts', () => {
    for (const role of ['department', 'legal_office', 'expert', 'supervisor'] as const) {
      expect(can(staff(role), 'manage:department')).toBe(false);
      expect(can(staff(role), 'manage:user')).toBe(false);
    }
    expect(can(staff('admin'), 'manage:user')).toBe(true);
  });
  it('a department sees only its own imports, submissions and review items; another department’s are out of reach', () => {
    for (const action of ['read:import', 'read:submission', 'read:review', 'answer:submission', 'create:import'] as const) {
      expect(can(department(3), action, { departmentId: 3 })).toBe(true);
      expect(can(department(3), action, { departmentId: 4 })).toBe(false);
      expect(can(department(3), action, { departmentId: null })).toBe(false);
    }
  });
  it('a department user without a department owns nothing', () => {
    const orphan: Subject = { id: 1, role: 'department', departmentId: null };
    expect(can(orphan, 'update:item', { departmentId: null })).toBe(false);
    expect(scopeOf(orphan, 'read:import')).toEqual({ departmentId: -1, assignedTo: null });
  });
  it('an expert reads only the review items assigned to them', () => {
    expect(can(staff('expert', 5), 'read:review', { departmentId: 3, assignedTo: [5, 6] })).toBe(true);
    expect(can(staff('expert', 5), 'read:review', { departmentId: 3, assignedTo: [6] })).toBe(false);
    expect(scopeOf(staff('expert', 5), 'read:review')).toEqual({ departmentId: null, assignedTo: 5 });
  });
  it('lists are limited to the department for departments, and unlimited for the legal office, supervisor and admin', () => {
    expect(departmentScope(department(3), 'read:import')).toBe(3);
    for (const role of ['legal_office', 'supervisor', 'admin'] as const) {
      expect(scopeOf(staff(role), 'read:import')).toBeNull();
      expect(departmentScope(staff(role), 'read:submission')).toBeNull();
    }
  });
  it('a role without an action gets a list filter that nothing meets', () => {
    expect(scopeOf(staff('expert'), 'read:import')).toEqual({ departmentId: -1, assignedTo: null });
  });
  it('a department proposes (own scope) where the admin corrects directly (any scope)', () => {
    expect(isOwnScoped(department(3), 'update:item')).toBe(true);
    expect(isOwnScoped(staff('admin'), 'update:item')).toBe(false);
    expect(accessOf(staff('legal_office'), 'update:item')).toBeNull();
  });
  it('only department accounts need a department', () => {
    expect(ROLE_CODES.filter(roleNeedsDepartment)).toEqual(['department']);
  });
  it('every grant names a known action', () => {
    for (const role of ROLE_CODES) for (const grant of GRANTS[role]) expect(ACTIONS).toContain(grant.replace(/:(own|any)$/, ''));
  });
});
