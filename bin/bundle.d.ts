// Types of bin/bundle.js (plain JavaScript: it runs before any TypeScript loader exists).
/** A short hash of every source file's path, size and modification time. */
export function sourceFingerprint(root: string): string;
/** The bundle of `entry` for the current sources, built now if there is none; null when it cannot be built. */
export function bundleOf(root: string, entry: string, prefix: string): Promise<string | null>;
/** bundleOf for a caller that cannot wait. */
export function bundleOfSync(root: string, entry: string, prefix: string): string | null;
