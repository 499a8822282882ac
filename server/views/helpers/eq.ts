/** {{#if (eq a b)}} — strict equality, for marking the selected option of a filter. */
export const eq = (a: unknown, b: unknown): boolean => a === b;
