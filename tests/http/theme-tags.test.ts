// Themes the legal office tags by hand on top of the rules on names: a theme added to an item, or a keyword
// theme taken away, shows at once in the counts, the theme filter and the home page of the public catalogue
// (every published version) and of the working catalogue, and in the static export; it is audited, refused
// inputs change nothing, only the legal office and the admin may tag, and no published version changes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestClient, type TestServer } from '../support/http.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';
import { getVersion } from '../../server/publication/reader.js';
import { verifyVersion } from '../../server/publication/verify.js';
import { THEME_NAMES, themesOfName } from '../../server/domain/themes.js';
import { normaliseText } from '../../server/domain/search-tables.js';
import { THEME_TAG_LABELS, THEME_TAG_MESSAGES } from '../../server/domain/labels.js';
import { exportStaticSite, fileName } from '../../exports/static-site.js';
import { createViewEngine } from '../../server/views/engine.js';

let server: TestServer;
let legal: TestClient;
let added: { code: string; name: string };
let removed: { code: string; name: string };
let spare: { code: string; name: string };
const HAND = 'birth'; // 生育收养
const KEYWORD = 'transport'; // 交通出行

interface ListJson {
  total: number;
  items: { code: string }[];
  facets: { themes: { code: string; count: number }[] };
}

const anonymous = () => server.client();
const list = async (client: TestClient, query: string) => {
  const r = await client.get(`/api/v1/items?${query}&facets=1`);
  expect(r.status).toBe(200);
  return r.json<ListJson>();
};
const themeCount = (body: ListJson, theme: string) => body.facets.themes.find((t) => t.code === theme)?.count ?? 0;
const tags = () => server.db.$client.prepare('SELECT item_code, theme, tag, tagged_by FROM item_theme_tags ORDER BY id').all();
const auditCount = () => server.db.$client.prepare("SELECT count(*) FROM audit_log WHERE action LIKE 'item_theme.%'").pluck().get() as number;
const itemsWhere = (ok: (themes: string[]) => boolean) =>
  (server.db.$client.prepare('SELECT code, name, service_objects AS serviceObjects FROM items WHERE removed_at IS NULL AND parent_id IS NULL ORDER BY code').all() as { code: string; name: string; serviceObjects: string }[]).filter((i) =>
    ok(themesOfName(normaliseText(i.name))),
  );
/** What the home page's theme entry points count under the hand theme (个人 and 法人 together). */
const homeThemeCount = (page: { text: string }) =>
  [...page.text.matchAll(new RegExp(`data-theme="${HAND}">[^<]*<span class="facet-count"[^>]*>(\\d+)<`, 'g'))].reduce((sum, m) => sum + Number(m[1]), 0);
const tag = (client: TestClient, code: string, theme: string) => client.postForm(`/workspace/items/${encodeURIComponent(code)}/themes`, { theme });
const untag = (client: TestClient, code: string, theme: string) => client.postForm(`/workspace/items/${encodeURIComponent(code)}/themes/${theme}/remove`, {});

beforeAll(async () => {
  server = await startTestServer(demoDb());
  publishVersion(server.services, SYSTEM_ACTOR, { title: '某区行政权力清单（2026年版）', effectiveOn: '2026-03-01' });
  legal = server.client();
  await legal.login('legal');
  // For 个人 (生育收养 is a theme of the 个人 entry points on the home page).
  const outside = itemsWhere((t) => !t.includes(HAND)).filter((i) => i.serviceObjects.includes('citizens'));
  [added, spare] = [outside[3]!, outside[40]!];
  removed = itemsWhere((t) => t.includes(KEYWORD))[2]!;
});
afterAll(() => server.close());

describe('themes the legal office tags by hand', () => {
  it('a theme the legal office adds to an item counts under that theme on the public catalogue', async () => {
    const before = await list(anonymous(), `theme=${HAND}`);
    const homeBefore = homeThemeCount(await anonymous().get('/'));
    const beforeVersionPage = await anonymous().get(`/versions/1?theme=${HAND}`); // kept in the page cache
    expect(beforeVersionPage.status).toBe(200);
    expect((await list(anonymous(), `theme=${HAND}&q=${encodeURIComponent(added.code)}`)).total).toBe(0);

    const reply = await tag(legal, added.code, HAND);
    expect(reply.status).toBe(303);
    expect(reply.location).toBe(`/items/${encodeURIComponent(added.code)}?theme_added=${HAND}#item-themes`);

    // The public catalogue (the latest version): the count, the filter and the home page's entry point.
    const after = await list(anonymous(), `theme=${HAND}`);
    expect(themeCount(after, HAND)).toBe(themeCount(before, HAND) + 1);
    expect(after.total).toBe(before.total + 1);
    expect((await list(anonymous(), `theme=${HAND}&q=${encodeURIComponent(added.code)}`)).items.map((i) => i.code)).toEqual([added.code]);
    expect(homeThemeCount(await anonymous().get('/'))).toBe(homeBefore + 1);
    // The version's own page, kept for visitors before the tag, counts it too.
    const versionPage = await anonymous().get(`/versions/1?theme=${HAND}`);
    expect(Number(/<strong id="total">(\d+)<\/strong>/.exec(versionPage.text)?.[1])).toBe(after.total);
    // The working catalogue (staff) too.
    expect((await list(legal, `theme=${HAND}&q=${encodeURIComponent(added.code)}`)).total).toBe(1);
    // Stored and audited.
    expect(tags()).toContainEqual({ item_code: added.code, theme: HAND, tag: 'added', tagged_by: 'legal' });
    const audit = server.db.$client.prepare("SELECT actor, entity_type, entity_id, after FROM audit_log WHERE action = 'item_theme.add' ORDER BY seq DESC LIMIT 1").get() as Record<string, string>;
    expect(audit).toMatchObject({ actor: 'legal', entity_type: 'item_theme', entity_id: `${added.code}/${HAND}` });
    expect(JSON.parse(audit.after!)).toEqual({ theme: HAND, themeTag: 'added' });
    // The audit page names the action, the theme and the tag in Chinese.
    const log = (await legal.get('/audit?entityType=item_theme')).text;
    expect(log).toContain('为事项标注主题');
    expect(log).toContain('生育收养');
    expect(log).toContain(THEME_TAG_LABELS.tags.added);
  });

  it('the item page shows the legal office each theme and where it comes from, by name or by hand', async () => {
    const page = (await legal.get(`/items/${encodeURIComponent(added.code)}?theme_added=${HAND}`)).text;
    expect(page).toContain('id="item-themes"');
    expect(page).toContain(THEME_TAG_LABELS.added('生育收养'));
    expect(page).toMatch(new RegExp(`data-theme="${HAND}" data-source="hand"`));
    for (const t of themesOfName(normaliseText(added.name))) expect(page).toMatch(new RegExp(`data-theme="${t}" data-source="rule"`));
    expect(page).toContain(`action="/workspace/items/${encodeURIComponent(added.code)}/themes"`);
    // The public guide has no such block.
    expect((await anonymous().get(`/items/${encodeURIComponent(added.code)}`)).text).not.toContain('id="item-themes"');
  });

  it('a keyword theme the legal office removes no longer lists the item', async () => {
    const before = await list(anonymous(), `theme=${KEYWORD}`);
    expect((await list(anonymous(), `theme=${KEYWORD}&q=${encodeURIComponent(removed.code)}`)).total).toBe(1);
    const reply = await untag(legal, removed.code, KEYWORD);
    expect(reply.status).toBe(303);
    const after = await list(anonymous(), `theme=${KEYWORD}`);
    expect(themeCount(after, KEYWORD)).toBe(themeCount(before, KEYWORD) - 1);
    expect((await list(anonymous(), `theme=${KEYWORD}&q=${encodeURIComponent(removed.code)}`)).total).toBe(0);
    expect((await list(legal, `theme=${KEYWORD}&q=${encodeURIComponent(removed.code)}`)).total).toBe(0);
    expect(tags()).toContainEqual({ item_code: removed.code, theme: KEYWORD, tag: 'removed', tagged_by: 'legal' });
    // The block says it was taken away by hand, and offers to put it back; putting it back drops the tag.
    const page = (await legal.get(`/items/${encodeURIComponent(removed.code)}`)).text;
    expect(page).toContain('id="item-themes-removed"');
    expect(page).toContain(`<option value="${KEYWORD}">`);
    expect((await tag(legal, removed.code, KEYWORD)).status).toBe(303);
    expect(tags()).not.toContainEqual(expect.objectContaining({ item_code: removed.code, theme: KEYWORD }));
    expect(themeCount(await list(anonymous(), `theme=${KEYWORD}`), KEYWORD)).toBe(themeCount(before, KEYWORD));
    expect((await untag(legal, removed.code, KEYWORD)).status).toBe(303);
  });

  it('a department clerk cannot tag themes, nor can a supervisor or a visitor', async () => {
    const before = [tags(), auditCount()];
    for (const who of ['dept-xzsp', 'supervisor', null]) {
      const client = server.client();
      if (who) await client.login(who);
      else await client.get('/login');
      const r = await tag(client, spare.code, HAND);
      expect([401, 403, 303], `${who}`).toContain(r.status);
      if (r.status === 303) expect(r.location).toMatch(/^\/login/);
      const json = await client.sendJson('POST', `/api/v1/items/${encodeURIComponent(spare.code)}/themes`, { theme: HAND }, await client.csrfToken());
      expect([401, 403]).toContain(json.status);
      // Nor does the item page offer them the block.
      expect((await client.get(`/items/${encodeURIComponent(spare.code)}`)).text).not.toContain('id="item-themes"');
    }
    expect([tags(), auditCount()]).toEqual(before);
  });

  it('a refused tag (unknown theme, unknown item, a theme the item already has) changes nothing and says why in Chinese', async () => {
    const before = [tags(), auditCount()];
    const unknownTheme = await tag(legal, spare.code, 'no_such_theme');
    expect(unknownTheme.status).toBe(400);
    expect(unknownTheme.text).toContain(THEME_TAG_MESSAGES.unknownTheme);
    expect(unknownTheme.text).toContain('id="item-themes"'); // the item page again, the message in its block
    const unknownItem = await tag(legal, 'NO-SUCH-ITEM', HAND);
    expect(unknownItem.status).toBe(404);
    expect(unknownItem.text).toContain(THEME_TAG_MESSAGES.unknownItem);
    const ruledItem = itemsWhere((t) => t.length > 0).find((i) => i.code !== removed.code)!;
    const byRule = await tag(legal, ruledItem.code, themesOfName(normaliseText(ruledItem.name))[0]!);
    expect(byRule.status).toBe(400);
    expect(byRule.text).toMatch(/已按关键词归入/);
    const notUnder = await untag(legal, spare.code, HAND);
    expect(notUnder.status).toBe(400);
    const json = await legal.sendJson('POST', `/api/v1/items/${encodeURIComponent(spare.code)}/themes`, { theme: 'nope' }, await legal.csrfToken());
    expect(json.status).toBe(400);
    expect(json.json<{ error: { message: string } }>().error.message).toBe(THEME_TAG_MESSAGES.unknownTheme);
    expect([tags(), auditCount()]).toEqual(before);
  });

  it('the JSON twin tags and untags as the form does', async () => {
    const csrf = await legal.csrfToken();
    const put = await legal.sendJson('POST', `/api/v1/items/${encodeURIComponent(spare.code)}/themes`, { theme: HAND }, csrf);
    expect(put.status).toBe(201);
    expect(put.json<{ themes: { code: string; source: string }[] }>().themes).toContainEqual(expect.objectContaining({ code: HAND, source: 'hand' }));
    expect((await list(anonymous(), `theme=${HAND}&q=${encodeURIComponent(spare.code)}`)).total).toBe(1);
    const off = await legal.sendJson('POST', `/api/v1/items/${encodeURIComponent(spare.code)}/themes/${HAND}/remove`, {}, csrf);
    expect(off.status).toBe(200);
    expect((await list(anonymous(), `theme=${HAND}&q=${encodeURIComponent(spare.code)}`)).total).toBe(0);
  });

  it("tagging a theme does not change the published version's hash", async () => {
    const hash = getVersion(server.db, 1)!.contentHash;
    expect(verifyVersion(server.db, 1).ok).toBe(true);
    expect((await tag(legal, spare.code, 'education')).status).toBe(303);
    expect((await untag(legal, removed.code, themesOfName(normaliseText(removed.name)).find((t) => t !== KEYWORD) ?? KEYWORD)).status).toBe(303);
    expect(getVersion(server.db, 1)!.contentHash).toBe(hash);
    expect(verifyVersion(server.db, 1).ok).toBe(true);
  });

  it("the static export's theme page lists a hand-tagged item", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'theme-tags-site-'));
    try {
      await exportStaticSite(server.services, getVersion(server.db, 1)!, dir, createViewEngine(), { pageSize: 5000 });
      const page = readFileSync(join(dir, 'themes', fileName(HAND), 'page-1.html'), 'utf8');
      expect(page).toContain(added.code);
      const keywordPage = readFileSync(join(dir, 'themes', fileName(KEYWORD), 'page-1.html'), 'utf8');
      expect(keywordPage).not.toContain(`>${removed.code}<`);
      expect(keywordPage).not.toContain(removed.name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the public guide names the item's themes, each a link to its list, in the catalogue, a version and the static export, and a new tag shows at once", async () => {
    const guideThemes = (html: string) => (html.match(/id="guide-themes">(.*?)<\/dd>/s)?.[1] ?? '').replaceAll('&#x3D;', '=');
    const link = (url: string, theme: string) => `<a href="${url}">${THEME_NAMES[theme]}</a>`;
    const catalogue = guideThemes((await anonymous().get(`/items/${encodeURIComponent(added.code)}`)).text);
    expect(catalogue).toContain(link(`/items?theme=${HAND}`, HAND));
    const version = guideThemes((await anonymous().get(`/versions/1/items/${encodeURIComponent(added.code)}`)).text);
    expect(version).toContain(link(`/versions/1?theme=${HAND}`, HAND));
    // The keyword theme taken away is not named.
    expect(guideThemes((await anonymous().get(`/versions/1/items/${encodeURIComponent(removed.code)}`)).text)).not.toContain(THEME_NAMES[KEYWORD]!);

    // A page a visitor has already seen (kept for the next) names a theme tagged since.
    const spareUrl = `/versions/1/items/${encodeURIComponent(spare.code)}`;
    expect(guideThemes((await anonymous().get(spareUrl)).text)).not.toContain(THEME_NAMES[HAND]!);
    const first = await anonymous().get(spareUrl);
    expect((await tag(legal, spare.code, HAND)).status).toBe(303);
    expect(guideThemes((await anonymous().get(spareUrl)).text)).toContain(link(`/versions/1?theme=${HAND}`, HAND));
    expect((await anonymous().get(spareUrl)).headers.get('etag')).not.toBe(first.headers.get('etag'));
    expect((await untag(legal, spare.code, HAND)).status).toBe(303);

    const dir = mkdtempSync(join(tmpdir(), 'theme-tags-guide-'));
    try {
      await exportStaticSite(server.services, getVersion(server.db, 1)!, dir, createViewEngine(), { pageSize: 5000 });
      const page = guideThemes(readFileSync(join(dir, 'items', `${fileName(added.code)}.html`), 'utf8'));
      expect(page).toContain(link(`../themes/${fileName(HAND)}/page-1.html`, HAND));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

