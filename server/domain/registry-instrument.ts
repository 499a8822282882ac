// A registered legal instrument as citations are matched against it (the import's reading child gets a
// list of these, not the database).
export interface RegistryInstrument {
  id: number;
  title: string;
  /** normalizeInstrumentTitle(title), as stored in legal_instruments.normalized_title. */
  normalizedTitle: string;
  status: string;
  publishedOn: string | null;
  documentNumber?: string | null;
}
