// The legal basis as the item form edits it: the registry looked up as a person types, instruments found
// by id or by title, an item's citations replaced, and the returned proposal a department corrects.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { citations, legalInstruments, submissionItems, submissions } from '../schema.js';
import { proposalOf } from './review/proposal.js';
import type { InstrumentStatus, Rank } from '../../server/domain/vocabulary.js';

export interface InstrumentHit {
  id: number;
  title: string;
  rank: Rank;
  status: InstrumentStatus;
  documentNumber: string | null;
  publishedOn: string | null;
  effectiveOn: string | null;
  normalizedTitle: string;
}

const HIT_COLUMNS = {
  id: legalInstruments.id,
  title: legalInstruments.title,
  rank: legalInstruments.rank,
  status: legalInstruments.status,
  documentNumber: legalInstruments.documentNumber,
  publishedOn: legalInstruments.publishedOn,
  effectiveOn: legalInstruments.effectiveOn,
  normalizedTitle: legalInstruments.normalizedTitle,
};

/**
 * Instruments whose title holds every term typed, best first: in force before the rest, a title that
 * is the term itself (with or without 中华人民共和国) before longer ones, newer versions first.
 */
export function suggestInstruments(db: Db, terms: string[], normalized: string, limit: number): InstrumentHit[] {
  const escape = (t: string) => `%${t.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const conditions = terms.map((t) => sql`${legalInstruments.title} LIKE ${escape(t)} ESCAPE '\\'`);
  return db
    .select(HIT_COLUMNS)
    .from(legalInstruments)
    .where(and(...conditions))
    .orderBy(
      sql`CASE ${legalInstruments.status} WHEN 'in_force' THEN 0 WHEN 'not_yet_in_force' THEN 1 WHEN 'amended' THEN 2 ELSE 3 END`,
      sql`CASE WHEN ${legalInstruments.normalizedTitle} = ${normalized} THEN 0 ELSE 1 END`,
      sql`length(${legalInstruments.title})`,
      desc(legalInstruments.publishedOn),
      legalInstruments.id,
    )
    .limit(limit)
    .all() as InstrumentHit[];
}

/** Registered instruments by id (the ones a form names). */
export function instrumentsByIds(db: Db, ids: number[]): Map<number, InstrumentHit> {
  if (ids.length === 0) return new Map();
  const rows = db.select(HIT_COLUMNS).from(legalInstruments).where(inArray(legalInstruments.id, ids)).all() as InstrumentHit[];
  return new Map(rows.map((r) => [r.id, r]));
}

/** Every version of the instruments with these normalised titles (a citation's title is matched among them). */
export function instrumentsByNormalizedTitles(db: Db, normalizedTitles: string[]): InstrumentHit[] {
  if (normalizedTitles.length === 0) return [];
  return db.select(HIT_COLUMNS).from(legalInstruments).where(inArray(legalInstruments.normalizedTitle, normalizedTitles)).all() as InstrumentHit[];
}

export interface CitationToWrite {
  title: string;
  article: string | null;
  documentNumber: string | null;
  tag: string | null;
  quotedText: string | null;
  role: 'setting' | 'implementing';
  instrumentId: number | null;
}

/** Replaces all of an item's citations with these, in this order. */
export function replaceCitations(db: Db, itemId: number, list: readonly CitationToWrite[]): void {
  db.delete(citations).where(eq(citations.itemId, itemId)).run();
  list.forEach((c, seq) => {
    db.insert(citations).values({ itemId, seq, ...c }).run();
  });
}

/** The proposal the legal office returned to a department about one of its items, awaiting correction. */
export function returnedProposalOf(db: Db, departmentId: number, itemId: number): { id: number; submissionId: number; proposal: Record<string, unknown> | null; rowVersion: number; returnRequest: string | null } | null {
  return (
    db
      .select({ id: submissionItems.id, submissionId: submissionItems.submissionId, proposal: proposalOf(), rowVersion: submissionItems.rowVersion, returnRequest: submissionItems.returnRequest })
      .from(submissionItems)
      .innerJoin(submissions, eq(submissions.id, submissionItems.submissionId))
      .where(and(eq(submissions.departmentId, departmentId), eq(submissionItems.itemId, itemId), eq(submissionItems.kind, 'change'), eq(submissionItems.state, 'returned')))
      .orderBy(desc(submissionItems.id))
      .limit(1)
      .get() ?? null
  );
}

/** Writes a corrected proposal over a returned one, at the version read; false when it moved since. */
export function updateReturnedProposal(db: Db, id: number, version: number, d: { name: string; category: string; proposal: object; changes: object[] }): boolean {
  return (
    db
      .update(submissionItems)
      .set({ name: d.name, category: d.category as never, proposal: d.proposal as Record<string, unknown>, changes: d.changes as never, rowVersion: sql`${submissionItems.rowVersion} + 1` })
      .where(and(eq(submissionItems.id, id), eq(submissionItems.rowVersion, version), eq(submissionItems.state, 'returned')))
      .run().changes > 0
  );
}

/** An item's citations in order, as a proposal stores them. */
export function citationsOfItem(db: Db, itemId: number): CitationToWrite[] {
  return db
    .select({
      title: citations.title,
      article: citations.article,
      documentNumber: citations.documentNumber,
      tag: citations.tag,
      quotedText: citations.quotedText,
      role: citations.role,
      instrumentId: citations.instrumentId,
    })
    .from(citations)
    .where(eq(citations.itemId, itemId))
    .orderBy(citations.seq, citations.id)
    .all();
}

/** The checks' findings stored on a proposal (a submission item) at its last check. */
export function proposalFindings(db: Db, submissionItemId: number): { rule: string; severity: string; message: string; suggestion: string; ground: string }[] {
  return db.select({ flags: submissionItems.flags }).from(submissionItems).where(eq(submissionItems.id, submissionItemId)).get()?.flags ?? [];
}
