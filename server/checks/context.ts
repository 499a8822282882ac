// A check context with nothing to compare against, for callers that check items on their own
// (the import preview before any list is uploaded) and for tests; override what you have.
import type { CheckContext } from './types.js';

const none = (): readonly never[] => [];

export function createCheckContext(asOf: string, lookups: Partial<Omit<CheckContext, 'asOf'>> = {}): CheckContext {
  return {
    asOf,
    cancelledAbove: none,
    cancelledEarlier: none,
    duplicatesOf: none,
    standardName: () => null,
    ...lookups,
  };
}
