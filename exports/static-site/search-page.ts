// The script of the static site's search page, bundled at export into the site's search.js (one
// classic script, ES2017, so that any current browser runs it from file://, where modules are not
// loaded). It loads search-index.js (window.CATALOGUE_INDEX) when a query is given and shows the hits
// of search.ts. Results are built with textContent, never as HTML.
import { search, type Hit, type SearchIndex } from './search.js';

declare global {
  interface Window {
    CATALOGUE_INDEX?: SearchIndex;
  }
}

/** Results shown at most. */
const SHOWN = 200;

function cell(label: string, child: string | Node): HTMLTableCellElement {
  const td = document.createElement('td');
  td.setAttribute('data-label', label);
  if (typeof child === 'string') td.textContent = child;
  else td.appendChild(child);
  return td;
}

function show(index: SearchIndex, hits: Hit[], table: HTMLTableElement, status: HTMLElement): void {
  const body = table.querySelector('tbody')!;
  for (const { row } of hits.slice(0, SHOWN)) {
    const tr = document.createElement('tr');
    const link = document.createElement('a');
    link.href = 'items/' + row[4] + '.html';
    link.textContent = row[1];
    const name = cell('事项名称', link);
    const code = document.createElement('div');
    code.className = 'code';
    code.textContent = row[0];
    name.appendChild(code);
    tr.appendChild(name);
    tr.appendChild(cell('事项类型', index.categories[row[3]] || row[3]));
    tr.appendChild(cell('实施部门', index.departments[row[2]] || ''));
    tr.appendChild(cell('设定依据', row[5] ? '有' : '无'));
    body.appendChild(tr);
  }
  table.hidden = hits.length === 0;
  status.textContent = hits.length === 0 ? '没有找到符合条件的事项。' : '共找到 ' + hits.length + ' 项' + (hits.length > SHOWN ? '，显示前 200 项' : '') + '。';
}

function run(): void {
  const form = document.getElementById('static-search');
  if (!form) return;
  const input = form.querySelector<HTMLInputElement>('input[name="q"]')!;
  const status = document.getElementById('search-status')!;
  const table = document.getElementById('search-results') as HTMLTableElement;
  const query = new URLSearchParams(location.search).get('q') || '';
  input.value = query;
  if (!query.trim()) return;
  status.textContent = '正在搜索……';
  const script = document.createElement('script');
  script.src = form.getAttribute('data-index')!;
  script.onload = () => {
    const index = window.CATALOGUE_INDEX!;
    show(index, search(index, query), table, status);
  };
  script.onerror = () => {
    status.textContent = '搜索索引无法加载。';
  };
  document.body.appendChild(script);
}

run();
