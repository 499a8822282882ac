// Adding departments (admin and CLI). Codes are the stable key in URLs and spreadsheets.
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { appendAudit, withTransaction, type Actor } from '../../db/audit.js';
import { createDepartmentsRepository, type DepartmentsRepository } from '../../db/queries/departments.js';
import { LEVEL_CODES } from '../domain/vocabulary.js';
import { errors } from '../errors.js';
import { fieldErrors } from '../domain/item-fields.js';

export const departmentInputSchema = z.object({
  code: z
    .string({ message: '请填写部门编码' })
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, '部门编码只能由字母、数字、下划线和连字符组成（最多 32 个）')
    .transform((s) => s.toUpperCase()),
  name: z.string({ message: '请填写部门名称' }).trim().min(1, '请填写部门名称').max(100, '部门名称过长'),
  level: z.enum(LEVEL_CODES, { message: '层级无效' }).default('district'),
  parentCode: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().optional()),
});
export type DepartmentInput = z.input<typeof departmentInputSchema>;

export function createDepartment(db: Db, actor: Actor, input: unknown, departments: DepartmentsRepository = createDepartmentsRepository(db)): { id: number; code: string } {
  const parsed = departmentInputSchema.safeParse(input);
  if (!parsed.success) throw errors.invalid('请修正标出的字段。', fieldErrors(parsed.error));
  const d = parsed.data;
  return withTransaction(db, () => {
    if (departments.idOfCode(d.code) !== null) {
      throw errors.invalid(`部门编码 ${d.code} 已存在。`, { code: '该编码已被使用' });
    }
    if (departments.nameTaken(d.name)) {
      throw errors.invalid(`部门“${d.name}”已存在。`, { name: '该名称已被使用' });
    }
    let parentId: number | null = null;
    if (d.parentCode) {
      parentId = departments.idOfCode(d.parentCode.toUpperCase());
      if (parentId === null) throw errors.invalid(`上级部门 ${d.parentCode} 不存在。`, { parentCode: '上级部门不存在' });
    }
    const id = departments.insert({ code: d.code, name: d.name, level: d.level, parentId });
    appendAudit(db, actor, {
      action: 'department.create',
      entityType: 'department',
      entityId: d.code,
      after: { code: d.code, name: d.name, level: d.level, parentCode: d.parentCode ?? null },
    });
    return { id, code: d.code };
  });
}
