// A small Handlebars view engine: pages in views/, layouts in views/layouts, partials in
// views/partials/<area>/ (used as {{> area/name}}). Templates are compiled once and cached.
import Handlebars from 'handlebars';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerHelpers } from './helpers/index.js';

export const VIEWS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'views');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : name.endsWith('.hbs') ? [path] : [];
  });
}

export interface ViewEngine {
  render(page: string, model: object, layout?: string | null): string;
}

export function createViewEngine(viewsDir = VIEWS_DIR): ViewEngine {
  const hbs = Handlebars.create();
  registerHelpers(hbs);
  for (const file of walk(join(viewsDir, 'partials'))) {
    const name = relative(join(viewsDir, 'partials'), file).split(sep).join('/').replace(/\.hbs$/, '');
    hbs.registerPartial(name, readFileSync(file, 'utf8'));
  }
  const cache = new Map<string, Handlebars.TemplateDelegate>();
  const template = (name: string) => {
    let t = cache.get(name);
    if (!t) {
      t = hbs.compile(readFileSync(join(viewsDir, `${name}.hbs`), 'utf8'), { strict: false });
      cache.set(name, t);
    }
    return t;
  };
  return {
    render(page, model, layout = 'layouts/main') {
      const body = template(page)(model);
      return layout ? template(layout)({ ...model, body }) : body;
    },
  };
}
