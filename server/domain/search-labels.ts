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
} as const;
