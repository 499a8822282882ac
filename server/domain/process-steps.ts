// 办理流程 texts as departments write them, split into steps with their post (岗位) and time limit:
// "受理→审查→决定→送达", "受理、审核、审批、办结", "1.受理（窗口，1个工作日）2.审查（科长，3个工作日）",
// "窗口受理：当场办结", one step a line. A text that is not a list of steps gives none. Pure.
import { cleanText } from './clean-text.js';
import { chineseToNumber, parseTimeLimit } from './time-limits.js';

export interface ProcessStep {
  /** 受理, 审查, 现场核查 …: as written, without its list marker, post and time limit. */
  name: string;
  /** The post or unit that takes the step (窗口, 业务科室, 分管局长); null when the text names none. */
  post: string | null;
  /**
   * Working days, counted as the item's own limits are (server/domain/time-limits.ts), so that the steps
   * add up against them: 即时, 当场, 当日 and hours under a day are 0 (done within the day, as an
   * item's "2小时" is); 24 hours or more are whole days rounded up; null when the step has no limit.
   */
  limitDays: number | null;
}

/** Longest step name taken from an arrow list or a list of lines; longer ones are prose. */
const MAX_NAME = 15;
/** From a numbered list, where departments write a little more per step. */
const MAX_NUMBERED_NAME = 20;
/** From "受理、审核、审批、办结": enumerations of nouns (材料、证明) must not pass as steps. */
const MAX_ENUMERATED_NAME = 8;
const MAX_POST = 15;

const OPEN = '（([【[';
const CLOSE = '）)]】]';

/** "办理流程：" and similar headings before the list. */
const HEADING_RE = /^(?:办理|审批|办事|工作|业务)?(?:流程|程序|步骤|环节)(?:图|如下|为)?\s*[:：]\s*/;
/**
 * Arrows of every kind between steps. Dashes and tildes separate only outside numbers ("3-5个工作日"
 * is a range): checked by the caller.
 */
const ARROW_RE = /\s*(?:-+>|=+>|—+>|→+|⇒|⟶|⟹|➔|➜|➝|➞|➡|⇨|⇢|►|▶|▷|＞|>|»|›|↓|⬇|—+|―+|─+|－+|-+|~+|～+)\s*/g;
const DASH_OR_TILDE_RE = /^\s*[—―─－\-~～]+\s*$/;
/** List markers: 1. 1、 1） (1) （1） ① 一、 第一步 步骤1：. Groups 1–5 carry the number, group 6 a circled one. */
const MARKER_RE =
  /(?:第\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*步\s*[:：、.]?|步骤\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*[:：、.]?|[（(]\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*[）)]|([0-9]{1,2})\s*(?:[.．、](?![0-9])|[）)])|([一二三四五六七八九十]{1,3})\s*、|([①-⑳]))/g;
const LEADING_MARKER_RE = new RegExp(`^\\s*(?:${MARKER_RE.source})\\s*`);

/** 即时, 当场, 当日 …: handled within the day. */
const INSTANT_WORDS = '即时|即办|即来即办|随到随办|当场|立即|当日|当天';
const NUMBER = '[0-9]+(?:\\.[0-9]+)?|[零〇两一二三四五六七八九十百]+';
/** A time limit inside a step: "3个工作日内", "时限：2日", "1-3天", "2小时", "当场". */
const LIMIT_RE = new RegExp(
  `(?:(?:办理|承诺|审批|审核)?(?:时限|期限|用时|时间)\\s*(?:为|是)?\\s*[:：]?\\s*)?(?:(?:${NUMBER})\\s*(?:[-~～—至到]\\s*(?:${NUMBER})\\s*)?个?\\s*(?:工作日|自然日|日历日|个?工作天|天|日|小时|个?钟头|个?月|周|星期)(?:之内|以内|内)?|(?:${INSTANT_WORDS}))`,
);

/** Words that end a post or unit: 窗口, 业务科室, 分管局长, 首席代表, A岗, 局务会 …. */
const POST_WORDS =
  '窗口|科室|股室|处室|科|股|室|处|所|站|中心|大厅|局|办公室|大队|中队|领导|负责人|局长|科长|股长|主任|处长|站长|所长|队长|人员|员|经办人|承办人|审批人|审核人|首席代表|岗位|岗|专员|局务会|办公会|会议|委员会';
/** What a step's name starts with when a post stands before it: 窗口受理, 分管领导审批. */
const STEP_VERBS =
  '受理|申请|收件|接件|预审|初审|复审|审|复核|核|批|决定|签|送|发|颁|制证|出证|办|归档|登记|录入|公示|勘|踏勘|现场|调查|检|查验|验收|评|听证|告知|通知|缴|收费|领|研究|讨论|会签|会审|确认|出具';
const POST_PREFIX_RE = new RegExp(`^(?:由)?([\\u4e00-\\u9fa5A-Za-z0-9]{0,10}?(?:${POST_WORDS}))(?=(?:${STEP_VERBS}))(.{2,})$`);
const POST_RE = new RegExp(`^[\\u4e00-\\u9fa5A-Za-z0-9·]{0,12}?(?:${POST_WORDS})$`);
/** "岗位：窗口", "承办科室：法规科": the label names what follows as a post. */
const POST_LABEL_RE = /^(?:责任|办理|审批|审核|承办|经办)?(?:岗位|人员|人|单位|部门|机构|科室)\s*[:：]\s*/;
/** Words a step list uses: at least one step must have one; each step of "a、b、c" must. */
const STEP_WORD_RE =
  /受理|申请|收件|审|核|批|决定|送达|发证|颁|制证|出证|办结|办理|归档|公示|公告|登记|勘|检查|检验|检测|查验|验收|评|论证|听证|调查|调解|裁决|告知|通知|缴费|收费|领取|领证|发放|出具|签|备案|录入|上报|报送|转报|会商|把关|确认|认定|鉴定|考试|考核|注册|变更|注销|提交|补正|立案|推荐|决策|研究|讨论|反馈|送|受案|结案|执行|处理/;
/** Prose, not a step name: 的, 应当, 可以, 予以, 按照, 根据 …. */
const PROSE_RE = /的|应当|可以|予以|按照|根据|如果|凡是|以及|或者|需要|是否/;
const SENTENCE_PUNCT_RE = /[。，,；;：:！？!?]/;
const PIECE_SPLIT_RE = /\s*[，,；;、/／]\s*|\s+/;
const BODY_SPLIT_RE = /\s*[，,；;。]\s*/;
const TRAILING_PUNCT_RE = /[\s。．.，,；;、：:]+$/;
const CJK_RE = /[\u4e00-\u9fa5]/;
const TOTAL_RE = /共|合计|总计|全程|累计/;
/** "1 个工作日": the space would split the limit from its number. */
const SPACE_IN_LIMIT_RE = /([0-9零〇一二两三四五六七八九十百])\s+(?=[个工作日天小时月周])/g;
/** A piece that starts like this says what happens, not who: "报分管领导审批", "经科长同意". */
const NOT_POST_START_RE = /^(?:报|送|交|向|经|对|将|按|在|于|如|凡|符合|不|并|再|后|请|提)/;

type Mode = 'numbered' | 'arrows' | 'lines' | 'enumeration';

/**
 * The steps a 办理流程 text lists, in order. Lists are read as numbered (1. 1、 （1） ① 一、 第一步),
 * then arrows (→ -> — > ＞ ⇒ …), then one step a line, then "受理、审核、审批、办结". Each step may
 * carry a post in brackets ("审查（业务科室）"), before its name ("窗口受理") or in a labelled piece
 * ("岗位：窗口"), and a limit in brackets, after the name or after a colon ("受理：当场办结"). A text
 * with fewer than two steps, or any part that reads as prose, gives [] — never an error.
 */
export function parseProcessSteps(text: string | null | undefined): ProcessStep[] {
  if (!text) return [];
  const t = cleanText(text, { multiline: true }).replace(HEADING_RE, '').replace(SPACE_IN_LIMIT_RE, '$1');
  if (t === '') return [];
  const split = splitSteps(t);
  if (!split) return [];
  const steps: ProcessStep[] = [];
  for (const segment of split.segments) {
    const step = parseStep(segment, split.mode);
    if (step === 'empty') continue;
    if (step === null) return [];
    steps.push(step);
  }
  if (steps.length < 2 || !steps.some((s) => STEP_WORD_RE.test(s.name))) return [];
  return steps;
}

const cache = new Map<string, ProcessStep[]>();
const CACHE_LIMIT = 20_000;

/** parseProcessSteps remembered by text: a catalogue repeats a few texts over thousands of items. */
export function cachedProcessSteps(text: string | null | undefined): readonly ProcessStep[] {
  if (!text) return [];
  let steps = cache.get(text);
  if (!steps) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    steps = parseProcessSteps(text);
    cache.set(text, steps);
  }
  return steps;
}

/* Splitting ----------------------------------------------------------------------------------- */

/** Bracket depth before each character (so separators inside "（窗口，1个工作日）" are skipped). */
function depths(t: string): number[] {
  const out: number[] = new Array<number>(t.length);
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    const ch = t.charAt(i);
    if (CLOSE.includes(ch)) depth = Math.max(0, depth - 1);
    out[i] = depth;
    if (OPEN.includes(ch)) depth++;
  }
  return out;
}

function splitSteps(t: string): { mode: Mode; segments: string[] } | null {
  const depth = depths(t);
  const numbered = splitNumbered(t, depth);
  if (numbered) return { mode: 'numbered', segments: numbered };
  const arrows = splitArrows(t, depth);
  if (arrows) return { mode: 'arrows', segments: arrows };
  if (t.includes('\n')) return { mode: 'lines', segments: t.split('\n') };
  // "受理、审核、审批、办结", or words with only spaces between them: "受理 审核 审批 办结".
  const parts = splitOutside(t, depth, /[、，,；;/／]/);
  if (parts.length > 1) return { mode: 'enumeration', segments: parts };
  const words = splitOutside(t, depth, /\s/).filter((w) => w !== '');
  return words.length > 1 ? { mode: 'enumeration', segments: words } : null;
}

function markerNumber(m: RegExpExecArray): number | null {
  const raw = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5];
  if (raw !== undefined) return chineseToNumber(raw);
  const circled = m[6];
  return circled ? circled.charCodeAt(0) - 0x2460 + 1 : null;
}

/**
 * Splits at list markers outside brackets that count up by one: from 1, or from 2 when the text
 * before holds the first step (an import that dropped the leading "1.").
 */
function splitNumbered(t: string, depth: number[]): string[] | null {
  const found: { at: number; n: number }[] = [];
  MARKER_RE.lastIndex = 0;
  for (let m = MARKER_RE.exec(t); m; m = MARKER_RE.exec(t)) {
    if (depth[m.index] !== 0) continue;
    const n = markerNumber(m);
    // A marker starts the text or follows a break, punctuation or a closing bracket, never a digit.
    const before = m.index === 0 ? '' : t.charAt(m.index - 1);
    if (n === null || /[0-9.]/.test(before)) continue;
    found.push({ at: m.index, n });
  }
  const chain: number[] = [];
  let expected = 0;
  for (const f of found) {
    if (chain.length === 0) {
      const lead = t.slice(0, f.at).trim();
      if (f.n === 1 || (f.n === 2 && lead !== '')) {
        chain.push(f.at);
        expected = f.n + 1;
      }
    } else if (f.n === expected) {
      chain.push(f.at);
      expected++;
    }
  }
  if (chain.length === 0 || (chain.length === 1 && expected !== 3)) return null;
  const segments: string[] = [];
  const lead = t.slice(0, chain[0]).trim();
  // Text before "1." is a heading ("本事项流程如下："); before "2." it is the first step.
  if (lead !== '' && expected - chain.length === 2) segments.push(lead);
  for (const [i, at] of chain.entries()) {
    // A step over several lines: its first line names it, the rest describes it.
    const step = t.slice(at, chain[i + 1] ?? t.length).trim();
    const firstBreak = step.indexOf('\n');
    const hasColon = firstBreak >= 0 && /[:：]/.test(step.slice(0, firstBreak));
    segments.push(firstBreak < 0 ? step : step.replace('\n', hasColon ? '，' : '：').replace(/\n/g, '，'));
  }
  return segments.length >= 2 ? segments : null;
}

function splitArrows(t: string, depth: number[]): string[] | null {
  const cuts: { from: number; to: number }[] = [];
  ARROW_RE.lastIndex = 0;
  for (let m = ARROW_RE.exec(t); m; m = ARROW_RE.exec(t)) {
    const at = m.index;
    if (depth[at] !== 0 || m[0].length === 0) continue;
    // "3-5个工作日", "1~3天": a range, not an arrow.
    if (DASH_OR_TILDE_RE.test(m[0]) && /[0-9零〇一二两三四五六七八九十]/.test(t.charAt(at - 1)) && /[0-9零〇一二两三四五六七八九十]/.test(t.charAt(at + m[0].length))) continue;
    cuts.push({ from: at, to: at + m[0].length });
  }
  if (cuts.length === 0) return null;
  const segments: string[] = [];
  let start = 0;
  for (const c of cuts) {
    segments.push(t.slice(start, c.from));
    start = c.to;
  }
  segments.push(t.slice(start));
  // Arrows over several lines: a line break between steps is one more separator.
  return segments.flatMap((s) => s.split('\n'));
}

function splitOutside(t: string, depth: number[], separator: RegExp): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < t.length; i++) {
    if (depth[i] === 0 && separator.test(t.charAt(i))) {
      parts.push(t.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(t.slice(start));
  return parts;
}

/* One step ------------------------------------------------------------------------------------ */

function parseStep(segment: string, mode: Mode): ProcessStep | 'empty' | null {
  let s = segment.trim().replace(LEADING_MARKER_RE, '').replace(TRAILING_PUNCT_RE, '').trim();
  if (s === '') return 'empty';
  // Bracketed notes: (post, limit) pieces; the rest of the text is the step.
  const notes: string[] = [];
  const outside = takeBrackets(s, notes);
  if (outside === null) return null;
  // A line that is only a note ("（注：法定节假日除外）") is no step.
  if (outside === '') return 'empty';
  s = outside;
  // "受理：窗口，当场办结" / "受理，1个工作日": the name is what comes before the first colon or comma.
  const cut = s.search(SENTENCE_PUNCT_RE);
  const head = (cut < 0 ? s : s.slice(0, cut)).replace(/\s+/g, '');
  const body = cut < 0 ? [] : s.slice(cut + 1).split(BODY_SPLIT_RE).map((p) => p.trim()).filter(Boolean);
  if (mode !== 'numbered' && body.length > 0 && !s.slice(cut, cut + 1).match(/[:：]/)) {
    // Outside numbered lists a comma inside a step is prose ("申请人提交材料，窗口审查").
    if (body.some((p) => !isLimit(p) && !asPost(p))) return null;
  }

  let name = head;
  let limitDays: number | null = null;
  const inline = LIMIT_RE.exec(name);
  if (inline) {
    limitDays = limitOf(inline[0]);
    const rest = (name.slice(0, inline.index) + name.slice(inline.index + inline[0].length)).trim();
    // "即办" alone is the step; "即时办结" is 办结, done on the spot.
    name = rest === '' ? name : rest;
  }
  name = name.replace(/^由/, '').replace(TRAILING_PUNCT_RE, '').trim();

  let post: string | null = null;
  const prefixed = POST_PREFIX_RE.exec(name);
  if (prefixed && prefixed[1]!.replace(/^由/, '').length >= 2) {
    post = prefixed[1]!.replace(/^由/, '');
    name = prefixed[2]!;
  }

  for (const piece of [...notes.flatMap((n) => n.split(PIECE_SPLIT_RE)), ...body]) {
    const p = piece.trim();
    if (p === '' || TOTAL_RE.test(p)) continue;
    if (isLimit(p)) {
      limitDays ??= limitOf(p);
      continue;
    }
    post ??= asPost(p);
  }

  if (!validName(name, mode)) return null;
  return { name, post, limitDays };
}

/** Removes the bracketed notes from a step, collecting their contents; null for unbalanced brackets. */
function takeBrackets(s: string, notes: string[]): string | null {
  let out = '';
  let depth = 0;
  let note = '';
  for (const ch of s) {
    if (OPEN.includes(ch)) {
      if (depth > 0) note += ch;
      depth++;
    } else if (CLOSE.includes(ch)) {
      if (depth === 0) return null;
      depth--;
      if (depth === 0) {
        notes.push(note);
        note = '';
      } else note += ch;
    } else if (depth > 0) note += ch;
    else out += ch;
  }
  if (depth !== 0) return null;
  return out.trim();
}

const isLimit = (p: string) => LIMIT_RE.test(p);

function limitOf(text: string): number | null {
  const limit = parseTimeLimit(text);
  return limit.ok ? limit.days : null;
}

/** A piece that names a post: "窗口", "业务科室", "岗位：窗口", "科长审核" (its post). */
function asPost(piece: string): string | null {
  const labelled = POST_LABEL_RE.exec(piece);
  const p = labelled ? piece.slice(labelled[0].length).trim() : piece.replace(/^由/, '');
  if (p === '' || NOT_POST_START_RE.test(p) || p.length > MAX_POST || PROSE_RE.test(p) || SENTENCE_PUNCT_RE.test(p)) return null;
  if (labelled || POST_RE.test(p)) return p;
  const prefixed = POST_PREFIX_RE.exec(p);
  return prefixed && prefixed[1]!.length >= 2 ? prefixed[1]! : null;
}

function validName(name: string, mode: Mode): boolean {
  if (name === '' || !CJK_RE.test(name) || SENTENCE_PUNCT_RE.test(name) || /[0-9]/.test(name)) return false;
  const max = mode === 'numbered' ? MAX_NUMBERED_NAME : mode === 'enumeration' ? MAX_ENUMERATED_NAME : MAX_NAME;
  if (name.length > max) return false;
  // Arrows and numbers say "these are steps"; lines and enumerations need names that read as steps.
  if ((mode === 'lines' || mode === 'enumeration') && PROSE_RE.test(name)) return false;
  if (mode === 'enumeration' && !STEP_WORD_RE.test(name)) return false;
  return true;
}
