import { ruleTitle as titleOf } from '../../checks/engine.js';

/** {{ruleTitle rule}} — a check rule's Chinese title for its code; pages put the code in a title="" tooltip. */
export const ruleTitle = (code: unknown): string => (typeof code === 'string' ? titleOf(code) : '');
