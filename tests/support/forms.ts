// Filling forms as a browser would from what an item's JSON says, so a test changes only what it names.
/** The item form's fields for an item read from /api/v1/items/:code, with `changes` applied. */
export const itemFormOf = (i: Record<string, any>, changes: Record<string, string> = {}) => ({
  name: i.name,
  category: i.category,
  level: i.level ?? '',
  statutoryLimitDays: i.statutoryLimitDays == null ? '' : String(i.statutoryLimitDays),
  promisedLimitDays: i.promisedLimitDays == null ? '' : String(i.promisedLimitDays),
  materials: i.materials ?? '',
  conditions: i.conditions ?? '',
  processText: i.processText ?? '',
  feeStandard: i.feeStandard ?? '',
  feeBasis: i.feeBasis ?? '',
  contactPhone: i.contactPhone ?? '',
  supervisionPhone: i.supervisionPhone ?? '',
  remarks: i.remarks ?? '',
  ...(i.instant ? { instant: 'on' } : {}),
  ...(i.feeCharged ? { feeCharged: 'on' } : {}),
  rowVersion: String(i.rowVersion),
  serviceObjects: i.serviceObjects,
  ...changes,
});
