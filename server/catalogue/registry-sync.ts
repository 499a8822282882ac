// What the shipped registry's sync did, in lines for the command line.
import type { RegistrySync } from '../../db/seed/registry.js';
import { REGISTRY_TEXT } from '../domain/labels.js';

export function registrySyncLines(sync: RegistrySync): string[] {
  if (sync.files.length === 0) return [REGISTRY_TEXT.syncUnchanged];
  const lines: string[] = [];
  for (const [file, n] of Object.entries(sync.added)) if (n > 0) lines.push(REGISTRY_TEXT.syncAdded(file, n));
  if (sync.updated > 0) lines.push(REGISTRY_TEXT.syncUpdated(sync.updated));
  if ((sync.linked ?? 0) > 0) lines.push(REGISTRY_TEXT.syncLinked(sync.linked ?? 0));
  for (const c of sync.conflicts) {
    const fields = Object.entries(c.fields)
      .map(([f, v]) => `${f}：${v.current ?? '（空）'} → ${v.shipped ?? '（空）'}`)
      .join('；');
    lines.push(REGISTRY_TEXT.syncConflict(c.title, c.id, c.editedBy, fields));
  }
  if (lines.length === 0) lines.push(REGISTRY_TEXT.syncUnchanged);
  return lines;
}
