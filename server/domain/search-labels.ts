// What the public catalogue and the search say to people (re-exported from labels.ts).

export const PUBLIC_CATALOGUE_LABELS = {
  /** The working catalogue, as staff see it on the public pages. */
  working: '工作目录（尚未发布）',
  /** A published version, as the list and home pages name it. */
  published: (title: string, n: number, effectiveOn: string) => `${title}（第 ${n} 版，${effectiveOn} 起施行）`,
  unpublishedTitle: '目录尚未发布',
  unpublished: '本地区的行政权力清单尚未发布。法制办发布第一版目录后，公众即可在这里浏览和搜索全部事项。',
  staffHint: '您已登录：事项目录、实施部门和搜索显示的是工作目录（尚未发布），不是公众看到的已发布版本。',
} as const;

export const SEARCH_LABELS = {
  suggestionsTitle: '搜索建议',
  synonymsTitle: '搜索同义词',
  shipped: '系统内置',
  added: '法制办添加',
} as const;

export const SYNONYM_MESSAGES = {
  what: '同义词',
  required: (what: string) => `请填写${what}`,
  tooLong: (what: string) => `${what}最多 50 个字`,
  noWord: (what: string) => `${what}不能只有标点或空格`,
  fix: '请修正标出的字段。',
  same: '词语和同义词在搜索中是同一个词，不必添加。',
  exists: (a: string, b: string) => `“${a}”和“${b}”已经是同义词。`,
  shipped: '系统内置的同义词不能删除。',
  added: (a: string, b: string) => `已添加同义词：搜索“${a}”也会找到“${b}”，反之亦然。`,
  removed: '已删除该同义词。',
} as const;
