// The one drizzle schema of the catalogue. Migrations in db/migrations are generated from it
// (npm run db:generate) and a test fails when the two disagree.
import { sql } from 'drizzle-orm';
import {
  sqliteTable,
  integer,
  text,
  index,
  uniqueIndex,
  check,
  primaryKey,
  type AnySQLiteColumn,
} from 'drizzle-orm/sqlite-core';
import {
  CATEGORY_CODES,
  FEEDBACK_KIND_CODES,
  CITATION_ROLE_CODES,
  DISPOSITION_CODES,
  INSTRUMENT_STATUS_CODES,
  JOB_KIND_CODES,
  LEVEL_CODES,
  ONLINE_DEPTH_CODES,
  RANK_CODES,
  REVIEW_STATE_CODES,
  REVIEW_STATUS_CODES,
  ROLE_CODES,
} from '../server/domain/vocabulary.js';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;
const createdAt = () => text('created_at').notNull().default(now);
const updatedAt = () => text('updated_at').notNull().default(now);

export const departments = sqliteTable(
  'departments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull(),
    name: text('name').notNull(),
    level: text('level', { enum: LEVEL_CODES }).notNull().default('district'),
    parentId: integer('parent_id').references((): AnySQLiteColumn => departments.id),
    /** JSON array of other names the department is written as in sheets (区人社局 / 人力资源和社会保障局). */
    aliases: text('aliases', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('departments_code_uq').on(t.code), uniqueIndex('departments_name_uq').on(t.name)],
);

export const legalInstruments = sqliteTable(
  'legal_instruments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    /** Title without 中华人民共和国, version suffixes and bracket variants: what citations are matched on. */
    normalizedTitle: text('normalized_title').notNull(),
    rank: text('rank', { enum: RANK_CODES }).notNull(),
    /** The rank was guessed from title and document number and no person has confirmed it yet. */
    rankInferred: integer('rank_inferred', { mode: 'boolean' }).notNull().default(false),
    issuingBody: text('issuing_body'),
    region: text('region'),
    documentNumber: text('document_number'),
    publishedOn: text('published_on'),
    effectiveOn: text('effective_on'),
    /** The day it ceased to have effect (废止 or 失效), when known. */
    repealedOn: text('repealed_on'),
    status: text('status', { enum: INSTRUMENT_STATUS_CODES }).notNull().default('in_force'),
    replacedById: integer('replaced_by_id').references((): AnySQLiteColumn => legalInstruments.id),
    /** Where the row came from: national-laws.csv, local-regulations.csv, department-rules.csv, manual, import. */
    source: text('source').notNull(),
    /**
     * For a row from a shipped file (data/registry/*.csv): the hash of that file's row as last applied.
     * An upgrade compares it with the file's row to see what the shipped registry changed.
     */
    shippedHash: text('shipped_hash'),
    /** When and by whom a person last changed the row (form or registry import); null: as shipped. */
    editedAt: text('edited_at'),
    editedBy: text('edited_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('legal_instruments_normalized_title_idx').on(t.normalizedTitle),
    index('legal_instruments_status_idx').on(t.status),
  ],
);

export const items = sqliteTable(
  'items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Stable item code (事项编码); the public URL of an item. */
    code: text('code').notNull(),
    name: text('name').notNull(),
    /**
     * The name as compared (normalizeItemName), written in JS with the name; NULL when written elsewhere
     * (the sqlite3 shell, a rename there clears it by trigger) and filled on the next open (fillNameKeys).
     */
    nameKey: text('name_key'),
    parentId: integer('parent_id').references((): AnySQLiteColumn => items.id),
    /** The main item a sub-item belongs to when that main item is not itself listed. */
    mainItemName: text('main_item_name'),
    category: text('category', { enum: CATEGORY_CODES }).notNull(),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    level: text('level', { enum: LEVEL_CODES }),
    /** JSON array of ServiceObject codes. */
    serviceObjects: text('service_objects', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    statutoryLimitDays: integer('statutory_limit_days'),
    promisedLimitDays: integer('promised_limit_days'),
    instant: integer('instant', { mode: 'boolean' }).notNull().default(false),
    feeCharged: integer('fee_charged', { mode: 'boolean' }).notNull().default(false),
    feeStandard: text('fee_standard'),
    feeBasis: text('fee_basis'),
    conditions: text('conditions'),
    materials: text('materials'),
    /** The 办理流程 text as written; parsed steps live in process_steps. */
    processText: text('process_text'),
    contactPhone: text('contact_phone'),
    supervisionPhone: text('supervision_phone'),
    remarks: text('remarks'),
    /** The service guide: 办理地点, 办理时间, 到现场次数 (0, 1, 2 = two or more), 网上办理深度, 结果名称. */
    servicePlace: text('service_place'),
    serviceHours: text('service_hours'),
    onSiteVisits: integer('on_site_visits'),
    onlineDepth: text('online_depth', { enum: ONLINE_DEPTH_CODES }),
    resultName: text('result_name'),
    disposition: text('disposition', { enum: DISPOSITION_CODES }),
    reviewStatus: text('review_status', { enum: REVIEW_STATUS_CODES }).notNull().default('none'),
    /** Set when the item left the working catalogue (cancelled, delegated away, merged, transferred). */
    removedAt: text('removed_at'),
    /** Optimistic concurrency: every update must name the version it read. */
    rowVersion: integer('row_version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('items_code_uq').on(t.code),
    /** Live items only: department and category counts of the catalogue read this index alone. */
    index('items_department_idx').on(t.departmentId, t.category).where(sql`${t.removedAt} IS NULL`),
    index('items_category_idx').on(t.category),
    index('items_parent_idx').on(t.parentId),
    index('items_name_idx').on(t.name),
    /** Same-named items (duplicates) by indexed key; removed_at makes the live-only group count covering. */
    index('items_name_key_idx').on(t.nameKey, t.removedAt),
    index('items_updated_idx').on(t.updatedAt),
  ],
);

export const citations = sqliteTable(
  'citations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull().default(0),
    /** Null when the title matched no registered instrument; the title is then kept as written. */
    instrumentId: integer('instrument_id').references(() => legalInstruments.id),
    title: text('title').notNull(),
    article: text('article'),
    documentNumber: text('document_number'),
    role: text('role', { enum: CITATION_ROLE_CODES }).notNull().default('setting'),
    /** The tag the department wrote, e.g. 【法律】; often wrong, kept for the reviewer. */
    tag: text('tag'),
    quotedText: text('quoted_text'),
  },
  (t) => [
    index('citations_item_idx').on(t.itemId, t.role),
    index('citations_instrument_idx').on(t.instrumentId),
  ],
);

export const itemPrerequisites = sqliteTable(
  'item_prerequisites',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    /** Resolved prerequisite; null while the written name matches no item. */
    prerequisiteItemId: integer('prerequisite_item_id').references(() => items.id),
    writtenAs: text('written_as').notNull(),
    /** The legal office marked this edge as the one to cut in a prerequisite loop. */
    cut: integer('cut', { mode: 'boolean' }).notNull().default(false),
    cutReason: text('cut_reason'),
  },
  (t) => [
    index('item_prerequisites_item_idx').on(t.itemId),
    index('item_prerequisites_prereq_idx').on(t.prerequisiteItemId),
  ],
);

export const processSteps = sqliteTable(
  'process_steps',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    name: text('name').notNull(),
    post: text('post'),
    limitDays: integer('limit_days'),
  },
  (t) => [index('process_steps_item_idx').on(t.itemId, t.seq)],
);

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    /** scrypt$N$r$p$salt$hash (base64); parameters travel with the hash. */
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ROLE_CODES }).notNull(),
    departmentId: integer('department_id').references(() => departments.id),
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
    /** Set by a password reset: the one-time password must be replaced before anything else. */
    mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_username_uq').on(t.username),
    check('users_department_role_ck', sql`(${t.role} = 'department') = (${t.departmentId} IS NOT NULL)`),
  ],
);

export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 of the cookie token: a stolen database yields no usable session. */
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: text('created_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Append-only, hash-chained: triggers (migration 0001) refuse UPDATE and DELETE. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    actorId: integer('actor_id'),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    before: text('before'),
    after: text('after'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  // By time: the audit page's date filter and the supervisor's count of recent actions.
  (t) => [index('audit_log_entity_idx').on(t.entityType, t.entityId), index('audit_log_at_idx').on(t.at)],
);

/** Small key/value facts about this database (what was seeded, when). */
export const appMeta = sqliteTable('app_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** Every accepted upload, archived once by content hash (data/uploads/<sha256>). */
export const uploads = sqliteTable(
  'uploads',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    originalName: text('original_name').notNull(),
    format: text('format', { enum: ['xlsx', 'csv'] }).notNull(),
    storedPath: text('stored_path').notNull(),
    firstUploadedBy: text('first_uploaded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('uploads_sha256_uq').on(t.sha256)],
);

export const IMPORT_MODES = ['submission', 'dry_run', 'baseline'] as const;
export const IMPORT_STATUSES = ['reading', 'ready', 'refused', 'failed', 'confirmed', 'discarded'] as const;

/** One reading of an upload: who, for which department (null = whole catalogue), and what came out. */
export const imports = sqliteTable(
  'imports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    uploadId: integer('upload_id').references(() => uploads.id),
    originalName: text('original_name').notNull(),
    departmentId: integer('department_id').references(() => departments.id),
    mode: text('mode', { enum: IMPORT_MODES }).notNull(),
    status: text('status', { enum: IMPORT_STATUSES }).notNull().default('reading'),
    createdBy: text('created_by').notNull(),
    createdById: integer('created_by_id'),
    refusalCode: text('refusal_code'),
    refusalMessage: text('refusal_message'),
    /** Counts for the report: rows read, items, errors, new, changed, unchanged, missing, noBasis. */
    counts: text('counts', { mode: 'json' }).$type<Record<string, number>>().notNull().default(sql`'{}'`),
    /** Department names in the file that match no department (whole-catalogue imports). */
    unknownDepartments: text('unknown_departments', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    /** The uploader said the file is the department's complete list: only then is what it lacks proposed for cancellation. */
    complete: integer('complete', { mode: 'boolean' }).notNull().default(false),
    progressRows: integer('progress_rows').notNull().default(0),
    /** The process reading it (while 'reading'): an import left reading by a process that is gone was interrupted. */
    readerPid: integer('reader_pid'),
    /** A web upload's temporary file while it is read (removed when the import ends, or at start-up after a crash). */
    tempPath: text('temp_path'),
    submissionId: integer('submission_id'),
    createdAt: createdAt(),
    finishedAt: text('finished_at'),
  },
  (t) => [index('imports_department_idx').on(t.departmentId, t.createdAt)],
);

/** The rows an import read, normalised, matched to the catalogue and compared with it. */
export const importRows = sqliteTable(
  'import_rows',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    importId: integer('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    sheet: text('sheet').notNull(),
    rowNumber: integer('row_number').notNull(),
    itemCode: text('item_code'),
    name: text('name'),
    departmentText: text('department_text'),
    departmentId: integer('department_id'),
    /** The matched item of the working catalogue, if any. */
    itemId: integer('item_id'),
    /** new | changed | unchanged | error */
    kind: text('kind', { enum: ['new', 'changed', 'unchanged', 'error'] }).notNull(),
    /** The item as the row proposes it (ItemFields plus citations, prerequisites, disposition). */
    proposal: text('proposal', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** Field-by-field differences from the catalogue: [{field, before, after}]. */
    changes: text('changes', { mode: 'json' }).$type<{ field: string; before: unknown; after: unknown }[]>(),
    /** [{column, message}] — errors keep the row out; warnings do not. */
    errors: text('errors', { mode: 'json' }).$type<{ column: string; message: string }[]>(),
    warnings: text('warnings', { mode: 'json' }).$type<{ column: string; message: string }[]>(),
    noBasis: integer('no_basis', { mode: 'boolean' }).notNull().default(false),
    /** The legal-basis checks' findings on the proposal: [{rule, severity, message, suggestion, ground}]. */
    flags: text('flags', { mode: 'json' }).$type<{ rule: string; severity: string; message: string; suggestion: string; ground: string }[]>(),
    /**
     * Fields where a stale pre-filled template would undo a later decision: [{field, label, before, after, value}]
     * (value: the file's, as the proposal would carry it). Left out of the proposal unless the person ticks the row.
     */
    reverts: text('reverts', { mode: 'json' }).$type<{ field: string; label: string; before: unknown; after: unknown; value: unknown }[]>(),
    /**
     * What confirming copies into the submission beside the proposal, as the proposal has it: its name,
     * category, 处理意见 and reason. Written with the proposal (staging, restaging), so that confirming an
     * upload reads no JSON (a third of a 100,000-row confirm, npm run bench:import).
     */
    proposedName: text('proposed_name'),
    proposedCategory: text('proposed_category'),
    proposedDisposition: text('proposed_disposition'),
    proposedReason: text('proposed_reason'),
  },
  (t) => [
    index('import_rows_import_idx').on(t.importId, t.kind),
    index('import_rows_item_idx').on(t.importId, t.itemId),
    index('import_rows_code_idx').on(t.importId, t.itemCode),
    // The report's errors and warnings, in file order, read without the rows' proposals (a tenth of their
    // size): printing a million rows' warnings read every staged row and sorted them.
    // hot path: npm run bench:import (the command-line report of every row's warning)
    index('import_rows_issues_idx')
      .on(t.importId, t.id, t.sheet, t.rowNumber, t.errors, t.warnings)
      .where(sql`${t.errors} IS NOT NULL OR ${t.warnings} IS NOT NULL`),
  ],
);

/**
 * What a person said a file's columns and values mean, remembered per department (scope `d:<id>`, or
 * `all` for whole-catalogue imports) and header set: offered again when a file with the same header row
 * comes. columns: header text → column key or 'ignore'; values: column key → file value → catalogue value.
 */
export const uploadMappings = sqliteTable(
  'upload_mappings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    scope: text('scope').notNull(),
    /** The header row's texts, normalised, sorted and joined: what identifies a file's layout. */
    headerKey: text('header_key').notNull(),
    columns: text('columns', { mode: 'json' }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
    values: text('values', { mode: 'json' }).$type<Record<string, Record<string, string>>>().notNull().default(sql`'{}'`),
    updatedBy: text('updated_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('upload_mappings_scope_header_uq').on(t.scope, t.headerKey)],
);

/**
 * How an import's file was read: each sheet's header row with its first rows, the values the reader did
 * not understand (with their row counts), the mapping it was read with, and the department choices made
 * for names the catalogue does not know. The preview's mapping forms are built from it.
 */
export const importLayouts = sqliteTable('import_layouts', {
  importId: integer('import_id')
    .primaryKey()
    .references(() => imports.id, { onDelete: 'cascade' }),
  sheets: text('sheets', { mode: 'json' }).$type<unknown[]>().notNull().default(sql`'[]'`),
  unrecognised: text('unrecognised', { mode: 'json' }).$type<Record<string, Record<string, number>>>().notNull().default(sql`'{}'`),
  mapping: text('mapping', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
  departmentChoices: text('department_choices', { mode: 'json' }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
});

/** The review workflow's states, one list in server/domain/vocabulary.ts. */
export const SUBMISSION_STATES = REVIEW_STATE_CODES;

/** A clean-up round (清理专项行动): submissions, decisions and the filing record belong to one. */
export const campaigns = sqliteTable('campaigns', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  startsOn: text('starts_on').notNull(),
  /** The date the rules are judged at (a rule effective from 2015 applies to a campaign judged after it). */
  judgedAt: text('judged_at').notNull(),
  /** The deadline for departments without their own. */
  dueOn: text('due_on'),
  note: text('note'),
  closedAt: text('closed_at'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
});

export const campaignDeadlines = sqliteTable(
  'campaign_deadlines',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    dueOn: text('due_on').notNull(),
  },
  (t) => [uniqueIndex('campaign_deadlines_uq').on(t.campaignId, t.departmentId)],
);

/** A department's proposed changes to its items, from a confirmed upload or the item form. */
export const submissions = sqliteTable(
  'submissions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    campaignId: integer('campaign_id').references(() => campaigns.id),
    source: text('source', { enum: ['upload', 'form'] }).notNull(),
    importId: integer('import_id').references(() => imports.id),
    state: text('state', { enum: SUBMISSION_STATES }).notNull().default('submitted'),
    createdBy: text('created_by').notNull(),
    createdById: integer('created_by_id'),
    submittedAt: text('submitted_at'),
    rowVersion: integer('row_version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('submissions_department_idx').on(t.departmentId, t.state), index('submissions_campaign_idx').on(t.campaignId)],
);

export const submissionItems = sqliteTable(
  'submission_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    submissionId: integer('submission_id')
      .notNull()
      .references(() => submissions.id, { onDelete: 'cascade' }),
    /** The existing item this proposal is about; null for a new item. */
    itemId: integer('item_id').references(() => items.id),
    kind: text('kind', { enum: ['new', 'change', 'remove'] }).notNull(),
    /**
     * An upload's proposal is not copied: it stays in the staged row it was read into, which `proposal`
     * overrides once written (a returned proposal corrected). Read through PROPOSAL_OF (db/queries/review/proposal.ts).
     * Confirming a 100,000-row upload wrote every proposal a second time (npm run bench:import).
     */
    importRowId: integer('import_row_id').references(() => importRows.id),
    /** The item's name as proposed (or as it stands, for a removal): what the queue lists. */
    name: text('name'),
    category: text('category', { enum: CATEGORY_CODES }),
    /** The item's fields as proposed; null for a removal, or for an upload's proposal kept in its staged row (importRowId). */
    proposal: text('proposal', { mode: 'json' }).$type<Record<string, unknown>>(),
    changes: text('changes', { mode: 'json' }).$type<{ field: string; before: unknown; after: unknown }[]>(),
    /** The checks' findings on the proposal when it was submitted (or re-submitted). */
    flags: text('flags', { mode: 'json' }).$type<{ rule: string; severity: string; message: string; suggestion: string; ground: string }[]>(),
    state: text('state', { enum: SUBMISSION_STATES }).notNull().default('submitted'),
    disposition: text('disposition', { enum: DISPOSITION_CODES }),
    /** Where it goes: delegate {level, body}; merge {intoCode}; transfer {department}; change_mode {category, mode}. */
    dispositionDetails: text('disposition_details', { mode: 'json' }).$type<Record<string, string>>(),
    /** What the department proposed (its 处理意见) and why; the legal office's decision is `disposition`. */
    proposedDisposition: text('proposed_disposition', { enum: DISPOSITION_CODES }),
    proposedReason: text('proposed_reason'),
    reason: text('reason'),
    legalGround: text('legal_ground'),
    decidedBy: text('decided_by'),
    decidedAt: text('decided_at'),
    returnRequest: text('return_request'),
    departmentAnswer: text('department_answer'),
    expertReviewClosedReason: text('expert_review_closed_reason'),
    finalisedBy: text('finalised_by'),
    finalisedAt: text('finalised_at'),
    rowVersion: integer('row_version').notNull().default(1),
  },
  (t) => [
    index('submission_items_submission_idx').on(t.submissionId),
    index('submission_items_item_idx').on(t.itemId),
    index('submission_items_state_idx').on(t.state),
    // A department's inbox counts its items in a state submission by submission (its own submissions first).
    index('submission_items_submission_state_idx').on(t.submissionId, t.state),
    // A submission's proposals without fields (removals), which its checks read apart: a handful among an
    // upload's 100,000 proposals, found without reading every proposal's row (npm run bench:import).
    index('submission_items_removals_idx')
      .on(t.submissionId, t.id)
      .where(sql`${t.proposal} IS NULL AND ${t.importRowId} IS NULL`),
    // The staged row an upload's proposal is read from: its import's rows cannot be deleted while a
    // submission item refers to them (the foreign key looks them up here).
    index('submission_items_import_row_idx').on(t.importRowId),
  ],
);

/** A reviewer's decision to set a check finding aside, with the reason (kept for the filing record). */
export const flagOverrides = sqliteTable(
  'flag_overrides',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    submissionItemId: integer('submission_item_id')
      .notNull()
      .references(() => submissionItems.id, { onDelete: 'cascade' }),
    rule: text('rule').notNull(),
    reason: text('reason').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('flag_overrides_uq').on(t.submissionItemId, t.rule)],
);

export const EXPERT_OPINIONS = ['agree', 'disagree', 'amend'] as const;

/** An expert assigned to an item, and the opinion they gave; the legal office records how it was handled. */
export const expertReviews = sqliteTable(
  'expert_reviews',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    submissionItemId: integer('submission_item_id')
      .notNull()
      .references(() => submissionItems.id, { onDelete: 'cascade' }),
    expertId: integer('expert_id')
      .notNull()
      .references(() => users.id),
    assignedBy: text('assigned_by').notNull(),
    assignedAt: createdAt(),
    opinion: text('opinion', { enum: EXPERT_OPINIONS }),
    notes: text('notes'),
    answeredAt: text('answered_at'),
    handling: text('handling'),
    handledBy: text('handled_by'),
    handledAt: text('handled_at'),
    rowVersion: integer('row_version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('expert_reviews_uq').on(t.submissionItemId, t.expertId),
    index('expert_reviews_expert_idx').on(t.expertId, t.answeredAt),
    // The legal office's inbox counts opinions given and not yet handled: only those are in this index.
    index('expert_reviews_unhandled_idx').on(t.submissionItemId).where(sql`${t.answeredAt} IS NOT NULL AND ${t.handledAt} IS NULL`),
  ],
);

/**
 * The delegation and cancellation register (seed 000, 二(二)2): every item cancelled, delegated,
 * transferred or merged, across campaigns, with where it went, when and why. RECREATED_AFTER_CANCEL
 * compares new and renamed items against it.
 */
export const registerEntries = sqliteTable(
  'register_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id').references(() => items.id),
    itemCode: text('item_code'),
    itemName: text('item_name').notNull(),
    category: text('category', { enum: CATEGORY_CODES }),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    disposition: text('disposition', { enum: ['cancel', 'delegate', 'transfer', 'merge'] }).notNull(),
    /** Where it went, in words: 下放至乡镇（街道）人民政府 / 并入“…” / 转移至区市场监管局. */
    destination: text('destination'),
    details: text('details', { mode: 'json' }).$type<Record<string, string>>(),
    reason: text('reason').notNull(),
    legalGround: text('legal_ground'),
    campaignId: integer('campaign_id').references(() => campaigns.id),
    submissionItemId: integer('submission_item_id').references(() => submissionItems.id),
    decidedBy: text('decided_by').notNull(),
    effectiveOn: text('effective_on').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('register_entries_department_idx').on(t.departmentId, t.disposition), index('register_entries_name_idx').on(t.itemName)],
);

/** The legal-basis checks' current findings on items of the working catalogue (replaced at every re-check). */
export const itemFlags = sqliteTable(
  'item_flags',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    rule: text('rule').notNull(),
    severity: text('severity', { enum: ['error', 'warning', 'info'] }).notNull(),
    message: text('message').notNull(),
    suggestion: text('suggestion').notNull(),
    suggestionText: text('suggestion_text').notNull(),
    ground: text('ground').notNull(),
    checkedAt: text('checked_at').notNull(),
  },
  (t) => [index('item_flags_item_idx').on(t.itemId), index('item_flags_rule_idx').on(t.rule, t.severity)],
);

export const REFERENCE_LIST_KINDS = ['cancellation', 'delegation', 'standard'] as const;
export const REFERENCE_MATCH_STATUSES = ['proposed', 'confirmed', 'rejected'] as const;

/**
 * A list from a higher level: items the State Council, province or city cancelled or delegated
 * (国发〔2014〕5号 …), or the standard base catalogue whose names every district should use.
 */
export const referenceLists = sqliteTable(
  'reference_lists',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: REFERENCE_LIST_KINDS }).notNull(),
    title: text('title').notNull(),
    /** The decision's document number, when the whole list has one. */
    decisionNumber: text('decision_number'),
    issuedBy: text('issued_by'),
    issuedOn: text('issued_on'),
    /** uploaded file name, or 'pasted text'. */
    source: text('source').notNull(),
    entryCount: integer('entry_count').notNull().default(0),
    createdBy: text('created_by').notNull(),
    createdById: integer('created_by_id'),
    createdAt: createdAt(),
  },
  (t) => [index('reference_lists_kind_idx').on(t.kind)],
);

export const referenceEntries = sqliteTable(
  'reference_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    listId: integer('list_id')
      .notNull()
      .references(() => referenceLists.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    name: text('name').notNull(),
    departmentText: text('department_text'),
    /** The row's own decision number, when the list gathers several decisions. */
    decisionNumber: text('decision_number'),
    remarks: text('remarks'),
  },
  (t) => [index('reference_entries_list_idx').on(t.listId, t.seq)],
);

/** A fuzzy match between a list entry and an item of the working catalogue, until a person decides it. */
export const referenceMatches = sqliteTable(
  'reference_matches',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    entryId: integer('entry_id')
      .notNull()
      .references(() => referenceEntries.id, { onDelete: 'cascade' }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id),
    scorePermille: integer('score_permille').notNull(),
    status: text('status', { enum: REFERENCE_MATCH_STATUSES }).notNull().default('proposed'),
    decidedBy: text('decided_by'),
    decidedAt: text('decided_at'),
    reason: text('reason'),
  },
  (t) => [uniqueIndex('reference_matches_uq').on(t.entryId, t.itemId), index('reference_matches_item_idx').on(t.itemId, t.status)],
);

/**
 * A published catalogue version: numbered, titled, dated, with the SHA-256 of its items' canonical form.
 * Immutable: triggers (migration 0009) refuse any update or delete.
 */
export const catalogueVersions = sqliteTable('catalogue_versions', {
  number: integer('number').primaryKey(),
  title: text('title').notNull(),
  effectiveOn: text('effective_on').notNull(),
  note: text('note'),
  publishedAt: text('published_at').notNull(),
  publishedBy: text('published_by').notNull(),
  itemCount: integer('item_count').notNull(),
  added: integer('added').notNull(),
  changed: integer('changed').notNull(),
  removed: integer('removed').notNull(),
  contentHash: text('content_hash').notNull(),
});

/**
 * One published state of an item, valid from a version up to (not including) the version that closes
 * it (revision_closures); open while it is still the published state. A version's items are the
 * revisions valid at its number, so a publish stores only what changed. Rows are only ever appended:
 * closing a revision adds a closure instead of rewriting the revision (enforced by triggers).
 */
export const itemRevisions = sqliteTable(
  'item_revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull(),
    fromVersion: integer('from_version').notNull(),
    name: text('name').notNull(),
    category: text('category').notNull(),
    departmentCode: text('department_code').notNull(),
    /** The first two bytes of SHA-256(code), 0–65535: the hash bucket the version hash is built from. */
    bucket: integer('bucket').notNull().default(0),
    /** The item's canonical JSON (sorted keys): what the version shows and hashes. */
    content: text('content').notNull(),
    contentHash: text('content_hash').notNull(),
  },
  (t) => [
    index('item_revisions_code_idx').on(t.code, t.fromVersion),
    /** Covers a bucket's revisions in code order with their hashes: what a publish re-hashes. */
    index('item_revisions_bucket_idx').on(t.bucket, t.code, t.fromVersion, t.contentHash),
    index('item_revisions_from_idx').on(t.fromVersion),
  ],
);

/**
 * The version that closed a revision: the item changed or was removed in it. Appended by the publish
 * (a small table, written in one place, where rewriting the revision would touch a page of the large
 * one for every change); immutable like the revisions.
 */
export const revisionClosures = sqliteTable(
  'revision_closures',
  {
    revisionId: integer('revision_id')
      .primaryKey()
      .references(() => itemRevisions.id),
    toVersion: integer('to_version').notNull(),
  },
  (t) => [index('revision_closures_to_idx').on(t.toVersion)],
);

/**
 * The hash of each bucket of items, stored by the version that changed it: a version's hash is the
 * SHA-256 of all 65,536 bucket hashes as they stood at it, so a publish re-hashes only the buckets
 * holding changed items. Immutable like the versions.
 */
export const versionBuckets = sqliteTable(
  'version_buckets',
  {
    version: integer('version').notNull(),
    bucket: integer('bucket').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.version] })],
);

/**
 * What the in-memory catalogue index needs of each published revision, in narrow rows: the index is
 * built by reading this table in order instead of the revisions' JSON. Written with the revision by
 * the publish, immutable like it (migration 0014).
 */
export const revisionFacets = sqliteTable('revision_facets', {
  revisionId: integer('revision_id')
    .primaryKey()
    .references(() => itemRevisions.id),
  fromVersion: integer('from_version').notNull(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  category: text('category').notNull(),
  departmentCode: text('department_code').notNull(),
  departmentName: text('department_name').notNull(),
  level: text('level'),
  parentCode: text('parent_code'),
  /** 1 when the revision cites at least one setting instrument. */
  hasBasis: integer('has_basis').notNull(),
  /** The cited instruments' titles, one per line. */
  basisTitles: text('basis_titles').notNull(),
});

export const JOB_KINDS = JOB_KIND_CODES;
export const JOB_STATES = ['running', 'done', 'failed'] as const;

/**
 * Work over the whole catalogue or a whole list, run off the request thread (server/jobs/). A job's row
 * is written by the thread that runs it, when it starts and when it ends; progress lives in memory. A
 * row found `running` at start-up belonged to a process that died: it is marked failed.
 */
export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: JOB_KINDS }).notNull(),
    state: text('state', { enum: JOB_STATES }).notNull(),
    /** What the job was asked to do (its parameters), as JSON. */
    params: text('params', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    /** What it did (counts, the version published…), as JSON, once done. */
    result: text('result', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** Why it failed, in Chinese. */
    error: text('error'),
    createdBy: text('created_by').notNull(),
    createdById: integer('created_by_id'),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
  },
  (t) => [index('jobs_started_idx').on(t.startedAt)],
);

/**
 * The shipped registry files (data/registry/*.csv) as last applied to this database, by content hash:
 * a database whose hashes match the files has nothing to update.
 */
export const registryFiles = sqliteTable('registry_files', {
  file: text('file').primaryKey(),
  hash: text('hash').notNull(),
  appliedAt: text('applied_at').notNull().default(now),
});

/**
 * A registry file uploaded for bulk import, read and waiting for the legal office to confirm its
 * preview: the rows as read (JSON), never the file. Confirming applies them; a stale preview is
 * recomputed against the registry as it is then.
 */
export const registryImports = sqliteTable('registry_imports', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  fileName: text('file_name').notNull(),
  rows: text('rows', { mode: 'json' }).$type<unknown[]>().notNull(),
  /** pending, confirmed or discarded. */
  state: text('state', { enum: ['pending', 'confirmed', 'discarded'] }).notNull().default('pending'),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  /** What confirming did (counts, the re-check job), as JSON. */
  result: text('result', { mode: 'json' }).$type<Record<string, unknown>>(),
});

/**
 * A citizen's comment, correction or complaint on an item (no account). The contact and the address
 * are for the legal office only, never shown publicly; an answer is shown under the guide only when
 * the legal office makes it public.
 */
export const feedback = sqliteTable(
  'feedback',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The item's code (its public URL), kept as written even if the item later leaves the catalogue. */
    itemCode: text('item_code').notNull(),
    itemName: text('item_name').notNull(),
    kind: text('kind', { enum: FEEDBACK_KIND_CODES }).notNull(),
    body: text('body').notNull(),
    /** Optional, private. */
    contact: text('contact'),
    /** The sender's address as the server saw it: private, for the legal office against abuse. */
    address: text('address'),
    answer: text('answer'),
    answerPublic: integer('answer_public', { mode: 'boolean' }).notNull().default(false),
    answeredBy: text('answered_by'),
    answeredAt: text('answered_at'),
    rowVersion: integer('row_version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [index('feedback_item_idx').on(t.itemCode, t.answerPublic), index('feedback_open_idx').on(t.answeredAt)],
);

/**
 * Search synonyms: a person searching for `term` also finds items with `synonym`, and the other way
 * round (server/domain/search-synonyms.ts). The shipped ones (data/search/synonyms.csv) are loaded into every
 * database; the legal office adds its own (audited) on /workspace/search-synonyms.
 */
export const searchSynonyms = sqliteTable(
  'search_synonyms',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    term: text('term').notNull(),
    synonym: text('synonym').notNull(),
    /** 'shipped' (data/search/synonyms.csv) or 'added' (by the legal office). */
    source: text('source', { enum: ['shipped', 'added'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('search_synonyms_pair_uq').on(t.term, t.synonym)],
);

/**
 * Themes the legal office tags by hand, on top of the rules on names (data/themes/themes.json): a theme
 * added to an item, or a theme the name rule gives taken away ('removed'). Keyed by item code, so a tag
 * holds in the working catalogue and in every published version alike; themes are a browsing aid and
 * never part of a version's published content or its hash.
 */
export const itemThemeTags = sqliteTable(
  'item_theme_tags',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemCode: text('item_code').notNull(),
    /** A theme code of data/themes/themes.json. */
    theme: text('theme').notNull(),
    /** 'added' (the item is under the theme) or 'removed' (it is not, whatever its name). */
    tag: text('tag', { enum: ['added', 'removed'] }).notNull(),
    /** Who tagged it (the audit log has the full story). */
    taggedBy: text('tagged_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('item_theme_tags_item_theme_uq').on(t.itemCode, t.theme)],
);
