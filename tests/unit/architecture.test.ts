// The architecture map of README.md, held: which folder may import which. A wrong-way import fails here
// with the file and what it imports.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Every relative import of the app's code: [importing file, imported file], paths from the root. */
const IMPORTS: [string, string][] = ['server', 'db', 'imports', 'exports'].flatMap(sources).flatMap((file) => {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(IMPORT_RE)].map((m) => [file, relative(ROOT, join(ROOT, dirname(file), (m[1] ?? m[2])!)).replace(/\.js$/, '.ts')] as [string, string]);
});

const under = (path: string, ...folders: string[]) => folders.some((f) => path === f || path.startsWith(`${f}/`));
const wrongWay = (from: string[], allowed: string[], except: string[] = []) =>
  IMPORTS.filter(([file, target]) => under(file, ...from) && !except.includes(file) && !under(target, ...allowed)).map(([file, target]) => `${file} → ${target}`);

describe('architecture', () => {
  it('the domain kernel imports nothing of the app above it (data/ is not the app: the place names it reads)', () => {
    expect(wrongWay(['server/domain'], ['server/domain', 'data'])).toEqual([]);
  });
  it('db/ imports only db/ and the domain kernel', () => {
    expect(wrongWay(['db'], ['db', 'server/domain'])).toEqual([]);
  });
  it('the spreadsheet readers (imports/) import only themselves and the domain kernel', () => {
    // bin/bundle.js: how code that runs in a thread or process of its own is bundled, below every folder.
    expect(wrongWay(['imports'], ['imports', 'server/domain', 'bin/bundle.ts'])).toEqual([]);
  });
  it('check rules are pure: no database, no spreadsheet reading', () => {
    expect(IMPORTS.filter(([file, target]) => under(file, 'server/checks/rules') && under(target, 'db', 'imports')).map(([f, t]) => `${f} → ${t}`)).toEqual([]);
  });
  it('only app.ts imports the routes', () => {
    expect(IMPORTS.filter(([file, target]) => under(target, 'server/routes') && !under(file, 'server/routes') && file !== 'server/app.ts').map(([f, t]) => `${f} → ${t}`)).toEqual([]);
  });
  it('the map reads what it checks: every folder the README names exists', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const map = readme.slice(readme.indexOf('## Architecture'), readme.indexOf('## Layout'));
    const named = [...map.matchAll(/^(server\/[a-z-]+\/?|db\/|imports\/|exports\/|views\/)\s/gm)].map((m) => m[1]!.replace(/\/$/, ''));
    expect(named.length).toBeGreaterThan(10);
    for (const folder of named) expect(() => statSync(join(ROOT, folder)), folder).not.toThrow();
    for (const folder of readdirSync(join(ROOT, 'server')).filter((f) => statSync(join(ROOT, 'server', f)).isDirectory() && f !== 'views')) {
      expect(named, `server/${folder} is missing from the README's map`).toContain(`server/${folder}`);
    }
  });
});
