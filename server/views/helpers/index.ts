// Every template helper, registered in one place. Each is one small function in its own file.
import type Handlebars from 'handlebars';
import { chart } from './chart.js';
import { eq } from './eq.js';
import { join } from './join.js';
import { lines } from './lines.js';
import { ruleTitle } from './rule-title.js';

export const helpers = { chart, eq, join, lines, ruleTitle } as const;

export function registerHelpers(hbs: typeof Handlebars): void {
  for (const [name, fn] of Object.entries(helpers)) {
    // Handlebars passes an options object last; the helpers ignore it.
    hbs.registerHelper(name, (...args: unknown[]) => (fn as (...a: unknown[]) => unknown)(...args.slice(0, -1)));
  }
}
