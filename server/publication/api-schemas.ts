// The public open API of published versions, described once with zod: the query and path schemas the
// routes parse with, the response schemas the tests check real answers against, and the OpenAPI 3.1
// document (GET /api/v1/openapi.json, and the /api page) generated from both, so it cannot drift.
import { z } from 'zod';
import { isoDate } from '../domain/schemas.js';
import { FACET_LABELS, VERSION_FACETS_DOCS } from '../domain/labels.js';
import type { ItemDetail } from '../../db/queries/catalogue.js';
import { itemQuerySchema } from '../catalogue/queries.js';
import {
  CATEGORIES,
  CATEGORY_CODES,
  CITATION_ROLE_CODES,
  INSTRUMENT_STATUS_CODES,
  LEVELS,
  LEVEL_CODES,
  MAX_ON_SITE_VISITS,
  ONLINE_DEPTH_CODES,
  ONLINE_DEPTHS,
  RANK_CODES,
  SERVICE_OBJECTS,
} from '../domain/vocabulary.js';
import type { Stats } from '../analysis/stats.js';
import { statsQuerySchema } from '../analysis/stats-query.js';
import type { DiffPage } from './diff.js';
import type { VersionInfo } from './reader.js';

// ---- Requests ---------------------------------------------------------------------------------

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A version number in a path: a positive integer (anything else is a 404). */
export const versionNumberSchema = z.coerce.number().int().min(1);
export const versionParamsSchema = z.object({ n: versionNumberSchema });
export const versionItemParamsSchema = z.object({ n: versionNumberSchema, code: z.string().min(1).max(200) });
export const versionDiffParamsSchema = z.object({ a: versionNumberSchema, b: versionNumberSchema });

/** GET /api/v1/versions/{a}/diff/{b}: one page of the comparison, of one kind of change and one department if asked. */
export const diffQuerySchema = z.object({
  kind: z.enum(['added', 'changed', 'removed']).optional().catch(undefined).describe('只列出一种变化：added 新增，changed 变更，removed 移出'),
  department: z.string().trim().max(32).optional().catch(undefined).transform((v) => v || undefined).describe('只列出一个部门（部门编码）的变化'),
  page: z.coerce.number().int().min(1).catch(1).default(1).describe('页码，从 1 开始'),
});

/** GET /api/v1/versions?date=: without a date every version, with one the version in force on it. */
export const versionsQuerySchema = z.object({ date: isoDate().optional() });
/** GET /api/v1/versions/{n}/items: the same filters as the catalogue pages. */
export const versionItemsQuerySchema = itemQuerySchema;
/** …and, as documented, facets=1 for the counts the page's facet panel shows (the route reads it beside the filters). */
export const versionItemsDocumentedQuerySchema = itemQuerySchema.extend({ facets: z.enum(['1']).optional() });

// ---- Responses --------------------------------------------------------------------------------

const registry = z.registry<{ id: string }>();
const named = <T extends z.ZodType>(id: string, schema: T): T => {
  registry.add(schema, { id });
  return schema;
};

const describeCodes = (codes: Record<string, string>) => Object.entries(codes).map(([code, name]) => `${code} ${name}`).join('，');

const hash = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.number().int().min(0);

export const versionInfoSchema = named(
  'VersionInfo',
  z
    .object({
      number: z.number().int().min(1).describe('版本号'),
      title: z.string().describe('版本标题'),
      effectiveOn: z.string().regex(DATE).describe('施行日期'),
      note: z.string().nullable().describe('发布说明'),
      publishedAt: z.string().describe('发布时间（UTC）'),
      publishedBy: z.string().describe('发布人'),
      itemCount: count.describe('本版事项数'),
      added: count.describe('较上一版新增的事项数'),
      changed: count.describe('较上一版有改动的事项数（含新增和移出）'),
      removed: count.describe('较上一版移出的事项数'),
      contentHash: hash.describe('本版目录的 SHA-256'),
    })
    .describe('一个已发布的目录版本'),
);

const department = named('DepartmentRef', z.object({ code: z.string().describe('部门编码'), name: z.string().describe('部门名称') }).describe('实施部门'));

export const itemSummarySchema = named(
  'ItemSummary',
  z
    .object({
      code: z.string().describe('事项编码'),
      name: z.string().describe('事项名称'),
      category: z.enum(CATEGORY_CODES).describe('事项类型'),
      department,
      level: z.enum(LEVEL_CODES).nullable().describe('行使层级'),
      parentCode: z.string().nullable().describe('所属主项的编码（子项才有）'),
      mainItemName: z.string().nullable().describe('所属主项的名称（主项不在目录中时）'),
      hasBasis: z.boolean().describe('是否有设定依据'),
      rowVersion: z.number().int().describe('工作目录的行版本；已发布版本中恒为 0'),
    })
    .describe('目录列表中的一项'),
);

const facetValue = z.object({ code: z.string(), name: z.string(), count: z.number().int().min(1) });
const facetCountsSchema = named(
  'FacetCounts',
  z
    .object({
      audiences: z.array(facetValue.extend({ count: z.number().int().min(0) })),
      themes: z.array(facetValue.extend({ audience: z.enum(['individual', 'legal', 'both']) })),
      categories: z.array(facetValue),
      departments: z.array(facetValue),
    })
    .describe(VERSION_FACETS_DOCS.counts),
);

export const versionItemsPageSchema = named(
  'VersionItemsPage',
  z
    .object({
      version: versionInfoSchema,
      total: count.describe('符合条件的事项总数'),
      page: z.number().int().min(1).describe('页码'),
      pageSize: z.number().int().min(1).describe('每页条数'),
      items: z.array(itemSummarySchema),
      facets: facetCountsSchema.optional(),
    })
    .describe('一个版本的目录，一页'),
);

const citation = named(
  'Citation',
  z
    .object({
      title: z.string().describe('法律文件名称'),
      article: z.string().nullable().describe('条款'),
      documentNumber: z.string().nullable().describe('文号'),
      role: z.enum(CITATION_ROLE_CODES).describe('setting 设定依据，implementing 实施依据'),
      tag: z.string().nullable(),
      quotedText: z.string().nullable(),
      instrument: z
        .object({ id: z.number().int(), title: z.string(), rank: z.enum(RANK_CODES), status: z.enum(INSTRUMENT_STATUS_CODES), rankInferred: z.boolean() })
        .nullable()
        .describe('法律依据库中的登记（已发布版本中为 null）'),
    })
    .describe('设定或实施依据'),
);

const codeAndName = z.object({ code: z.string(), name: z.string() });

export const publishedItemSchema = named(
  'PublishedItem',
  itemSummarySchema
    .omit({ rowVersion: true })
    .extend({
      serviceObjects: z.array(z.string()).describe(`服务对象：${describeCodes(SERVICE_OBJECTS)}`),
      statutoryLimitDays: z.number().int().nullable().describe('法定时限（工作日）'),
      promisedLimitDays: z.number().int().nullable().describe('承诺时限（工作日）'),
      instant: z.boolean().describe('是否即办'),
      feeCharged: z.boolean().describe('是否收费'),
      feeStandard: z.string().nullable().describe('收费标准'),
      feeBasis: z.string().nullable().describe('收费依据'),
      conditions: z.string().nullable().describe('申请条件'),
      materials: z.string().nullable().describe('申请材料'),
      processText: z.string().nullable().describe('办理流程'),
      contactPhone: z.string().nullable().describe('咨询电话'),
      supervisionPhone: z.string().nullable().describe('监督电话'),
      remarks: z.string().nullable().describe('备注'),
      servicePlace: z.string().nullable().describe('办理地点'),
      serviceHours: z.string().nullable().describe('办理时间'),
      onSiteVisits: z.number().int().min(0).max(MAX_ON_SITE_VISITS).nullable().describe('到现场次数：0、1（最多跑一次）或 2（2 次及以上）'),
      onlineDepth: z.enum(ONLINE_DEPTH_CODES).nullable().describe(`网上办理深度：${describeCodes(ONLINE_DEPTHS)}`),
      resultName: z.string().nullable().describe('结果名称'),
      parent: codeAndName.nullable().describe('所属主项'),
      subItems: z.array(codeAndName).describe('子项'),
      citations: z.array(citation),
      prerequisites: z.array(z.object({ writtenAs: z.string(), item: codeAndName.nullable() })).describe('前置事项'),
      steps: z.array(z.object({ seq: z.number().int(), name: z.string(), post: z.string().nullable(), limitDays: z.number().int().nullable() })).describe('办理步骤'),
    })
    .describe('已发布的事项（办事指南）'),
);

const historyEntry = named(
  'ItemHistoryEntry',
  z
    .object({
      fromVersion: z.number().int().min(1).describe('自第几版起'),
      toVersion: z.number().int().min(1).nullable().describe('到第几版止（不含）；null 表示至今'),
      name: z.string(),
      contentHash: hash.describe('该事项内容的 SHA-256'),
    })
    .describe('事项在各版本中的一段'),
);

export const versionItemSchema = named(
  'VersionItem',
  z.object({ version: z.number().int().min(1), item: publishedItemSchema, history: z.array(historyEntry) }).describe('一个版本中的一项事项及其历次版本'),
);

export const versionsListSchema = named(
  'VersionList',
  z.union([
    z.object({ versions: z.array(versionInfoSchema).describe('全部版本，新的在前') }),
    z.object({ version: versionInfoSchema }),
  ]),
);

const diffEntry = named(
  'DiffEntry',
  z.object({
    code: z.string(),
    name: z.string(),
    departmentCode: z.string(),
    departmentName: z.string(),
    fields: z.array(z.object({ field: z.string().describe('字段名'), before: z.unknown().describe('旧值'), after: z.unknown().describe('新值') })).optional().describe('变更的字段'),
    decision: z
      .object({ disposition: z.string().describe('处理意见'), reason: z.string().nullable(), legalGround: z.string().nullable(), decidedBy: z.string().nullable() })
      .nullable()
      .optional()
      .describe('审核时作出的决定'),
  }),
);

const changeCounts = { added: count.describe('新增'), changed: count.describe('变更'), removed: count.describe('移出'), total: count.describe('合计') };

export const versionDiffSchema = named(
  'VersionDiff',
  z
    .object({
      from: z.number().int().min(1),
      to: z.number().int().min(1),
      counts: z.object(changeCounts).describe('全部变化按类型的数量（不受筛选影响）'),
      byDepartment: z.array(z.object({ code: z.string(), name: z.string(), ...changeCounts })).describe('全部变化按部门的数量（不受筛选影响）'),
      kind: z.enum(['added', 'changed', 'removed']).nullable().describe('筛选的变化类型'),
      department: z.string().nullable().describe('筛选的部门编码'),
      page: z.number().int().min(1).describe('页码'),
      pageSize: z.number().int().min(1).describe('每页条数'),
      total: count.describe('符合筛选的变化数'),
      pages: z.number().int().min(1).describe('页数'),
      nextPage: z.number().int().nullable().describe('下一页页码，最后一页为 null'),
      nextUrl: z.string().nullable().describe('下一页的地址，最后一页为 null'),
      added: z.array(diffEntry).describe('本页新增的事项'),
      removed: z.array(diffEntry).describe('本页移出的事项'),
      changed: z.array(diffEntry).describe('本页变更的事项'),
    })
    .describe('两个版本的比较（分页）'),
);

const target = z.object({
  target: z.number().describe('目标值'),
  actual: z.number().nullable().describe('实际值'),
  gap: z.number().nullable().describe('差距（目标 − 实际，超过时为负）'),
  met: z.boolean().describe('是否达到'),
});
const share = z.number().nullable();
const figures = {
  byCategory: z.record(z.string(), z.number().int()).describe('按事项类型的事项数'),
  byDisposition: z.record(z.string(), z.number().int()).describe('按处理意见的决定数'),
  reduction: z.object({ previous: z.number().int().nullable(), current: z.number().int(), rate: share }).describe('精简：上一版事项数、本版事项数、精简率'),
  instant: z
    .object({ handled: z.number().int(), instant: z.number().int(), share, baselineShare: share, targetShare: share, gain: share })
    .describe('即办件：办理类事项数、即办件数、占比、基准占比、目标占比、提高'),
  timeLimits: z
    .object({
      timeLimited: z.number().int(),
      avgStatutory: z.number().nullable(),
      avgPromised: z.number().nullable(),
      cut: share,
      shortened: z.number().int(),
      shortenedShare: share,
      noStatutory: z.number().int(),
    })
    .describe('时限：限时办理事项数、平均法定与承诺时限、压缩比例、缩短时限的事项数及占比、无法定时限的事项数'),
  flags: z.object({ total: z.number().int(), byRule: z.record(z.string(), z.number().int()) }).nullable().describe('未处理的检查问题（已发布版本为 null）'),
  targets: z.object({ timeCut: target, shortened: target, instantGain: target }).describe('改革目标的完成情况'),
};

export const statsSchema = named(
  'Stats',
  z
    .object({
      ...figures,
      scope: z.object({
        kind: z.enum(['working', 'version']).describe('working 工作目录，version 已发布版本'),
        version: z.number().int().nullable(),
        title: z.string(),
        effectiveOn: z.string().nullable(),
        previousVersion: z.number().int().nullable().describe('精简率比较的版本'),
        baselineVersion: z.number().int().nullable().describe('即办件占比的基准版本'),
        decisions: z.object({ after: z.string().nullable(), upTo: z.string().nullable() }).describe('计入的决定的时间范围'),
        department: z.object({ code: z.string(), name: z.string() }).nullable(),
      }),
      items: z.number().int().describe('事项数'),
      departments: z.number().int().describe('部门数'),
      byDepartment: z.array(z.object({ ...figures, code: z.string(), name: z.string(), itemCount: z.number().int() })),
    })
    .describe('统计数字'),
);

export const errorSchema = named(
  'Error',
  z.object({ error: z.object({ code: z.string().describe('错误代码，如 not_found'), message: z.string().describe('中文说明'), fields: z.record(z.string(), z.string()) }) }),
);

// The routes build these answers from the reader's types; the compiler holds them to the schemas.
type Fits<A, B> = [A] extends [B] ? true : false;
type PublishedDetail = Omit<ItemDetail, 'id' | 'departmentId' | 'rowVersion' | 'reviewStatus' | 'updatedAt' | 'disposition'>;
export const RESPONSE_TYPES_FIT: [
  Fits<VersionInfo, z.input<typeof versionInfoSchema>>,
  Fits<PublishedDetail, z.input<typeof publishedItemSchema>>,
  Fits<DiffPage & { from: number; to: number; nextUrl: string | null }, z.input<typeof versionDiffSchema>>,
  Fits<Stats, z.input<typeof statsSchema>>,
] = [true, true, true, true];

// ---- The document -----------------------------------------------------------------------------

export interface Endpoint {
  path: string;
  operationId: string;
  summary: string;
  description: string;
  /** The HTML page this answer is the JSON twin of. */
  htmlTwin: string | null;
  params?: z.ZodObject;
  query?: z.ZodObject;
  response: z.ZodType;
  /** Versions never change: these answers carry an ETag and answer 304 when it matches. */
  etag: boolean;
  errors: { status: number; description: string }[];
}

/** What each parameter means, by name; the test fails for a parameter the document leaves unexplained. */
export const PARAMETER_DOCS: Record<string, string> = {
  n: '版本号',
  a: '比较的一个版本号',
  b: '比较的另一个版本号',
  code: '事项编码',
  version: '版本号或 latest（最新版本）；不给时为工作目录，需登录',
  date: '日期（YYYY-MM-DD）：给出时只返回该日施行的版本',
  q: '关键词：事项名称、编码等的一部分',
  department: '实施部门编码',
  category: `事项类型：${describeCodes(CATEGORIES)}`,
  level: `行使层级：${describeCodes(LEVELS)}`,
  basis: '设定依据：yes 有，no 无',
  audience: FACET_LABELS.apiDocs.audience,
  theme: FACET_LABELS.apiDocs.theme,
  facets: VERSION_FACETS_DOCS.parameter,
  kind: '变化类型：added 新增，changed 变更，removed 移出',
  page: '页码，从 1 开始',
};

/** Query values the /api page puts in its example links. */
const PARAMETER_EXAMPLES: Record<string, string> = { version: 'latest' };

const notFound = { status: 404, description: '没有这一版本（或事项）' };

export const PUBLIC_ENDPOINTS: Endpoint[] = [
  {
    path: '/api/v1/versions',
    operationId: 'listVersions',
    summary: '已发布的目录版本',
    description: '全部已发布版本，新的在前；给出 date 时返回该日施行的版本。',
    htmlTwin: '/versions',
    query: versionsQuerySchema,
    response: versionsListSchema,
    etag: false,
    errors: [{ status: 400, description: '日期格式不对' }, { status: 404, description: '该日还没有施行的版本' }],
  },
  {
    path: '/api/v1/versions/{n}/items',
    operationId: 'listVersionItems',
    summary: '一个版本的事项目录',
    description: '按部门、类型、层级、有无设定依据筛选，按关键词搜索，分页返回。',
    htmlTwin: '/versions/{n}',
    params: versionParamsSchema,
    query: versionItemsDocumentedQuerySchema,
    response: versionItemsPageSchema,
    etag: true,
    errors: [notFound],
  },
  {
    path: '/api/v1/versions/{n}/items/{code}',
    operationId: 'getVersionItem',
    summary: '一个版本中的一项事项',
    description: '事项在该版本中公布的办事指南，以及它在各版本中的历史。',
    htmlTwin: '/versions/{n}/items/{code}',
    params: versionItemParamsSchema,
    response: versionItemSchema,
    etag: true,
    errors: [notFound],
  },
  {
    path: '/api/v1/versions/{a}/diff/{b}',
    operationId: 'diffVersions',
    summary: '比较两个版本',
    description: '按变化类型和部门统计的数量，以及一页新增、移出和变更的事项：变更的字段前后对照，审核时的处理意见和理由。用 kind、department 筛选，page 翻页（nextUrl 为下一页）。',
    htmlTwin: '/versions/{a}/diff/{b}',
    params: versionDiffParamsSchema,
    query: diffQuerySchema,
    response: versionDiffSchema,
    etag: true,
    errors: [notFound],
  },
  {
    path: '/api/v1/stats',
    operationId: 'getStats',
    summary: '统计数字',
    description: '一个版本（或一个部门）的事项数、精简率、即办件占比、时限压缩和改革目标完成情况，与统计看板相同。',
    htmlTwin: '/dashboard',
    query: statsQuerySchema,
    response: statsSchema,
    etag: false,
    errors: [
      { status: 400, description: '版本号或部门编码不对' },
      { status: 401, description: '查看工作目录需要登录' },
      { status: 403, description: '该角色不能查看工作目录' },
      { status: 404, description: '还没有发布任何版本' },
    ],
  },
];

type JsonSchema = Record<string, unknown>;

/** JSON Schema of one schema's input (what a client sends), without the dialect header. */
function inputSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(schema: z.ZodObject | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const json = inputSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      description: PARAMETER_DOCS[name] ?? (description as string | undefined) ?? '',
      schema: propertySchema,
      ...(PARAMETER_EXAMPLES[name] ? { example: PARAMETER_EXAMPLES[name] } : {}),
    };
  });
}

function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}` }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]));
}

const ref = (schema: z.ZodType) => {
  const meta = registry.get(schema);
  if (!meta) throw new Error('response schemas must be named');
  return { $ref: `#/components/schemas/${meta.id}` };
};

let cachedDocument: object | null = null;

/** The OpenAPI 3.1 document of the public API. */
export function openApiDocument(): object {
  cachedDocument ??= {
    openapi: '3.1.0',
    info: {
      title: '行政权力清单 开放接口',
      version: '1',
      description: '已发布目录版本及其统计数字的只读接口。版本发布后不再更改；带 ETag 的回答可用 If-None-Match 重新验证。',
    },
    paths: Object.fromEntries(
      PUBLIC_ENDPOINTS.map((e) => [
        e.path,
        {
          get: {
            operationId: e.operationId,
            summary: e.summary,
            description: e.description,
            parameters: [...parameters(e.params, 'path'), ...parameters(e.query, 'query')],
            responses: {
              '200': {
                description: e.summary,
                ...(e.etag ? { headers: { ETag: { description: '由版本哈希和请求地址算出', schema: { type: 'string' } } } } : {}),
                content: { 'application/json': { schema: ref(e.response) } },
              },
              ...(e.etag ? { '304': { description: '内容未变（If-None-Match 与 ETag 一致）' } } : {}),
              ...Object.fromEntries(e.errors.map((x) => [String(x.status), { description: x.description, content: { 'application/json': { schema: ref(errorSchema) } } }])),
            },
          },
        },
      ]),
    ),
    components: { schemas: componentSchemas() },
  };
  return cachedDocument;
}
