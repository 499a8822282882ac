// Each person's inbox (工作台 待办): what waits for them, counted, each row linking to the filtered list
// where the work is done. The inbox is a list of providers; to add a row (say, public feedback awaiting
// an answer), add one entry to PROVIDERS with its title in labels.ts and its count in db/queries/inbox.ts.
import { can, departmentScope, type Subject } from '../auth/policy.js';
import { INBOX_TEXT, INBOX_TITLES, localDayStart } from '../domain/labels.js';
import { DISPOSITION_CODES, PROPOSAL_KINDS, type ProposalKind } from '../domain/vocabulary.js';
import { needsExpertReview } from '../review/states.js';
import { urls } from '../urls.js';
import type { InboxRepository } from '../../db/queries/inbox.js';

/** The menu entries a count can add its badge to (keys of the layout's `nav`). */
export type MenuEntry = 'reviewQueue' | 'submissions' | 'flags' | 'feedback';

/** What a provider is asked with: the person, the counts, the day, and how far a count need go. */
export interface InboxContext {
  user: Subject & { id: number };
  repo: InboxRepository;
  /** Today in Asia/Shanghai, YYYY-MM-DD. */
  today: string;
  /** Stop counting past this many (EXACT, -1, for no limit). */
  cap: number;
}

/** One reading: a count, or (for a date such as a deadline) a line of text; null when there is nothing to show. */
export interface InboxReading {
  count: number | null;
  detail?: string;
}

export interface InboxProvider {
  key: keyof typeof INBOX_TITLES;
  /** Who this row is for, asked of the policy (never of the role). */
  sees: (user: Subject) => boolean;
  read: (ctx: InboxContext) => InboxReading | null;
  /** Where the work is done: the list filtered to exactly what was counted. */
  link: (ctx: InboxContext) => string;
  /** The menu entry whose badge this count adds to; none for what is not work waiting (recent actions). */
  menu?: MenuEntry;
}

/** The `kind:disposition` pairs the review workflow sends to experts before they may be finalised. */
export const NEEDS_EXPERTS: readonly string[] = (Object.keys(PROPOSAL_KINDS) as ProposalKind[]).flatMap((kind) =>
  DISPOSITION_CODES.filter((d) => needsExpertReview(kind, d)).map((d) => `${kind}:${d}`),
);

const decides = (u: Subject) => can(u, 'decide:review');
const proposes = (u: Subject) => can(u, 'answer:submission');
const gives = (u: Subject) => can(u, 'create:opinion');
/** Those who watch the work but take no decision in it (the supervisor). */
const watches = (u: Subject) => can(u, 'read:audit') && !can(u, 'decide:review');
/** A proposing person's own department; -1 (nothing) should a person without one ever propose. */
const ownDepartment = (u: Subject) => departmentScope(u, 'answer:submission') ?? -1;

const count = (n: number): InboxReading => ({ count: n });

/** Whole days from one YYYY-MM-DD to another. */
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** Six days back and today: the supervisor's "last 7 days". */
const weekAgo = (today: string) => new Date(Date.parse(`${today}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10);

export const PROVIDERS: readonly InboxProvider[] = [
  // the legal office
  {
    key: 'submitted',
    sees: decides,
    read: (c) => count(c.repo.itemsInState('submitted', null, c.cap)),
    link: () => urls.reviewQueue({ state: 'submitted' }),
    menu: 'reviewQueue',
  },
  {
    key: 'resubmitted',
    sees: decides,
    read: (c) => count(c.repo.itemsInState('resubmitted', null, c.cap)),
    link: () => urls.reviewQueue({ state: 'resubmitted' }),
    menu: 'reviewQueue',
  },
  {
    key: 'underReview',
    sees: decides,
    read: (c) => count(c.repo.itemsInState('under_review', null, c.cap)),
    link: () => urls.reviewQueue({ state: 'under_review' }),
    menu: 'reviewQueue',
  },
  {
    key: 'opinionsToHandle',
    sees: decides,
    read: (c) => count(c.repo.opinionsToHandle(c.cap)),
    link: () => urls.reviewQueue({ waiting: 'handling' }),
    menu: 'reviewQueue',
  },
  {
    key: 'readyToFinalise',
    sees: decides,
    read: (c) => count(c.repo.readyToFinalise(NEEDS_EXPERTS, c.cap)),
    link: () => urls.reviewQueue({ waiting: 'finalise' }),
    menu: 'reviewQueue',
  },
  {
    key: 'unregisteredBasis',
    sees: (u) => can(u, 'update:instrument'),
    read: (c) => count(c.repo.flagsOfRule('UNKNOWN_INSTRUMENT', c.cap)),
    link: () => urls.flags({ rule: 'UNKNOWN_INSTRUMENT' }),
    menu: 'flags',
  },
  {
    key: 'openFeedback',
    sees: (u) => can(u, 'answer:feedback'),
    read: (c) => count(c.repo.openFeedback(c.cap)),
    link: () => urls.feedback({ state: 'open' }),
    menu: 'feedback',
  },
  // a department
  {
    key: 'returned',
    sees: proposes,
    read: (c) => count(c.repo.itemsInState('returned', ownDepartment(c.user), c.cap)),
    link: () => urls.reviewQueue({ state: 'returned' }),
    menu: 'submissions',
  },
  {
    key: 'drafts',
    sees: proposes,
    read: (c) => count(c.repo.itemsInState('draft', ownDepartment(c.user), c.cap)),
    link: () => urls.reviewQueue({ state: 'draft' }),
    menu: 'submissions',
  },
  {
    key: 'deadline',
    sees: proposes,
    read: (c) => {
      const d = c.repo.deadline(ownDepartment(c.user));
      if (!d) return null;
      const when = d.dueOn ? INBOX_TEXT.dueIn(d.dueOn, daysBetween(c.today, d.dueOn)) : INBOX_TEXT.noDeadline;
      return { count: null, detail: `${d.campaignName}：${when}` };
    },
    link: () => urls.submissions(),
  },
  // an expert
  {
    key: 'awaitingOpinion',
    sees: gives,
    read: (c) => count(c.repo.awaitingOpinion(c.user.id, c.cap)),
    link: () => urls.reviewQueue({ waiting: 'opinion' }),
    menu: 'reviewQueue',
  },
  // the supervisor
  {
    key: 'recentActions',
    sees: watches,
    read: (c) => count(c.repo.auditSince(localDayStart(weekAgo(c.today)), c.cap)),
    link: (c) => urls.audit({ from: weekAgo(c.today) }),
  },
];

/** Today's date in Asia/Shanghai (UTC+8, no daylight saving). */
export const localToday = (now = new Date()): string => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

export interface InboxRow {
  key: InboxProvider['key'];
  title: string;
  /** How many, up to INBOX_CAP; with `more`, at least that many. */
  count: number | null;
  more: boolean;
  /** The count as the page shows it ("12", "10000+"). */
  countText: string | null;
  detail: string | null;
  url: string;
}

/**
 * The inbox page counts no further than this: past it a person needs the list, not the figure, and the
 * count stays a bounded read of an index however large the catalogue grows.
 */
export const INBOX_CAP = 10_000;

/** The person's inbox, in the providers' order. */
export function inboxOf(repo: InboxRepository, user: Subject & { id: number }, today = localToday(), providers = PROVIDERS): InboxRow[] {
  const ctx: InboxContext = { user, repo, today, cap: INBOX_CAP + 1 };
  return providers.flatMap((p) => {
    if (!p.sees(user)) return [];
    const reading = p.read(ctx);
    if (!reading) return [];
    const n = reading.count;
    const more = n !== null && n > INBOX_CAP;
    return [
      {
        key: p.key,
        title: INBOX_TITLES[p.key],
        count: n === null ? null : Math.min(n, INBOX_CAP),
        more,
        countText: n === null ? null : more ? INBOX_TEXT.more(INBOX_CAP) : String(n),
        detail: reading.detail ?? null,
        url: p.link(ctx),
      },
    ];
  });
}

/** The highest badge the menu spells out; beyond it, "99+". */
export const BADGE_CAP = 99;

/** A badge's text: the count, or "99+" beyond BADGE_CAP. */
export const badgeText = (n: number): string => (n > BADGE_CAP ? INBOX_TEXT.more(BADGE_CAP) : String(n));

/** The menu's badges: counts per menu entry and in all (for 工作台), each read no further than BADGE_CAP + 1. */
export function menuBadges(repo: InboxRepository, user: Subject & { id: number }, today = localToday(), providers = PROVIDERS) {
  const ctx: InboxContext = { user, repo, today, cap: BADGE_CAP + 1 };
  const entries: Partial<Record<MenuEntry, number>> = {};
  for (const p of providers) {
    if (!p.menu || !p.sees(user)) continue;
    const n = p.read(ctx)?.count ?? 0;
    if (n > 0) entries[p.menu] = (entries[p.menu] ?? 0) + n;
  }
  return { entries, total: Object.values(entries).reduce((a, b) => a + b, 0) };
}

export type MenuBadges = ReturnType<typeof menuBadges>;
