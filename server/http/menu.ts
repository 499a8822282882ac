// The staff menu: the pages a signed-in person may use, grouped (目录 / 清理 / 发布 / 管理), each entry
// shown only when the policy lets the person use it, with the inbox's counts as badges.
import { can, type Subject } from '../auth/policy.js';
import { INBOX_TEXT, MENU_GROUPS, MENU_LINKS } from '../domain/labels.js';
import { urls } from '../urls.js';
import { badgeText, type MenuBadges, type MenuEntry } from '../workspace/inbox.js';

interface EntrySpec {
  key: keyof typeof MENU_LINKS;
  url: string;
  /** Who may use the page; absent for pages everyone may read. */
  may?: (u: Subject) => boolean;
  /** The inbox badge it carries. */
  badge?: MenuEntry;
}

/** The people who submit follow their submissions; the others work from the queue. */
const worksFromQueue = (u: Subject) => can(u, 'read:review') && !can(u, 'answer:submission');

const GROUPS: { key: keyof typeof MENU_GROUPS; entries: EntrySpec[] }[] = [
  {
    key: 'catalogue',
    entries: [
      { key: 'items', url: urls.items() },
      { key: 'departments', url: urls.departments() },
      { key: 'instruments', url: urls.instruments() },
      { key: 'dashboard', url: urls.dashboard() },
      { key: 'prerequisites', url: urls.prerequisites(), may: (u) => can(u, 'read:prerequisite') },
      { key: 'referenceLists', url: urls.referenceLists(), may: (u) => can(u, 'read:reference_list') },
    ],
  },
  {
    key: 'cleanup',
    entries: [
      { key: 'imports', url: urls.imports(), may: (u) => can(u, 'read:import') },
      { key: 'submissions', url: urls.submissions(), may: (u) => can(u, 'answer:submission'), badge: 'submissions' },
      { key: 'reviewQueue', url: urls.reviewQueue(), may: (u) => worksFromQueue(u) && !can(u, 'create:opinion'), badge: 'reviewQueue' },
      { key: 'expertQueue', url: urls.reviewQueue(), may: (u) => worksFromQueue(u) && can(u, 'create:opinion'), badge: 'reviewQueue' },
      { key: 'campaigns', url: urls.campaigns(), may: (u) => can(u, 'read:campaign') },
      { key: 'flags', url: urls.flags(), may: (u) => can(u, 'read:flag'), badge: 'flags' },
      { key: 'register', url: urls.register(), may: (u) => can(u, 'read:register') },
    ],
  },
  {
    key: 'publish',
    entries: [
      { key: 'publish', url: urls.publish(), may: (u) => can(u, 'publish:catalogue') },
      { key: 'versions', url: urls.versions() },
      { key: 'feedback', url: urls.feedback(), may: (u) => can(u, 'read:feedback'), badge: 'feedback' },
    ],
  },
  {
    key: 'manage',
    entries: [
      { key: 'audit', url: urls.audit(), may: (u) => can(u, 'read:audit') },
      { key: 'jobs', url: urls.jobs(), may: (u) => can(u, 'read:job') },
      { key: 'adminDepartments', url: urls.adminDepartments(), may: (u) => can(u, 'manage:department') },
      { key: 'adminUsers', url: urls.adminUsers(), may: (u) => can(u, 'manage:user') },
    ],
  },
];

/** The path part of a URL, to tell which entry is the page shown. */
const pathOf = (url: string) => url.split('?')[0];

/** The menu as the layout draws it: 工作台 with the inbox's total, then the groups the person has entries in. */
export function staffMenu(user: Subject, currentPath: string, badges: MenuBadges) {
  const groups = GROUPS.map((g) => {
    const entries = g.entries
      .filter((e) => !e.may || e.may(user))
      .map((e) => {
        const n = e.badge ? (badges.entries[e.badge] ?? 0) : 0;
        return { text: MENU_LINKS[e.key], url: e.url, badge: n > 0 ? badgeText(n) : null, current: pathOf(e.url) === currentPath, n };
      });
    const n = entries.reduce((sum, e) => sum + e.n, 0);
    return { key: g.key, name: MENU_GROUPS[g.key], entries, badge: n > 0 ? badgeText(n) : null, current: entries.some((e) => e.current) };
  }).filter((g) => g.entries.length > 0);
  return {
    label: MENU_LINKS.menuLabel,
    waiting: INBOX_TEXT.heading,
    workspace: { text: MENU_LINKS.workspace, url: urls.workspace(), badge: badges.total > 0 ? badgeText(badges.total) : null, current: currentPath === urls.workspace() },
    groups,
  };
}
