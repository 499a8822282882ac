// Which item fields a sheet carries: the reading child writes them into each proposal, and staging
// compares only these with the catalogue (a field the sheet lacks is never overwritten).
import type { ColumnKey } from './columns.js';
import type { PresentField } from '../server/imports/compare.js';

/** Which item fields a sheet carries, from its header columns. Fields it lacks are never overwritten. */
export function presentFields(headers: Partial<Record<ColumnKey, string>>): PresentField[] {
  const has = (k: ColumnKey) => k in headers;
  const out: PresentField[] = ['name', 'category'];
  if (has('level')) out.push('level');
  if (has('serviceObject')) out.push('serviceObjects');
  if (has('statutoryLimit')) out.push('statutoryLimitDays');
  if (has('promisedLimit')) out.push('promisedLimitDays');
  if (has('statutoryLimit') || has('promisedLimit') || has('handlingType')) out.push('instant');
  if (has('feeStandard')) out.push('feeCharged', 'feeStandard');
  if (has('feeBasis')) out.push('feeBasis');
  if (has('conditions')) out.push('conditions');
  if (has('materials')) out.push('materials');
  if (has('process')) out.push('processText');
  if (has('contactPhone')) out.push('contactPhone');
  if (has('supervisionPhone')) out.push('supervisionPhone');
  if (has('remarks')) out.push('remarks');
  if (has('servicePlace')) out.push('servicePlace');
  if (has('serviceHours')) out.push('serviceHours');
  if (has('onSiteVisits')) out.push('onSiteVisits');
  if (has('onlineDepth')) out.push('onlineDepth');
  if (has('resultName')) out.push('resultName');
  if (has('basis') || has('implementingBasis')) out.push('citations');
  if (has('implementingBasis')) out.push('implementingCitations');
  if (has('prerequisites')) out.push('prerequisites');
  return out;
}
