// Loads the legal-instrument registry (data/registry/*.csv) into legal_instruments.
// Sources: national-laws.csv (flk.npc.gov.cn census via Ansvar-Systems/chinese-law-mcp) and
// local-regulations.csv (LawRefBook/Laws); see data/README in /work/shared/data.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../client.js';
import { appendAudit, SYSTEM_ACTOR, withTransaction } from '../audit.js';
import { normalizeInstrumentTitle } from '../../server/domain/instrument-title.js';
import type { InstrumentStatus, Rank } from '../../server/domain/vocabulary.js';
import { readCsvObjects } from './csv.js';

export const REGISTRY_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'registry');
export const NATIONAL_SOURCE = 'national-laws.csv';
export const LOCAL_SOURCE = 'local-regulations.csv';

const NATIONAL_RANKS: Record<string, Rank> = {
  宪法: 'constitution',
  法律: 'law',
  行政法规: 'administrative_regulation',
};
const STATUSES = new Set<InstrumentStatus>(['in_force', 'amended', 'repealed', 'not_yet_in_force']);

/** The region column of local-regulations.csv and the full name of that province or municipality. */
const REGION_NAMES: Record<string, string> = {
  北京: '北京市',
  上海: '上海市',
  重庆: '重庆市',
  天津: '天津市',
  山东: '山东省',
  河南: '河南省',
  浙江: '浙江省',
  广东: '广东省',
};

/**
 * The body that made a local regulation. Provincial and municipal texts: that region's standing
 * committee. Texts of a city (济南市…, 深圳经济特区…) come from the city's standing committee, those of
 * an autonomous county (景宁畲族自治县…) from the county's people's congress.
 */
export function localIssuingBody(title: string, region: string): string {
  const regionName = REGION_NAMES[region] ?? region;
  if (!title.startsWith(regionName)) {
    const county = /^([\u4e00-\u9fa5]{2,10}?自治县)/.exec(title);
    if (county) return `${county[1]}人民代表大会`;
    const zone = /^([\u4e00-\u9fa5]{2,3})经济特区/.exec(title);
    if (zone) return `${zone[1]}市人民代表大会常务委员会`;
    const city = /^([\u4e00-\u9fa5]{2,4}?市)/.exec(title);
    if (city && !/^(?:城市|关于)/.test(city[1]!) && !city[1]!.includes('城市')) {
      return `${city[1]}人民代表大会常务委员会`;
    }
  }
  return `${regionName}人民代表大会常务委员会`;
}

const orNull = (value: string | undefined): string | null => {
  const v = (value ?? '').trim();
  return v === '' ? null : v;
};

interface InstrumentRow {
  title: string;
  normalized_title: string;
  rank: Rank;
  issuing_body: string | null;
  region: string | null;
  published_on: string | null;
  effective_on: string | null;
  status: InstrumentStatus;
  source: string;
}

function nationalRows(): InstrumentRow[] {
  return readCsvObjects(join(REGISTRY_DIR, NATIONAL_SOURCE)).map((r, idx) => {
    const title = (r.title ?? '').trim();
    const rank = NATIONAL_RANKS[(r.rank ?? '').trim()];
    const status = (r.status ?? '').trim() as InstrumentStatus;
    if (!title || !rank || !STATUSES.has(status)) {
      throw new Error(`${NATIONAL_SOURCE} 第 ${idx + 2} 行无法识别：${JSON.stringify(r)}`);
    }
    return {
      title,
      normalized_title: normalizeInstrumentTitle(title),
      rank,
      issuing_body: orNull(r.issuing_body),
      region: null,
      published_on: orNull(r.published),
      effective_on: orNull(r.effective),
      status,
      source: NATIONAL_SOURCE,
    };
  });
}

function localRows(): InstrumentRow[] {
  return readCsvObjects(join(REGISTRY_DIR, LOCAL_SOURCE)).map((r, idx) => {
    const title = (r.title ?? '').trim();
    const region = (r.region ?? '').trim();
    if (!title || !region) throw new Error(`${LOCAL_SOURCE} 第 ${idx + 2} 行无法识别：${JSON.stringify(r)}`);
    return {
      title,
      normalized_title: normalizeInstrumentTitle(title),
      rank: 'local_regulation',
      issuing_body: localIssuingBody(title, region),
      region,
      published_on: orNull(r.published),
      effective_on: orNull(r.effective),
      status: (r.superseded ?? '').trim() === '1' ? 'amended' : 'in_force',
      source: LOCAL_SOURCE,
    };
  });
}

/**
 * Load both registry files into legal_instruments in one transaction with one audit entry.
 * A source already in the database is skipped (and counts 0), so loading twice adds nothing.
 * An amended version is linked (replaced_by_id) to the later version of the same text now in force.
 */
export function loadRegistry(db: Db): { national: number; local: number } {
  const sqlite = db.$client;
  return withTransaction(db, () => {
    const present = sqlite.prepare('SELECT 1 FROM legal_instruments WHERE source = ? LIMIT 1');
    const loaded: string[] = [];
    const insert = sqlite.prepare(
      `INSERT INTO legal_instruments
         (title, normalized_title, rank, rank_inferred, issuing_body, region, document_number,
          published_on, effective_on, status, source)
       VALUES (@title, @normalized_title, @rank, 0, @issuing_body, @region, NULL,
               @published_on, @effective_on, @status, @source)`,
    );
    const load = (source: string, rows: () => InstrumentRow[]): number => {
      if (present.get(source)) return 0;
      const all = rows();
      for (const row of all) insert.run(row);
      loaded.push(source);
      return all.length;
    };
    const national = load(NATIONAL_SOURCE, nationalRows);
    const local = load(LOCAL_SOURCE, localRows);
    if (loaded.length === 0) return { national: 0, local: 0 };

    // Second pass: each amended version points at the newer version in force (same text, later date).
    const placeholders = loaded.map(() => '?').join(', ');
    sqlite
      .prepare(
        `UPDATE legal_instruments AS old
            SET replaced_by_id = (
                  SELECT cur.id FROM legal_instruments cur
                   WHERE cur.normalized_title = old.normalized_title AND cur.source = old.source
                     AND cur.status = 'in_force' AND cur.id <> old.id
                     AND (old.published_on IS NULL OR cur.published_on > old.published_on)
                   ORDER BY cur.published_on DESC, cur.id DESC LIMIT 1)
          WHERE old.status = 'amended' AND old.replaced_by_id IS NULL AND old.source IN (${placeholders})`,
      )
      .run(...loaded);

    appendAudit(db, SYSTEM_ACTOR, {
      action: 'registry.load',
      entityType: 'legal_instrument',
      after: { national, local, source: loaded.map((s) => `data/registry/${s}`) },
    });
    return { national, local };
  });
}
