// The public site of one published version as static files that any web server (or file://) serves
// without this program: the catalogue by department, by category and in full, one service guide per
// item, every page's JSON twin, the downloads, the stylesheet and a search that runs in the browser.
// Pages are rendered with the live site's views and partials; every link is relative. Items stream
// from the database and each page is written as soon as it is complete, so memory stays flat.
import { closeSync, copyFileSync, createWriteStream, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import type { Db } from '../db/client.js';
import type { ItemDetail, ItemSummary } from '../db/queries/catalogue.js';
import type { PublishedItem } from '../server/publication/publish.js';
import type { SearchIndex } from '../server/publication/catalogue-index.js';
import {
  publishedInVersion,
  revisionsWithHistory,
  versionCategoryCounts,
  versionContentsInListOrder,
  versionSubItems,
} from '../db/queries/publication/revisions.js';
import { detail as publishedDetail, publishedCatalogue, summaryOf, type VersionInfo } from '../server/publication/reader.js';
import { citedInstrumentResolver } from '../server/publication/cited-instruments.js';
import { CATEGORIES, LEVELS, label, type Category } from '../server/domain/vocabulary.js';
import { itemGuideModel, itemRow, pager, type CatalogueLinks } from '../server/views/models.js';
import { VIEWS_DIR, type ViewEngine } from '../server/views/engine.js';
import type { Query } from '../server/urls.js';
import { errors } from '../server/errors.js';
import { browserScript } from '../imports/esbuild.js';
import { holdsDemoDistrict } from '../db/queries/demo-data.js';
import { DEMO_NOTICE } from '../server/domain/labels.js';
import { printScript } from '../server/views/print-script.js';
import { EXPORT_FORMATS, exportVersion } from './version-export.js';
import type { IndexRow } from './static-site/search.js';
import { simplifiedPairs } from '../server/domain/search-tables.js';
import { synonymPairs } from '../db/queries/search.js';
import { AUDIENCE_CODES, AUDIENCE_BIT, audienceMask } from '../server/domain/facets.js';
import { THEMES, THEME_NAMES, effectiveThemes, themesOfName } from '../server/domain/themes.js';
import { allThemeTags } from '../db/queries/theme-tags.js';
import { overridesOf } from '../server/catalogue/theme-tags.js';
import { FACET_LABELS } from '../server/domain/labels.js';
import { normaliseText } from '../server/domain/search-tables.js';
import { homeBrowseModel } from '../server/views/facets-model.js';

export const GENERATOR = 'catalogue export-site';
const PUBLIC_DIR = join(VIEWS_DIR, '..', 'public');
const HERE = dirname(fileURLToPath(import.meta.url));

let script: Promise<string> | undefined;

/**
 * The search page's script (static-site/search-page.ts and the matching of static-site/search.ts) as the
 * site's search.js: one classic script, bundled once per process. A build bundles its .js.
 */
function searchScript(): Promise<string> {
  const ts = join(HERE, 'static-site', 'search-page.ts');
  script ??= browserScript(existsSync(ts) ? ts : join(HERE, 'static-site', 'search-page.js')).catch((error: unknown) => {
    script = undefined;
    throw error;
  });
  return script;
}

export interface StaticSiteResult {
  items: number;
  departments: number;
  categories: number;
  /** HTML pages written, items included. */
  pages: number;
  /** Files written in all (pages, JSON, downloads, script, stylesheet). */
  files: number;
  bytes: number;
  seconds: number;
}

/** A code as a file name: kept when it is plainly safe, else a stable hex or hash form. */
export function fileName(code: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/.test(code) && !code.endsWith('.')) return code;
  const hex = Buffer.from(code, 'utf8').toString('hex');
  return hex.length <= 120 ? `x-${hex}` : `h-${createHash('sha256').update(code).digest('hex').slice(0, 40)}`;
}

/** Where each page lives, relative to the site's root. */
const paths = {
  index: () => 'index.html',
  search: () => 'search.html',
  list: (page: number) => `list/page-${page}.html`,
  departments: () => 'departments/index.html',
  department: (code: string, page: number) => `departments/${fileName(code)}/page-${page}.html`,
  category: (code: string, page: number) => `categories/${fileName(code)}/page-${page}.html`,
  theme: (code: string, page: number) => `themes/${fileName(code)}/page-${page}.html`,
  audience: (code: string, page: number) => `audiences/${fileName(code)}/page-${page}.html`,
  item: (code: string) => `items/${fileName(code)}.html`,
  /** The JSON twin of an HTML page sits at the same path under data/. */
  json: (htmlPath: string) => (htmlPath === 'index.html' ? 'data/version.json' : htmlPath === 'departments/index.html' ? 'data/departments.json' : `data/${htmlPath.replace(/\.html$/, '.json')}`),
  download: (n: number, format: string) => `downloads/catalogue-v${n}.${format}`,
};

/** A page of a list: the whole catalogue's, a department's or a category's. */
const listPath = (q: Query) => {
  const page = Number(q.page ?? 1);
  if (q.department) return paths.department(String(q.department), page);
  if (q.category) return paths.category(String(q.category), page);
  if (q.theme) return paths.theme(String(q.theme), page);
  if (q.audience) return paths.audience(String(q.audience), page);
  return paths.list(page);
};

const versionLabel = (v: VersionInfo) => `${v.title}（第 ${v.number} 版，${v.effectiveOn} 起施行）`;

/** The prefix that leads from a page back to the root ("", "../", "../../"). */
const rootOf = (path: string) => '../'.repeat(path.split('/').length - 1);


/** The item as GET /api/v1/versions/{n}/items/{code} answers it. */
const publicDetail = (d: ItemDetail) => {
  const { id: _id, departmentId: _d, rowVersion: _r, reviewStatus: _s, updatedAt: _u, disposition: _p, ...published } = d;
  return published;
};

class SiteWriter {
  files = 0;
  bytes = 0;
  pages = 0;
  private made = new Set<string>();

  constructor(
    readonly dir: string,
    readonly views: ViewEngine,
    readonly version: VersionInfo,
    /** The demo district's notice, on every page of a demo export. */
    readonly demoNotice: typeof DEMO_NOTICE | null = null,
  ) {}

  write(path: string, content: string | Buffer): void {
    const full = join(this.dir, path);
    const parent = dirname(full);
    if (!this.made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      this.made.add(parent);
    }
    writeFileSync(full, content);
    this.files++;
    this.bytes += typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  }

  json(htmlPath: string, value: unknown): void {
    this.write(paths.json(htmlPath), `${JSON.stringify(value)}\n`);
  }

  /** Links as seen from the page at `path`. */
  links(path: string): CatalogueLinks {
    const root = rootOf(path);
    return {
      item: (code) => root + paths.item(code),
      items: (q: Query = {}) => root + listPath(q),
      apiItem: (code) => root + paths.json(paths.item(code)),
      printScript: `${root}print.js`,
    };
  }

  /** A page in the static layout, with its JSON twin linked (the search page's results have none). */
  page(path: string, view: string, title: string, model: object, twin = true): void {
    const root = rootOf(path);
    const v = this.version;
    const html = this.views.render(
      view,
      {
        pageTitle: title,
        jsonUrl: twin ? root + paths.json(path) : null,
        root,
        demoNotice: this.demoNotice,
        nav: { home: root + paths.index(), items: root + paths.list(1), departments: root + paths.departments(), search: root + paths.search(), css: `${root}app.css` },
        site: {
          title: v.title,
          number: v.number,
          effectiveOn: v.effectiveOn,
          contentHash: v.contentHash,
          downloads: EXPORT_FORMATS.map((f) => ({ format: f, url: root + paths.download(v.number, f) })),
        },
        ...model,
      },
      'layouts/static',
    );
    this.write(path, html);
    this.pages++;
  }
}

/** A paged list of items (the whole catalogue, a department's, a category's), written a page at a time. */
class ListWriter {
  private rows: ItemSummary[] = [];
  private page = 0;

  constructor(
    private readonly site: SiteWriter,
    private readonly pageSize: number,
    private readonly total: number,
    private readonly query: Query,
    private readonly heading: string,
  ) {}

  add(item: ItemSummary): void {
    this.rows.push(item);
    if (this.rows.length === this.pageSize) this.flush();
  }

  finish(): void {
    if (this.rows.length || this.page === 0) this.flush();
  }

  private flush(): void {
    this.page++;
    const path = listPath({ ...this.query, page: this.page });
    const links = this.site.links(path);
    const v = this.site.version;
    this.site.page(path, 'static/list', this.page > 1 ? `${this.heading}（第 ${this.page} 页）` : this.heading, {
      heading: this.heading,
      catalogueLabel: versionLabel(v),
      searchUrl: `${rootOf(path)}${paths.search()}`,
      rows: this.rows.map((i) => itemRow(i, links)),
      pager: pager(this.total, this.page, this.pageSize, links.items, this.query),
    });
    this.site.json(path, { version: v, total: this.total, page: this.page, pageSize: this.pageSize, items: this.rows });
    this.rows = [];
  }
}

/** The output folder must be new, empty, or an earlier export of this command (which is replaced). */
function prepareDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    const marker = join(dir, paths.json(paths.index()));
    const earlier = existsSync(marker) && (JSON.parse(readFileSync(marker, 'utf8')) as { generator?: string }).generator === GENERATOR;
    if (!earlier) throw errors.invalid(`输出目录 ${dir} 不是空的，也不是以前导出的静态网站；请换一个目录。`);
    for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
}

export interface StaticSiteOptions {
  pageSize: number;
  /** Progress lines (every 10,000 items). */
  progress?: (line: string) => void;
  /** How far the export is, for a job's progress bar: items written, then list pages, then downloads. */
  onProgress?: (done: number, total: number, stage: 'exporting' | 'listing' | 'downloads') => void;
}

export async function exportStaticSite(
  { db, searchIndex }: { db: Db; searchIndex: SearchIndex },
  version: VersionInfo,
  dir: string,
  views: ViewEngine,
  options: StaticSiteOptions,
): Promise<StaticSiteResult> {
  const started = process.hrtime.bigint();
  prepareDir(dir);
  const n = version.number;
  const { pageSize } = options;
  const site = new SiteWriter(dir, views, version, holdsDemoDistrict(db) ? DEMO_NOTICE : null);

  // What the pages need to know beforehand: departments and categories with their counts, each parent's
  // sub-items, and which of those parents the version holds (a parent is linked only when it is there).
  const reader = publishedCatalogue({ db, searchIndex }, version);
  const departments = reader.listDepartments();
  // Browsing by theme and by 服务对象: one list per theme and per audience, counted from the search index.
  const facets = reader.facets({});
  const categoryCounts = versionCategoryCounts(db, n) as { code: Category; count: number }[];
  const subItems = new Map<string, { code: string; name: string }[]>();
  for (const s of versionSubItems(db, n)) {
    const list = subItems.get(s.parent) ?? [];
    list.push({ code: s.code, name: s.name });
    subItems.set(s.parent, list);
  }
  const isPublished = publishedInVersion(db, n);
  const parents = new Set([...subItems.keys()].filter(isPublished));
  const total = categoryCounts.reduce((sum, c) => sum + c.count, 0);

  copyFileSync(join(PUBLIC_DIR, 'app.css'), join(dir, 'app.css'));
  site.files++;
  writeFileSync(join(dir, 'search.js'), await searchScript());
  site.files++;
  writeFileSync(join(dir, 'print.js'), await printScript());
  site.files++;

  // The home page, the departments page and the search page.
  const catalogueLabel = versionLabel(version);
  const departmentRows = departments.map((d) => ({ code: d.code, name: d.name, levelName: label(LEVELS, d.level), itemCount: d.itemCount }));
  const categoryRows = categoryCounts.map((c) => ({ code: c.code, name: label(CATEGORIES, c.code), count: c.count }));
  site.page(paths.index(), 'home', version.title, {
    catalogueLabel,
    totalItems: total,
    totalDepartments: departments.length,
    categories: categoryRows.map((c) => ({ ...c, url: paths.category(c.code, 1) })),
    departments: departmentRows.map((d) => ({ ...d, url: paths.department(d.code, 1) })),
    allDepartmentsUrl: paths.departments(),
    // The theme groups link to each theme's whole list (the static site has no combined filters).
    browse: homeBrowseModel(facets, { individual: facets, legal: facets }, (q) => listPath({ theme: q.theme, audience: q.theme ? undefined : q.audience })),
    itemsUrl: paths.search(),
    latestVersion: null,
  });
  site.json(paths.index(), { generator: GENERATOR, version, departments: departmentRows, categories: categoryRows });
  site.page(paths.departments(), 'departments', '实施部门', {
    departments: departmentRows.map((d) => ({ ...d, url: `../${paths.department(d.code, 1)}` })),
    total: departments.length,
  });
  site.json(paths.departments(), { departments: departmentRows });
  site.page(paths.search(), 'static/search', '搜索事项', { selfUrl: paths.search(), indexUrl: 'search-index.js', scriptUrl: 'search.js', departmentsUrl: paths.departments() }, false);

  // One pass over every revision in code order: an item's revisions come together, so its history is
  // at hand when its page is written. Department and category lists fill as the items go by.
  const byDepartment = new Map(departments.map((d) => [d.code, new ListWriter(site, pageSize, d.itemCount, { department: d.code }, d.name)]));
  const byCategory = new Map(categoryCounts.map((c) => [c.code, new ListWriter(site, pageSize, c.count, { category: c.code }, label(CATEGORIES, c.code))]));
  const byTheme = THEMES.map((t) => (facets.themes[t.code] ? new ListWriter(site, pageSize, facets.themes[t.code]!, { theme: t.code }, t.name) : null));
  const byAudience = AUDIENCE_CODES.map((a) => new ListWriter(site, pageSize, facets.audiences[a], { audience: a }, FACET_LABELS.audienceEntries[a]));
  const index = openSync(join(dir, 'search-index.js'), 'w');
  site.files++;
  const indexWrite = (s: string) => {
    site.bytes += writeSync(index, s);
  };
  const departmentIndex = new Map(departments.map((d, i) => [d.code, i]));
  indexWrite(
    `window.CATALOGUE_INDEX = {"departments":${JSON.stringify(departments.map((d) => d.name))},"categories":${JSON.stringify(CATEGORIES)},` +
      `"simplified":${JSON.stringify(simplifiedPairs())},"synonyms":${JSON.stringify(synonymPairs(db))},"items":[`,
  );
  let items = 0;
  // Published citations keep only their titles: the guide names each one's registered instrument again.
  const citedInstruments = citedInstrumentResolver(db);
  interface Gathered {
    code: string;
    content: string | null;
    history: { fromVersion: number; toVersion: number | null; name: string; contentHash: string }[];
  }
  let current = null as Gathered | null;
  const themeTags = overridesOf(allThemeTags(db));
  const emit = () => {
    if (!current?.content) return;
    const published = JSON.parse(current.content) as PublishedItem;
    const detail = citedInstruments(publishedDetail(published, subItems.get(published.code) ?? []));
    const path = paths.item(published.code);
    const guide = itemGuideModel(detail, site.links(path));
    // A parent outside this version is named, not linked.
    const item = published.parent && !parents.has(published.parent.code) ? { ...guide, parent: null, mainItemName: published.parent.name } : guide;
    // The same rules as the search index's: themes by the normalised name and the legal office's tags, 个人 /
    // 法人 by the service objects.
    const themes = effectiveThemes(themesOfName(normaliseText(published.name)), themeTags.get(published.code));
    const browseThemes = themes.map((code) => ({ name: THEME_NAMES[code]!, url: `../${paths.theme(code, 1)}` }));
    site.page(path, 'item', published.name, { item, version: { ...version, url: `../${paths.index()}` }, history: [], flags: null, editUrl: null, browseThemes });
    site.json(path, { version: n, item: publicDetail(detail), history: current.history });
    const summary = summaryOf(published);
    byDepartment.get(published.department.code)?.add(summary);
    byCategory.get(published.category as Category)?.add(summary);
    for (const code of themes) byTheme[THEMES.findIndex((t) => t.code === code)]?.add(summary);
    const who = audienceMask(published.serviceObjects);
    AUDIENCE_CODES.forEach((a, i) => {
      if (who & AUDIENCE_BIT[a]) byAudience[i]!.add(summary);
    });
    indexWrite(
      `${items ? ',' : ''}\n${JSON.stringify([published.code, published.name, departmentIndex.get(published.department.code) ?? -1, published.category, fileName(published.code), summary.hasBasis ? 1 : 0] satisfies IndexRow)}`,
    );
    items++;
    if (items % 1_000 === 0) options.onProgress?.(items, total, 'exporting');
    if (items % 10_000 === 0) options.progress?.(`  已写出 ${items} / ${total} 项事项`);
  };
  const revisions = revisionsWithHistory(db, n);
  for (const r of revisions) {
    if (current?.code !== r.code) {
      emit();
      current = { code: r.code, content: null, history: [] };
    }
    current.history.push({ fromVersion: r.fromVersion, toVersion: r.toVersion, name: r.name, contentHash: r.contentHash });
    if (r.content) current.content = r.content;
  }
  emit();
  indexWrite('\n]};\n');
  closeSync(index);
  for (const w of [...byDepartment.values(), ...byCategory.values(), ...byTheme, ...byAudience]) w?.finish();

  // The whole catalogue in the live list's order (department, then code), a page at a time.
  const all = new ListWriter(site, pageSize, total, {}, '全部事项');
  const ordered = versionContentsInListOrder(db, n);
  let listed = 0;
  options.onProgress?.(0, total, 'listing');
  for (const content of ordered) {
    all.add(summaryOf(JSON.parse(content) as PublishedItem));
    if (++listed % 1_000 === 0) options.onProgress?.(listed, total, 'listing');
  }
  all.finish();
  options.onProgress?.(0, EXPORT_FORMATS.length, 'downloads');

  // The downloads, streamed by the same writers as the live site's.
  for (const format of EXPORT_FORMATS) {
    const path = join(dir, paths.download(n, format));
    mkdirSync(dirname(path), { recursive: true });
    const out = createWriteStream(path);
    const closed = new Promise<void>((resolve, reject) => {
      out.on('close', () => resolve());
      out.on('error', reject);
    });
    await exportVersion(db, version, format, out);
    await closed;
    site.files++;
    site.bytes += out.bytesWritten;
    options.onProgress?.(EXPORT_FORMATS.indexOf(format) + 1, EXPORT_FORMATS.length, 'downloads');
  }

  return {
    items,
    departments: departments.length,
    categories: categoryCounts.length,
    pages: site.pages,
    files: site.files,
    bytes: site.bytes,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

/** The table the static search converts queries with: the server's own (data/search/traditional-simplified.txt). */
export { simplifiedPairs };
