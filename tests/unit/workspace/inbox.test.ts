// The inbox's providers and how counts are shown: capped on the page and in the menu, a provider seen
// only by those the policy lets see it, a new provider one entry.
import { describe, it, expect } from 'vitest';
import { BADGE_CAP, INBOX_CAP, inboxOf, menuBadges, NEEDS_EXPERTS, PROVIDERS, type InboxProvider } from '../../../server/workspace/inbox.js';
import type { InboxRepository } from '../../../db/queries/inbox.js';

/** A repository whose every count is `n` (never more than the cap it is asked with, as SQL LIMIT does). */
const repoOf = (n: number): InboxRepository => ({
  itemsInState: (_s, _d, cap) => (cap < 0 ? n : Math.min(n, cap)),
  opinionsToHandle: (cap) => (cap < 0 ? n : Math.min(n, cap)),
  awaitingOpinion: (_e, cap) => (cap < 0 ? n : Math.min(n, cap)),
  readyToFinalise: (_p, cap) => (cap < 0 ? n : Math.min(n, cap)),
  flagsOfRule: (_r, cap) => (cap < 0 ? n : Math.min(n, cap)),
  openFeedback: (cap) => (cap < 0 ? n : Math.min(n, cap)),
  auditSince: (_s, cap) => (cap < 0 ? n : Math.min(n, cap)),
  deadline: () => null,
});

const legal = { id: 1, role: 'legal_office' as const, departmentId: null };
const department = { id: 2, role: 'department' as const, departmentId: 7 };

describe('the inbox', () => {
  it(`counts no further than ${INBOX_CAP} on the page, and says "${INBOX_CAP}+" past it`, () => {
    const huge = inboxOf(repoOf(2_000_000), legal, '2026-12-06');
    const submitted = huge.find((r) => r.key === 'submitted')!;
    expect(submitted).toMatchObject({ count: INBOX_CAP, more: true, countText: `${INBOX_CAP}+` });
    const small = inboxOf(repoOf(6), legal, '2026-12-06').find((r) => r.key === 'submitted')!;
    expect(small).toMatchObject({ count: 6, more: false, countText: '6' });
  });

  it(`the menu's badges read no further than ${BADGE_CAP + 1} rows per count`, () => {
    const asked: number[] = [];
    const repo = { ...repoOf(5), itemsInState: (_s: string, _d: number | null, cap: number) => (asked.push(cap), 5) };
    const badges = menuBadges(repo, legal, '2026-12-06');
    expect(new Set(asked)).toEqual(new Set([BADGE_CAP + 1]));
    expect(badges.entries.reviewQueue).toBe(25); // submitted, resubmitted, under review, opinions, ready
    expect(badges.entries.flags).toBe(5);
  });

  it('shows each row only to those the policy lets see it', () => {
    expect(inboxOf(repoOf(1), department, '2026-12-06').map((r) => r.key)).toEqual(['returned', 'drafts']);
    expect(inboxOf(repoOf(1), legal, '2026-12-06').map((r) => r.key)).toEqual(['submitted', 'resubmitted', 'underReview', 'opinionsToHandle', 'readyToFinalise', 'unregisteredBasis', 'openFeedback']);
  });

  it('takes a new kind of work as one more provider', () => {
    const feedback: InboxProvider = { key: 'recentActions', sees: () => true, read: () => ({ count: 3 }), link: () => '/feedback?state=open' };
    const rows = inboxOf(repoOf(0), department, '2026-12-06', [...PROVIDERS, feedback]);
    expect(rows.at(-1)).toMatchObject({ count: 3, url: '/feedback?state=open' });
  });

  it('knows which decisions go to experts before finalising, as the review workflow does', () => {
    expect(NEEDS_EXPERTS).toEqual(expect.arrayContaining(['new:new', 'change:retain', 'change:delegate', 'remove:change_mode']));
    expect(NEEDS_EXPERTS).not.toContain('change:cancel');
    expect(NEEDS_EXPERTS).not.toContain('remove:retain');
  });
});
