// Who may do what, written as Epic Stack writes it: `action:entity:own|any`. A grant of `any` reaches
// every record of the entity; a grant of `own` reaches only the records the person owns: those of their
// own department, or, for a person without a department (an expert), those assigned to them. This file
// is the only place that rule is written; routes, use cases and the CLI ask `can`, `scopeOf` or
// `isOwnScoped`, never the role.
import type { Role } from '../domain/vocabulary.js';

export type Access = 'own' | 'any';

/** Every action on every entity the application guards. */
export const ACTIONS = [
  'view:workspace',
  'update:item',
  'manage:department',
  'manage:user',
  'change:password',
  'read:audit',
  'create:import',
  'read:import',
  'create:baseline',
  'update:instrument',
  'read:flag',
  'run:check',
  'publish:catalogue',
  'read:review',
  'decide:review',
  'create:opinion',
  'read:submission',
  'answer:submission',
  'read:campaign',
  'manage:campaign',
  'read:reference_list',
  'update:reference_list',
  'read:filing',
  'read:register',
  'read:stats',
  'read:prerequisite',
  'cut:prerequisite',
  'read:job',
  'read:feedback',
  'answer:feedback',
  'manage:search_synonym',
  'manage:item_theme',
] as const;
export type Action = (typeof ACTIONS)[number];
export type Grant = `${Action}:${Access}`;

/** What the legal office may do; the admin may do all of it and keep departments, accounts and items. */
const LEGAL_OFFICE: readonly Grant[] = [
  'view:workspace:any',
  'change:password:own',
  'read:audit:any',
  'create:import:any',
  'read:import:any',
  'create:baseline:any',
  'update:instrument:any',
  'read:flag:any',
  'run:check:any',
  'publish:catalogue:any',
  'read:review:any',
  'decide:review:any',
  'read:submission:any',
  'read:campaign:any',
  'manage:campaign:any',
  'manage:search_synonym:any',
  'manage:item_theme:any',
  'read:reference_list:any',
  'update:reference_list:any',
  'read:filing:any',
  'read:register:any',
  'read:stats:any',
  'read:prerequisite:any',
  'cut:prerequisite:any',
  'read:job:any',
  'read:feedback:any',
  'answer:feedback:any',
];

/** Each role's grants. Read this table to know what a role may do. */
export const GRANTS = {
  department: [
    'view:workspace:own',
    'change:password:own',
    'update:item:own',
    'create:import:own',
    'read:import:own',
    'read:review:own',
    'read:submission:own',
    'answer:submission:own',
    'read:stats:any',
    'read:prerequisite:own',
    'read:job:own',
  ],
  legal_office: LEGAL_OFFICE,
  expert: ['view:workspace:any', 'change:password:own', 'read:review:own', 'create:opinion:own', 'read:stats:any'],
  supervisor: [
    'view:workspace:any',
    'change:password:own',
    'read:audit:any',
    'read:import:any',
    'read:flag:any',
    'read:review:any',
    'read:submission:any',
    'read:campaign:any',
    'read:reference_list:any',
    'read:filing:any',
    'read:register:any',
    'read:stats:any',
    'read:prerequisite:any',
    'read:job:any',
    'read:feedback:any',
  ],
  admin: [...LEGAL_OFFICE, 'update:item:any', 'manage:department:any', 'manage:user:any'],
} as const satisfies Record<Role, readonly Grant[]>;

/** The person acting, as the policy sees them. */
export interface Subject {
  id?: number | null;
  role: Role;
  departmentId: number | null;
}

/** What a record says about who owns it: its department, and the people it is assigned to. */
export interface Owned {
  departmentId: number | null;
  assignedTo?: readonly number[];
}

/** The widest access a role has to an action, or null. */
export function accessOf(subject: Pick<Subject, 'role'> | null | undefined, action: Action): Access | null {
  if (!subject) return null;
  const grants = GRANTS[subject.role] as readonly Grant[];
  if (grants.includes(`${action}:any`)) return 'any';
  if (grants.includes(`${action}:own`)) return 'own';
  return null;
}

/**
 * What `own` means for each role: the records of the person's department, or the records assigned to
 * the person. Roles with only `any` grants own nothing.
 */
export const OWNERSHIP = {
  department: 'department',
  expert: 'assignment',
  legal_office: null,
  supervisor: null,
  admin: null,
} as const satisfies Record<Role, 'department' | 'assignment' | null>;

/** Whether the subject owns the record: its department's, or assigned to them (see OWNERSHIP). */
export function owns(subject: Subject, record: Owned): boolean {
  switch (OWNERSHIP[subject.role]) {
    case 'department':
      return subject.departmentId !== null && record.departmentId === subject.departmentId;
    case 'assignment':
      return subject.id != null && (record.assignedTo ?? []).includes(subject.id);
    default:
      return false;
  }
}

/**
 * May the subject do `action`, on `record` when one is given? Without a record: on some record at
 * least (what a route guard and a menu ask).
 */
export function can(subject: Subject | null | undefined, action: Action, record?: Owned): boolean {
  const access = accessOf(subject, action);
  if (access === null) return false;
  if (access === 'any' || record === undefined) return true;
  return owns(subject!, record);
}

/** Whether the subject's access to an action is limited to what it owns (a department's proposals, an expert's assignments). */
export const isOwnScoped = (subject: Subject | null | undefined, action: Action): boolean => accessOf(subject, action) === 'own';

/**
 * The records a list may show the subject, as filters: null for every record; otherwise the
 * department or the assignee the list is limited to. Without the action at all, a filter nothing meets.
 */
export function scopeOf(subject: Subject, action: Action): { departmentId: number | null; assignedTo: number | null } | null {
  const access = accessOf(subject, action);
  if (access === 'any') return null;
  const nothing = { departmentId: -1, assignedTo: null };
  if (access === null) return nothing;
  switch (OWNERSHIP[subject.role]) {
    case 'department':
      return subject.departmentId === null ? nothing : { departmentId: subject.departmentId, assignedTo: null };
    case 'assignment':
      return { departmentId: null, assignedTo: subject.id ?? -1 };
    default:
      return nothing;
  }
}

/** The department a list is limited to for the subject, or null when it may see every department's. */
export const departmentScope = (subject: Subject, action: Action): number | null => scopeOf(subject, action)?.departmentId ?? null;

/** A role that owns by department must belong to one (an account check). */
export const roleNeedsDepartment = (role: Role): boolean => OWNERSHIP[role] === 'department';
