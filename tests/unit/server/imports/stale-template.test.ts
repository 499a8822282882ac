// A stale pre-filled template: a field the catalogue changed after the template was made, which the file
// still has as it was exported, would undo that later decision; a field the clerk edited is the clerk's.
import { describe, it, expect } from 'vitest';
import { compareItem, type CurrentItem, type PresentField, type Proposal } from '../../../../server/imports/compare.js';
import { presentWithout, staleReverts } from '../../../../server/imports/stage.js';
import type { ItemFields } from '../../../../server/domain/item-fields.js';
import type { StampedItem } from '../../../../imports/template-stamp.js';

const FIELDS: ItemFields = {
  name: '道路货物运输经营许可',
  category: 'permit',
  level: null,
  serviceObjects: [],
  statutoryLimitDays: 20,
  promisedLimitDays: 10,
  instant: false,
  feeCharged: false,
  feeStandard: null,
  feeBasis: null,
  conditions: null,
  materials: null,
  processText: null,
  contactPhone: null,
  supervisionPhone: null,
  remarks: null,
  servicePlace: null,
  serviceHours: null,
  onSiteVisits: null,
  onlineDepth: null,
  resultName: null,
};
const present = new Set<PresentField>(['name', 'category', 'statutoryLimitDays', 'promisedLimitDays', 'supervisionPhone', 'citations']);
const exported: StampedItem = { code: 'JT-1', version: 2, exported: { fields: FIELDS, mainItemName: null, citations: [], prerequisites: [] } };
// Since the template was made, the legal office shortened the statutory limit (version 3).
const catalogue: CurrentItem = { fields: { ...FIELDS, statutoryLimitDays: 15 }, mainItemName: null, citations: [], prerequisites: [] };
// The clerk changed the supervision phone and the promised limit, and left the rest as exported.
const file: Proposal = {
  code: 'JT-1',
  fields: { ...FIELDS, supervisionPhone: '028-1', promisedLimitDays: 8 },
  mainItemName: null,
  citations: [],
  prerequisites: [],
  disposition: null,
};

describe('staleReverts', () => {
  it('a field the file has as exported, changed in the catalogue since, is a revert; the clerk’s edits are not', () => {
    const diff = compareItem(catalogue, file, present);
    expect(diff.map((c) => c.field).sort()).toEqual(['promisedLimitDays', 'statutoryLimitDays', 'supervisionPhone']);
    const reverts = staleReverts(exported, 3, diff, file, present);
    expect(reverts).toEqual([{ field: 'statutoryLimitDays', label: '法定时限', before: 15, after: 20, value: 20 }]);
    // Left out of the proposal: the row proposes only what the clerk changed.
    expect(compareItem(catalogue, file, presentWithout(present, reverts)).map((c) => c.field).sort()).toEqual(['promisedLimitDays', 'supervisionPhone']);
  });

  it('nothing is a revert when the item has not changed since the template was made', () => {
    const diff = compareItem({ ...catalogue, fields: FIELDS }, file, present);
    expect(staleReverts(exported, 2, diff, file, present)).toEqual([]);
  });

  it('the clerk writing a field back to the catalogue’s new value is no revert either', () => {
    const same = { ...file, fields: { ...file.fields, statutoryLimitDays: 15 } };
    expect(staleReverts(exported, 3, compareItem(catalogue, same, present), same, present)).toEqual([]);
  });
});
