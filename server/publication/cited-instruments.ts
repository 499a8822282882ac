// A published item keeps each citation as written (title, article, document number, role), not the
// registry row it meant: its service guide finds the registered instrument again by title, as the
// import does (normalised title, the version the title names, else the one in force; a cited
// document number picks among versions), so a registered law is never shown as unregistered.
import type { Db } from '../../db/client.js';
import { instrumentsByNormalizedTitles, type InstrumentHit } from '../../db/queries/basis.js';
import type { ItemDetail } from '../../db/queries/catalogue.js';
import { normalizeInstrumentTitle, pickInstrumentVersion } from '../domain/instrument-title.js';

const compact = (s: string) => s.replace(/\s+/g, '');

export function withCitedInstruments(db: Db, item: ItemDetail): ItemDetail {
  if (item.citations.length === 0) return item;
  const normalized = item.citations.map((c) => normalizeInstrumentTitle(c.title));
  const byTitle = new Map<string, InstrumentHit[]>();
  for (const hit of instrumentsByNormalizedTitles(db, [...new Set(normalized)])) {
    const list = byTitle.get(hit.normalizedTitle) ?? [];
    list.push(hit);
    byTitle.set(hit.normalizedTitle, list);
  }
  const citations = item.citations.map((c, i) => {
    if (c.instrument) return c;
    const candidates = byTitle.get(normalized[i]!) ?? [];
    const numbered = c.documentNumber ? candidates.filter((h) => h.documentNumber && compact(h.documentNumber) === compact(c.documentNumber!)) : [];
    const hit = pickInstrumentVersion(numbered.length > 0 ? numbered : candidates, c.title);
    return hit ? { ...c, instrument: { id: hit.id, title: hit.title, rank: hit.rank, status: hit.status, rankInferred: false } } : c;
  });
  return { ...item, citations };
}
