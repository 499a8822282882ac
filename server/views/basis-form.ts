// The item form's legal-basis part: the citation rows and fee-basis rows (views/partials/catalogue/
// citation-rows.hbs), the check findings placed beside the fields they concern, and what the form says
// when it corrects a proposal the legal office returned.
import type { Db } from '../../db/client.js';
import { rowsForView, type CitationRow } from '../catalogue/citation-rows.js';
import { ruleCatalogue, type RuleCode } from '../checks/engine.js';
import { SEVERITIES, SUGGESTED_DISPOSITIONS } from '../checks/types.js';
import { BASIS_FORM } from '../domain/labels.js';
import { urls } from '../urls.js';

/** A finding as stored on an item or a proposal. */
export interface StoredFinding {
  rule: string;
  severity: string;
  message: string;
  suggestion: string;
  ground: string;
}

/** Which part of the form each rule's finding belongs beside; the rest are shown above the form. */
const FINDING_PLACE: Partial<Record<RuleCode, 'basis' | 'fee' | 'limits' | 'process' | 'prerequisites'>> = {
  NO_BASIS: 'basis',
  BASIS_REPEALED: 'basis',
  BASIS_AMENDED: 'basis',
  BASIS_RANK_TOO_LOW: 'basis',
  NON_PERMIT_ABOLISHED: 'basis',
  UNKNOWN_INSTRUMENT: 'basis',
  FEE_WITHOUT_BASIS: 'fee',
  PROMISED_EXCEEDS_STATUTORY: 'limits',
  STATUTORY_OVER_LEGAL_DEFAULT: 'limits',
  STEP_LIMITS_EXCEED_ITEM_LIMIT: 'process',
  TOO_MANY_REVIEW_POSTS: 'process',
  PREREQUISITE_CYCLE: 'prerequisites',
};

const ruleTitles = new Map(ruleCatalogue().map((r) => [r.code as string, r.title]));

function placedFindings(flags: readonly StoredFinding[]) {
  const placed = { basis: [], fee: [], limits: [], process: [], prerequisites: [], other: [] } as Record<string, object[]>;
  for (const f of flags) {
    const place = FINDING_PLACE[f.rule as RuleCode] ?? 'other';
    placed[place]!.push({
      rule: f.rule,
      title: ruleTitles.get(f.rule) ?? f.rule,
      severity: f.severity,
      severityName: SEVERITIES[f.severity as keyof typeof SEVERITIES] ?? f.severity,
      message: f.message,
      ground: f.ground,
      suggestionName: SUGGESTED_DISPOSITIONS[f.suggestion as keyof typeof SUGGESTED_DISPOSITIONS] ?? '',
    });
  }
  return { ...placed, total: flags.length };
}

export interface BasisFormSource {
  basisRows: CitationRow[];
  feeRows: CitationRow[];
  /** The findings of the last save (the item's, or the proposal's a department is working on). */
  flags: readonly StoredFinding[];
  /** The returned proposal the form corrects, if any. */
  returned: { id: number; rowVersion: number; request: string | null } | null;
  /** Blank rows added under the filled ones, so the form works without JavaScript. */
  blankRows?: number;
}

export function basisFormModel(db: Db, source: BasisFormSource) {
  const blank = source.blankRows ?? 1;
  return {
    labels: BASIS_FORM,
    basisRows: rowsForView(db, source.basisRows, 'basis', source.basisRows.length === 0 ? Math.max(blank, 1) : blank),
    feeRows: rowsForView(db, source.feeRows, 'fee', source.feeRows.length === 0 ? 1 : 0),
    suggestUrl: urls.instrumentSuggest(),
    scriptUrl: urls.static('citation-rows.js'),
    findings: placedFindings(source.flags),
    returned: source.returned && {
      id: source.returned.id,
      rowVersion: source.returned.rowVersion,
      notice: BASIS_FORM.returnedNotice(source.returned.request ?? ''),
      reviewUrl: urls.reviewItem(source.returned.id),
    },
  };
}
