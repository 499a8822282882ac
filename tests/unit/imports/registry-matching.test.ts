// Citations against the shipped registry as a migrated database holds it: department rules are found
// by title, and a cited order number picks the version it names.
import { describe, it, expect, beforeAll } from 'vitest';
import { openDatabase, type Db } from '../../../db/client.js';
import { importMatching } from '../../../db/queries/imports/matching.js';
import { buildRegistryIndex, matchCitation, splitCitations, type RegistryIndex } from '../../../imports/legal-basis.js';

let db: Db;
let index: RegistryIndex;
beforeAll(() => {
  db = openDatabase(':memory:');
  index = buildRegistryIndex(importMatching(db).registryInstruments());
});

const matched = (text: string) => {
  const [citation] = splitCitations(text);
  const m = matchCitation(index, citation!);
  return m.instrumentId === null ? null : (db.$client.prepare('SELECT rank, published_on, document_number, status FROM legal_instruments WHERE id = ?').get(m.instrumentId) as Record<string, string>);
};

describe('citations of department rules', () => {
  it('《城市绿线管理办法》 matches the registered ministry rule (a department rule, not a normative document), in its version in force', () => {
    expect(matched('《城市绿线管理办法》第十二条')).toEqual({ rank: 'department_rule', published_on: '2011-01-26', document_number: '住房和城乡建设部令第9号', status: 'in_force' });
  });

  it('a cited order number picks the version it names', () => {
    expect(matched('《建筑工程施工许可管理办法》（住房和城乡建设部令第18号）第三条')).toMatchObject({ published_on: '2014-06-25', status: 'amended' });
    expect(matched('《建筑工程施工许可管理办法》第三条')).toMatchObject({ published_on: '2021-03-30', status: 'in_force' });
    expect(matched('《城市绿线管理办法》（建设部令第112号）')).toMatchObject({ published_on: '2002-09-13', status: 'amended' });
  });

  it('national regulations carry their 国务院令 numbers: a citation whose title is written differently is found by its number', () => {
    expect(matched('《中小企业款项支付条例》（国务院令第802号）第五条')).toMatchObject({ rank: 'administrative_regulation', published_on: '2025-03-17', document_number: '国务院令第802号' });
  });

  it('the common ministry rules real lists cite are registered with their order numbers', () => {
    for (const title of ['房地产经纪管理办法', '建筑工程施工许可管理办法', '食品经营许可和备案管理办法', '城市建筑垃圾管理规定', '道路旅客运输及客运站管理规定']) {
      expect(matched(`《${title}》`), title).toMatchObject({ rank: 'department_rule', status: 'in_force', document_number: expect.stringMatching(/令/) });
    }
  });
});
