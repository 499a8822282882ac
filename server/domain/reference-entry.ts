// An entry of a higher-level list (cancellation, delegation, standard catalogue) as read from its
// upload: the reader in imports/ produces it, the catalogue stores it.
export interface ReferenceEntryInput {
  name: string;
  departmentText: string | null;
  decisionNumber: string | null;
  remarks: string | null;
  /** Where it came from, for messages: "第3行" or "Sheet1 第5行". */
  where: string;
}
