/** {{#each (lines text)}}…{{/each}} — split multi-line text into non-empty lines (materials, conditions). */
export const lines = (text: unknown): string[] =>
  typeof text === 'string' ? text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0) : [];
