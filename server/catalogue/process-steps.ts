// An item's process steps (process_steps), kept in step with its 办理流程 text: whenever the text is
// written (import, finalised proposal, item form) its steps are parsed and replace the stored ones.
// The text is the source and what the audit log records; the steps are derived from it, like flags.
import type { Db } from '../../db/client.js';
import { createProcessStepsRepository } from '../../db/queries/process-steps.js';
import { cachedProcessSteps, parseProcessSteps, type ProcessStep } from '../domain/process-steps.js';

/** Prepared once: an import writes thousands. Replaces the item's steps with those its text lists; returns how many. */
export function processStepsWriter(db: Db): (itemId: number, processText: string | null) => number {
  const stored = createProcessStepsRepository(db);
  return (itemId, processText) => {
    const steps = cachedProcessSteps(processText);
    stored.replace(itemId, steps);
    return steps.length;
  };
}

/** Replaces one item's steps (inside the caller's transaction). */
export const replaceProcessSteps = (db: Db, itemId: number, processText: string | null): number => processStepsWriter(db)(itemId, processText);

/**
 * Fills the steps of items that have a 办理流程 text but no stored steps (a catalogue seeded or
 * imported before steps were kept). Changes nothing else; safe to run again.
 */
export function backfillProcessSteps(db: Db): { items: number; steps: number } {
  // In keyset pages: a million items neither sit in memory at once nor hold one long transaction.
  const stored = createProcessStepsRepository(db);
  const write = processStepsWriter(db);
  let items = 0;
  let steps = 0;
  let after = 0;
  for (;;) {
    const rows = stored.itemsWithoutSteps(after);
    if (rows.length === 0) break;
    stored.transaction(() => {
      for (const r of rows) {
        const n = write(r.id, r.process_text);
        if (n > 0) {
          items++;
          steps += n;
        }
      }
    });
    after = rows[rows.length - 1]!.id;
  }
  return { items, steps };
}

export interface StepView {
  seq: number;
  name: string;
  post: string | null;
  /** "3 个工作日", "当日办结", or null without a limit. */
  limit: string | null;
}

/** How a step reads on a page. */
export const stepView = (s: ProcessStep, i: number): StepView => ({
  seq: i + 1,
  name: s.name,
  post: s.post,
  limit: s.limitDays === null ? null : s.limitDays === 0 ? '当日办结' : `${s.limitDays} 个工作日`,
});

/** The steps the item form's text gives, as the form shows them under it (no JavaScript needed: shown as saved or as re-rendered). */
export const processStepsPreview = (processText: unknown): StepView[] =>
  typeof processText === 'string' ? parseProcessSteps(processText).map(stepView) : [];
