// A published item keeps each citation as written (title, article, document number, role), not the
// registry row it meant: its service guide finds the registered instrument again by title, as the
// import does (normalised title, the version the title names, else the one in force; a cited
// document number picks among versions), so a registered law is never shown as unregistered.
import type { Db } from '../../db/client.js';
import { instrumentsByNormalizedTitles, type InstrumentHit } from '../../db/queries/basis.js';
import type { ItemDetail } from '../../db/queries/catalogue.js';
import { normalizeInstrumentTitle, pickInstrumentVersion } from '../domain/instrument-title.js';

const compact = (s: string) => s.replace(/\s+/g, '');

/**
 * Finds the registered instruments of published citations; one resolver serves a whole export, asking
 * the registry once per distinct title (a catalogue cites a few thousand instruments a million times).
 */
export function citedInstrumentResolver(db: Db): (item: ItemDetail) => ItemDetail {
  const byTitle = new Map<string, InstrumentHit[]>();
  return (item) => {
    if (item.citations.length === 0) return item;
    const normalized = item.citations.map((c) => normalizeInstrumentTitle(c.title));
    const missing = [...new Set(normalized.filter((t) => !byTitle.has(t)))];
    for (const t of missing) byTitle.set(t, []);
    for (const hit of instrumentsByNormalizedTitles(db, missing)) byTitle.get(hit.normalizedTitle)?.push(hit);
    const citations = item.citations.map((c, i) => {
      if (c.instrument) return c;
      const candidates = byTitle.get(normalized[i]!) ?? [];
      const numbered = c.documentNumber ? candidates.filter((h) => h.documentNumber && compact(h.documentNumber) === compact(c.documentNumber!)) : [];
      const hit = pickInstrumentVersion(numbered.length > 0 ? numbered : candidates, c.title);
      return hit ? { ...c, instrument: { id: hit.id, title: hit.title, rank: hit.rank, status: hit.status, rankInferred: false } } : c;
    });
    return { ...item, citations };
  };
}

export const withCitedInstruments = (db: Db, item: ItemDetail): ItemDetail => citedInstrumentResolver(db)(item);
