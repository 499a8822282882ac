// The review workflow's transition rules: every allowed transition, and every other combination
// of state, action and role refused with a Chinese reason.
import { describe, it, expect } from 'vitest';
import { REVIEW_STATE_CODES, TRANSITIONS, allowedActions, needsExpertReview, submissionStateOf, transition, type ReviewAction, type TransitionFacts } from '../../../server/review/states.js';
import { ROLE_CODES } from '../../../server/domain/vocabulary.js';

const plain: TransitionFacts = { kind: 'remove', disposition: 'cancel', expertsPending: 0, expertsAssigned: 0, expertReviewClosed: false };
const expertDone: TransitionFacts = { kind: 'change', disposition: 'retain', expertsPending: 0, expertsAssigned: 1, expertReviewClosed: false };

/** Written out by hand from seed 000's path: state --action/role--> next. */
const ALLOWED: [string, ReviewAction, string, string][] = [
  ['draft', 'submit', 'department', 'submitted'],
  ['submitted', 'withdraw', 'department', 'withdrawn'],
  ['submitted', 'start_review', 'legal_office', 'under_review'],
  ['submitted', 'start_review', 'admin', 'under_review'],
  ['resubmitted', 'start_review', 'legal_office', 'under_review'],
  ['resubmitted', 'start_review', 'admin', 'under_review'],
  ['under_review', 'return', 'legal_office', 'returned'],
  ['under_review', 'return', 'admin', 'returned'],
  ['returned', 'answer', 'department', 'resubmitted'],
  ['under_review', 'decide', 'legal_office', 'decided'],
  ['under_review', 'decide', 'admin', 'decided'],
  ['decided', 'finalise', 'legal_office', 'final'],
  ['decided', 'finalise', 'admin', 'final'],
  ['decided', 'reopen', 'legal_office', 'under_review'],
  ['decided', 'reopen', 'admin', 'under_review'],
  ['in_expert_review', 'reopen', 'legal_office', 'under_review'],
  ['in_expert_review', 'reopen', 'admin', 'under_review'],
];

describe('review transitions (seed 000: report → legal review → expert review → final)', () => {
  for (const state of REVIEW_STATE_CODES) {
    for (const action of Object.keys(TRANSITIONS) as ReviewAction[]) {
      for (const role of ROLE_CODES) {
        const allowed = ALLOWED.find(([s, a, r]) => s === state && a === action && r === role);
        it(`${state} --${action}/${role}--> ${allowed ? allowed[3] : 'refused'}`, () => {
          const result = transition(state, action, role, plain);
          if (allowed) expect(result).toEqual({ ok: true, to: allowed[3] });
          else {
            expect(result.ok).toBe(false);
            if (!result.ok) expect(result.reason).toMatch(/[\u4e00-\u9fa5]/);
          }
        });
      }
    }
  }
});

describe('expert review before publication (seed 000, 二(五)3)', () => {
  it('kept-with-changes, new, accepted-from-above, delegated and mode-changed items need experts; cancelled and unchanged ones do not', () => {
    expect(needsExpertReview('change', 'retain')).toBe(true);
    expect(needsExpertReview('new', 'new')).toBe(true);
    expect(needsExpertReview('new', 'accept_from_above')).toBe(true);
    expect(needsExpertReview('change', 'delegate')).toBe(true);
    expect(needsExpertReview('remove', 'change_mode')).toBe(true);
    expect(needsExpertReview('remove', 'retain')).toBe(false);
    expect(needsExpertReview('change', 'cancel')).toBe(false);
    expect(needsExpertReview('change', 'merge')).toBe(false);
  });

  it('such an item cannot be finalised straight after the decision: it goes to the experts first', () => {
    const decided = { ...expertDone, expertsAssigned: 0 };
    expect(transition('decided', 'finalise', 'legal_office', decided)).toMatchObject({ ok: false, reason: expect.stringContaining('专家评审') });
    expect(transition('decided', 'send_to_experts', 'legal_office', decided)).toEqual({ ok: true, to: 'in_expert_review' });
  });

  it('an item that needs no experts is not sent to them', () => {
    expect(transition('decided', 'send_to_experts', 'legal_office', plain)).toMatchObject({ ok: false });
  });

  it('while an assigned expert has not answered the item cannot be finalised, unless the legal office closed the review with a reason', () => {
    const pending = { ...expertDone, expertsPending: 1, expertsAssigned: 2 };
    expect(transition('in_expert_review', 'finalise', 'legal_office', pending)).toMatchObject({ ok: false, reason: expect.stringContaining('1 位专家') });
    expect(transition('in_expert_review', 'finalise', 'legal_office', { ...pending, expertReviewClosed: true })).toEqual({ ok: true, to: 'final' });
    expect(transition('in_expert_review', 'finalise', 'legal_office', expertDone)).toEqual({ ok: true, to: 'final' });
  });

  it('with no expert assigned at all, expert review cannot be finalised without closing it', () => {
    expect(transition('in_expert_review', 'finalise', 'legal_office', { ...expertDone, expertsAssigned: 0 })).toMatchObject({ ok: false });
  });

  it('experts and the supervisor never move an item', () => {
    for (const action of Object.keys(TRANSITIONS) as ReviewAction[]) {
      for (const state of REVIEW_STATE_CODES) {
        expect(transition(state, action, 'expert', expertDone).ok).toBe(false);
        expect(transition(state, action, 'supervisor', expertDone).ok).toBe(false);
      }
    }
  });
});

describe("a submission's state follows its items", () => {
  it('is the earliest open state, withdrawn only when every item is, final when every open item is', () => {
    expect(submissionStateOf(['under_review', 'submitted'])).toBe('submitted');
    expect(submissionStateOf(['decided', 'returned'])).toBe('returned');
    expect(submissionStateOf(['final', 'withdrawn'])).toBe('final');
    expect(submissionStateOf(['withdrawn', 'withdrawn'])).toBe('withdrawn');
    expect(submissionStateOf(['final', 'in_expert_review'])).toBe('in_expert_review');
  });
});

describe('what a page may offer', () => {
  it('offers exactly the actions the transition table allows now: experts pending leave only reopening, an answered review allows finalising', () => {
    const pending = { ...expertDone, expertsPending: 1, expertsAssigned: 1 };
    expect([...allowedActions('in_expert_review', 'legal_office', pending)]).toEqual(['reopen']);
    expect([...allowedActions('in_expert_review', 'legal_office', expertDone)].sort()).toEqual(['finalise', 'reopen']);
    expect([...allowedActions('decided', 'legal_office', { ...expertDone, expertsAssigned: 0 })].sort()).toEqual(['reopen', 'send_to_experts']);
    expect([...allowedActions('returned', 'department', plain)]).toEqual(['answer']);
    expect([...allowedActions('returned', 'legal_office', plain)]).toEqual([]);
  });
});
