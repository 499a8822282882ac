// The full service guide (办事指南): 办件类型, 办理地点, 办理时间, 到现场次数, 网上办理深度, 结果名称 and phones
// a phone dials, written through the item form, shown on the guide, published, and in every export.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { itemFormOf } from '../support/forms.js';
import { SYSTEM_ACTOR } from '../../db/audit.js';
import { publishVersion } from '../../server/publication/publish.js';

let server: TestServer;
let code: string;
let plainCode: string;
const GUIDE = {
  servicePlace: '区政务服务中心一楼3号窗口（人民路1号）',
  serviceHours: '工作日 9:00—12:00，13:30—17:00',
  onSiteVisits: '1',
  onlineDepth: 'online_prereview',
  resultName: '食品经营许可证',
  contactPhone: '0826-2345678；0826-2345679',
  supervisionPhone: '12345',
  conditions: '1、具有与经营食品品种相适应的场所；2、有食品安全管理人员\n3、法律法规规定的其他条件',
  materials: '申请书；营业执照复印件；法定代表人身份证明',
};
beforeAll(async () => {
  server = await startTestServer(demoDb());
  const [a, b] = server.db.$client.prepare('SELECT code FROM items WHERE removed_at IS NULL AND parent_id IS NULL ORDER BY id LIMIT 2').pluck().all() as string[];
  code = a!;
  plainCode = b!;
  const c = server.client();
  await c.login('admin');
  const item = await (await c.get(`/api/v1/items/${encodeURIComponent(code)}`)).json<Record<string, any>>();
  const reply = await c.postForm(`/workspace/items/${encodeURIComponent(code)}`, itemFormOf(item, { ...GUIDE, instant: 'on' }));
  expect(reply.status).toBe(303);
  publishVersion(server.services, SYSTEM_ACTOR, { title: '第1版', effectiveOn: '2026-01-01' });
});
afterAll(() => server.close());

describe('the service guide', () => {
  it('the item form writes the guide fields, audited with their Chinese names', async () => {
    const item = await (await server.client().get(`/api/v1/items/${encodeURIComponent(code)}`)).json<Record<string, any>>();
    expect(item).toMatchObject({ ...GUIDE, onSiteVisits: 1, instant: true });
    const entry = server.db.$client.prepare("SELECT after FROM audit_log WHERE entity_id = ? AND action = 'item.update' ORDER BY seq DESC LIMIT 1").pluck().get(code) as string;
    expect(JSON.parse(entry)).toMatchObject({ servicePlace: GUIDE.servicePlace, onlineDepth: 'online_prereview', onSiteVisits: 1 });
  });

  it('a value outside the vocabulary is refused with a Chinese message and nothing changes', async () => {
    const c = server.client();
    await c.login('admin');
    const item = await (await c.get(`/api/v1/items/${encodeURIComponent(code)}`)).json<Record<string, any>>();
    const reply = await c.postForm(`/workspace/items/${encodeURIComponent(code)}`, itemFormOf(item, { onSiteVisits: '7', onlineDepth: 'teleport' }));
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('到现场次数须为 0、1 或 2');
    expect(reply.text).toContain('网上办理深度无效');
    expect(await (await c.get(`/api/v1/items/${encodeURIComponent(code)}`)).json()).toEqual(item);
  });

  it('the guide page shows every field in words, phones as tel: links, conditions and materials as lists, and a print button', async () => {
    for (const path of [`/items/${encodeURIComponent(code)}`, `/versions/1/items/${encodeURIComponent(code)}`]) {
      const page = (await server.client().get(path)).text;
      expect(page, path).toContain('<dt>办件类型</dt><dd>即办件</dd>');
      expect(page).toContain('1 次（最多跑一次）');
      expect(page).toContain('三级：网上预审');
      expect(page).toContain(GUIDE.servicePlace);
      expect(page).toContain(GUIDE.resultName);
      expect(page).toContain('<a class="tel" href="tel:08262345678">0826-2345678</a>');
      expect(page).toContain('<a class="tel" href="tel:08262345679">0826-2345679</a>');
      expect(page).toContain('<a class="tel" href="tel:12345">12345</a>');
      const conditions = /<section id="conditions">([\s\S]*?)<\/section>/.exec(page)![1]!;
      expect([...conditions.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1])).toEqual(['具有与经营食品品种相适应的场所', '有食品安全管理人员', '法律法规规定的其他条件']);
      const materials = /<section id="materials">([\s\S]*?)<\/section>/.exec(page)![1]!;
      expect([...materials.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1])).toEqual(['申请书', '营业执照复印件', '法定代表人身份证明']);
      expect(page).toMatch(/<button[^>]*data-print[^>]*>打印本指南<\/button>/);
      expect(page).toContain('<script src="/scripts/print.js" defer></script>');
    }
    const script = await server.client().get('/scripts/print.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(script.text).toContain('print');
  });

  it('the published JSON carries the guide fields; an item without them is published as before (no empty keys, same hash)', async () => {
    const published = await (await server.client().get(`/api/v1/versions/1/items/${encodeURIComponent(code)}`)).json<Record<string, any>>();
    expect(published.item ?? published).toMatchObject({ servicePlace: GUIDE.servicePlace, serviceHours: GUIDE.serviceHours, onSiteVisits: 1, onlineDepth: 'online_prereview', resultName: GUIDE.resultName });
    const stored = (c: string) => server.db.$client.prepare('SELECT content FROM item_revisions r WHERE r.code = ?').pluck().get(c) as string;
    expect(JSON.parse(stored(code))).toMatchObject({ servicePlace: GUIDE.servicePlace, onSiteVisits: 1 });
    for (const key of ['servicePlace', 'serviceHours', 'onSiteVisits', 'onlineDepth', 'resultName']) expect(stored(plainCode)).not.toContain(`"${key}"`);
  });

  it('the csv export (the xlsx has the same columns) and the JSON-LD carry the guide', async () => {
    const csv = (await server.client().get('/versions/1/download/csv')).text;
    const [header, ...rows] = csv.replace(/^\uFEFF/, '').split('\r\n');
    const columns = header!.split(',');
    for (const h of ['办件类型', '办理地点', '办理时间', '到现场次数', '网上办理深度', '结果名称']) expect(columns).toContain(h);
    const row = rows.find((r) => r.startsWith(code))!;
    expect(row).toContain(GUIDE.servicePlace);
    expect(row).toContain('三级：网上预审');
    expect(row).toContain('1 次（最多跑一次）');
    expect(row).toContain('即办件');
    const ld = await (await server.client().get('/versions/1/download/jsonld')).json<{ '@graph': Record<string, any>[] }>();
    const service = ld['@graph'].find((n) => n.identifier === code)!;
    expect(service.produces).toEqual({ '@type': 'Output', name: GUIDE.resultName });
    expect(service.hasInput.map((e: { name: string }) => e.name)).toEqual(['申请书', '营业执照复印件', '法定代表人身份证明']);
    expect(service.hasChannel[0]).toMatchObject({ '@type': 'Channel', location: GUIDE.servicePlace, openingHours: GUIDE.serviceHours });
    expect(service.hasContactPoint.map((p: { telephone: string }) => p.telephone)).toEqual(['0826-2345678', '0826-2345679', '12345']);
  });
});
