// Checking proposals that are not (yet) items of the working catalogue: the rows of an open
// submission. The same rules, the same context as the catalogue; the proposal's citations are
// resolved against the registry by the instrument id the import matched.
import { cachedProcessSteps } from '../domain/process-steps.js';
import type { Proposal } from '../imports/compare.js';
import type { ServiceObject } from '../domain/vocabulary.js';
import { checkItem } from './engine.js';
import { proposedCitation, registryForChecks } from './load.js';
import { buildCheckContext, type CheckDeps } from './context.js';
import type { CheckContext, CheckedInstrument, CheckedItem, Finding } from './types.js';

export interface ProposalMeta {
  key: string;
  departmentCode: string;
  departmentName: string;
  isNew: boolean;
  previousName: string | null;
}

export function proposalCheckedItem(registry: Map<number, CheckedInstrument>, proposal: Proposal, meta: ProposalMeta): CheckedItem {
  const f = proposal.fields;
  return {
    key: meta.key,
    code: proposal.code,
    name: f.name,
    category: f.category,
    departmentCode: meta.departmentCode,
    departmentName: meta.departmentName,
    serviceObjects: f.serviceObjects as ServiceObject[],
    feeCharged: f.feeCharged,
    feeStandard: f.feeStandard,
    feeBasis: f.feeBasis,
    statutoryLimitDays: f.statutoryLimitDays,
    promisedLimitDays: f.promisedLimitDays,
    instant: f.instant,
    processText: f.processText,
    steps: cachedProcessSteps(f.processText),
    citations: proposal.citations.map((c) => proposedCitation(registry, c)),
    isNew: meta.isNew,
    previousName: meta.previousName,
    ...(proposal.prerequisites?.length ? { prerequisites: proposal.prerequisites } : {}),
  };
}

export interface SubmissionFindings {
  submissionId: number;
  submissionItemId: number;
  itemCode: string | null;
  name: string;
  departmentCode: string;
  departmentName: string;
  findings: Finding[];
}

/** Every proposal of a submission still open (not final, not withdrawn), checked. */
export function* checkOpenSubmissions(
  deps: CheckDeps,
  options: { department?: string | null; ctx?: CheckContext } = {},
): Generator<SubmissionFindings> {
  const ctx = options.ctx ?? buildCheckContext(deps, { scope: 'catalogue' });
  const registry = registryForChecks(deps.checks);
  for (const r of deps.checks.openProposals(options.department ?? null)) {
    const proposal = JSON.parse(r.proposal) as Proposal;
    const item = proposalCheckedItem(registry, proposal, {
      key: `submission-item:${r.id}`,
      departmentCode: r.department_code,
      departmentName: r.department_name,
      isNew: r.kind === 'new',
      previousName: r.item_name && r.item_name !== proposal.fields.name ? r.item_name : null,
    });
    yield {
      submissionId: r.submission_id,
      submissionItemId: r.id,
      itemCode: r.item_code ?? proposal.code,
      name: proposal.fields.name,
      departmentCode: r.department_code,
      departmentName: r.department_name,
      findings: checkItem(item, ctx),
    };
  }
}
