/** {{join list "、"}} — join an array of strings for display; escapes as usual. */
export const join = (list: unknown, separator: unknown): string =>
  Array.isArray(list) ? list.map(String).join(typeof separator === 'string' ? separator : '、') : '';
