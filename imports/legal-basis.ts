// Legal-basis text (设定依据) as departments write it, split into citations (title, article, document
// number, tag, quoted text), and citations matched to the legal-instrument registry.
import { normalizeInstrumentTitle, pickInstrumentVersion, versionDateOf } from '../server/domain/instrument-title.js';
import { cleanText } from './normalise.js';
import { chineseToNumber } from '../server/domain/time-limits.js';
import { normaliseDocumentNumber } from '../server/domain/document-number.js';

export { normaliseDocumentNumber };

export interface ParsedCitation {
  /** As written between 《》 (or the bare title / document number), whitespace removed. */
  title: string;
  /** 第X条第X款第X项 in Chinese numerals; several articles stay together ("第十二条、第十四条"). */
  article: string | null;
  /** 国务院令第412号, 交通运输部令2016年第82号, 国发〔2015〕11号 (year brackets made 〔〕). */
  documentNumber: string | null;
  /** The label the department put before the title, as 【…】 (often wrong; kept for the reviewer). */
  tag: string | null;
  /** What follows the article up to the next citation. */
  quotedText: string | null;
}

/* ------------------------------------------------------------------------------------------------
 * Numbers, articles, document numbers
 * ---------------------------------------------------------------------------------------------- */

const CN_DIGIT_CHARS = '零一二三四五六七八九';
const CN_UNITS = ['', '十', '百', '千'] as const;

/** 0…9999 in Chinese numerals as legal texts write them: 10 → 十, 15 → 十五, 105 → 一百零五, 110 → 一百一十. */
function numberToChinese(n: number): string {
  if (n === 0) return '零';
  const digits = String(n).split('').map(Number);
  let out = '';
  let pendingZero = false;
  digits.forEach((d, i) => {
    const unit = CN_UNITS[digits.length - 1 - i]!;
    if (d === 0) {
      pendingZero = out !== '';
      return;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    // 十五, not 一十五, when 十 leads.
    out += (d === 1 && unit === '十' && out === '' ? '' : CN_DIGIT_CHARS[d]!) + unit;
  });
  return out;
}

const NUMERAL = '[0-9]+|[零〇一二两三四五六七八九十百千]+';
const NUMERAL_RUN_RE = /[0-9]+|[零〇一二两三四五六七八九十百千]+/g;
const BRACKETED_NUMERAL_RE = new RegExp(`[（(]\\s*(${NUMERAL})\\s*[)）]`, 'g');
const ARTICLE_UNIT = '条|款|项|目|章|节';
const LEADING_BARE_NUMBER_RE = new RegExp(`^(${NUMERAL})(?=${ARTICLE_UNIT})`);
const RANGE_DASH_RE = /\s*[-~～—–]+\s*/g;
const COMMA_RE = /[，,]/g;
const SPACES_RE = /\s+/g;

/** Lists cite the same few hundred articles over and over: each written form is normalised once. */
const normalisedArticles = new Map<string, string>();

/**
 * An article reference in the form legal texts use: Chinese numerals, no brackets around an item
 * number, 、 between several: "第35条第1款" → "第三十五条第一款", "第十二条第一款第（三）项" →
 * "第十二条第一款第三项", "第12、14条" → "第十二、十四条", "35条" → "第三十五条", "第5-7条" → "第五至七条".
 */
export function normaliseArticle(s: string): string {
  let hit = normalisedArticles.get(s);
  if (hit === undefined) {
    hit = normaliseArticleText(s);
    if (normalisedArticles.size >= 10_000) normalisedArticles.clear();
    normalisedArticles.set(s, hit);
  }
  return hit;
}

function normaliseArticleText(s: string): string {
  let t = cleanText(s).replace(SPACES_RE, '');
  t = t.replace(BRACKETED_NUMERAL_RE, '$1').replace(COMMA_RE, '、').replace(RANGE_DASH_RE, '至');
  t = t.replace(NUMERAL_RUN_RE, (run) => {
    const n = chineseToNumber(run);
    return n !== null && Number.isInteger(n) && n <= 9999 ? numberToChinese(n) : run;
  });
  return t.replace(LEADING_BARE_NUMBER_RE, '第$1');
}

const OPEN_YEAR = '[〔\\[［【（(]';
const CLOSE_YEAR = '[〕\\]］】）)]';
/**
 * Document numbers: 国务院令第412号, 交通运输部令2016年第82号, 中国人民银行令〔2016〕第2号, 主席令第十一号,
 * 国务院第412号令, 国发〔2015〕11号, 国办发[2015]86号, 川府发（2016）12号.
 */
const DOC_NUMBER_SOURCE =
  `[\\u4e00-\\u9fa5]{1,20}?令\\s*(?:${OPEN_YEAR}?\\s*\\d{4}\\s*${CLOSE_YEAR}?\\s*年?)?\\s*第\\s*(?:${NUMERAL})\\s*号` +
  `|[\\u4e00-\\u9fa5]{1,20}?第\\s*(?:${NUMERAL})\\s*号令` +
  `|[\\u4e00-\\u9fa5]{1,12}?${OPEN_YEAR}\\s*\\d{4}\\s*${CLOSE_YEAR}\\s*第?\\s*\\d+\\s*号`;
const DOC_NUMBER_RE = new RegExp(DOC_NUMBER_SOURCE);
const DOC_NUMBER_STICKY_RE = new RegExp(DOC_NUMBER_SOURCE, 'y');

/** The first document number in free text (a list's 备注 or 决定 column), normalised; null when none. */
export function findDocumentNumber(text: string): string | null {
  const m = DOC_NUMBER_RE.exec(text);
  return m ? normaliseDocumentNumber(m[0]) : null;
}

/* ------------------------------------------------------------------------------------------------
 * Splitting legal-basis text into citations
 * ---------------------------------------------------------------------------------------------- */

/** Cells that say there is no basis. */
const NO_BASIS_RE =
  /^(?:无|暂无|没有|空|无依据|无设定依据|无法律依据|无相关依据|未找到依据|待补充|[/\\／—\-－–―_.。、]+|n\/?a|null|none)[。.]?$/i;

// Title marks by code unit: the loops below run over every character of a basis text, and charAt
// would make a new string of each Chinese character.
const isTitleOpener = (c: number) => c === 0x300a /* 《 */ || c === 0x3008; /* 〈 */
const isTitleCloser = (c: number) => c === 0x300b /* 》 */ || c === 0x3009; /* 〉 */
/** ASCII and full-width angle brackets used as title marks, made 《》 before titles are found. */
const DOUBLE_ANGLE_OPEN_RE = /<<|＜＜|《《/g;
const DOUBLE_ANGLE_CLOSE_RE = />>|＞＞|》》/g;
const SINGLE_ANGLE_RE = /[<＜]([^<>＜＞\n]{1,80})[>＞]/g;

interface TitleSpan {
  /** Index of the opening mark (or of the place name of an unbracketed 实施《…》办法 title). */
  start: number;
  /** Index after the closing mark. */
  end: number;
  title: string;
}

/** Titles at the top level of the text, nested marks kept inside (《上海市实施〈食品安全法〉办法》). */
function findTitleSpans(t: string): TitleSpan[] {
  const spans: TitleSpan[] = [];
  let i = 0;
  while (i < t.length) {
    const open = indexOfTitleOpener(t, i);
    if (open < 0) break;
    let depth = 0;
    let close = -1;
    for (let j = open; j < t.length; j++) {
      const c = t.charCodeAt(j);
      if (isTitleOpener(c)) depth++;
      else if (isTitleCloser(c) && --depth === 0) {
        close = j;
        break;
      }
    }
    let span: TitleSpan;
    if (close < 0) {
      // An unclosed mark: the title runs to the article, a bracket or a separator. A stray mark
      // before a well-formed title (《依据《X法》) is dropped instead.
      const rest = t.slice(open + 1);
      const stop = UNCLOSED_TITLE_END_RE.exec(rest);
      const end = open + 1 + (stop ? stop.index : rest.length);
      const inner = indexOfTitleOpener(t, open + 1);
      if (inner >= 0 && inner < end) {
        i = inner;
        continue;
      }
      span = { start: open, end, title: t.slice(open + 1, end) };
    } else {
      span = { start: open, end: close + 1, title: t.slice(open + 1, close) };
    }
    const widened = widenImplementingTitle(t, span, spans[spans.length - 1]?.end ?? 0);
    spans.push(widened);
    i = widened.end;
  }
  return spans.filter((s) => s.title.replace(SPACES_RE, '') !== '');
}

const UNCLOSED_TITLE_END_RE = new RegExp(`第\\s*(?:${NUMERAL})|[（(；;，,。\\n]`);
const IMPLEMENTING_PREFIX_RE = /([\u4e00-\u9fa5]{2,20}?(?:实施|贯彻|执行))$/;
const IMPLEMENTING_SUFFIX_RE = /^(?:的)?(?:实施办法|实施细则|办法|细则|若干规定|规定|条例)/;
const LEAD_WORDS_RE = /^(?:依据|根据|依照|按照|参照)+/;

/** 河南省实施《城乡规划法》办法 written without outer marks: the whole is the title. */
function widenImplementingTitle(t: string, span: TitleSpan, notBefore: number): TitleSpan {
  const before = IMPLEMENTING_PREFIX_RE.exec(t.slice(Math.max(notBefore, span.start - 20), span.start));
  if (!before) return span;
  const after = IMPLEMENTING_SUFFIX_RE.exec(t.slice(span.end, span.end + 8));
  if (!after) return span;
  const prefix = before[1]!.replace(LEAD_WORDS_RE, '');
  const start = span.start - prefix.length;
  const end = span.end + after[0].length;
  return { start, end, title: t.slice(start, end) };
}

function indexOfTitleOpener(s: string, from: number): number {
  for (let i = from; i < s.length; i++) if (isTitleOpener(s.charCodeAt(i))) return i;
  return -1;
}

/** Ranks departments write as a bare label before a title: "法律：《…》". */
const RANK_LABELS = '行政法规|地方性法规|部门规章|地方政府规章|政府规章|规范性文件|国务院决定|法律|法规|规章';
const LIST_MARKER_AT_END =
  '第?[一二三四五六七八九十]{1,3}[、.．]|[0-9]{1,3}\\s*[、.．)）]|[(（]\\s*(?:[0-9]{1,3}|[一二三四五六七八九十]{1,3})\\s*[)）]|[①-⑳⑴-⒇⒈-⒛]';
/**
 * One piece of what may stand between a citation and the next title, matched at the end:
 * (1) a tag 【法律】 / [法律], (2) a rank label 法律：, (3) a list marker, (4) a strong separator,
 * (5) spaces, weak separators and connecting words.
 */
const LEAD_PIECE_RE = new RegExp(
  `(?:(【[^】0-9]{1,15}】|\\[[^\\]0-9]{1,15}\\])|(${RANK_LABELS})[：:]|(${LIST_MARKER_AT_END})|([；;。\\n])|(\\s+|[、，,：:]|以及|和|及|与|并|(?:设定|实施|法律|法定|法规)?(?:依据|根据)|依照|按照|参照))$`,
);
const LEAD_WINDOW = 60;

interface Lead {
  /** Where the lead begins within the gap. */
  index: number;
  tag: string | null;
  /** A separator, list marker or tag stands right before the title: it starts a new citation. */
  boundary: boolean;
}

/** The separators, list marker, tag and connecting words right before a title. */
function findLead(gap: string): Lead {
  const offset = Math.max(0, gap.length - LEAD_WINDOW);
  let rest = gap.slice(offset);
  let tag: string | null = null;
  let boundary = false;
  for (let m = LEAD_PIECE_RE.exec(rest); m && m[0] !== ''; m = LEAD_PIECE_RE.exec(rest)) {
    rest = rest.slice(0, m.index);
    if (m[1]) tag ??= `【${m[1].slice(1, -1).trim()}】`;
    else if (m[2]) tag ??= `【${m[2]}】`;
    if (m[1] || m[2] || m[3] || m[4]) boundary = true;
  }
  return { index: offset + rest.length, tag, boundary };
}

interface Tail {
  versionSuffix: string;
  documentNumber: string | null;
  article: string | null;
  quotedText: string | null;
  /** Citations written without 《》 later in the tail, after a separator. */
  following: ParsedCitation[];
}

const VERSION_ONLY_RE =
  /^(?:\d{4}\s*年?(?:\d{1,2}月(?:\d{1,2}日)?)?(?:第[一二三四五六七八九十\d]+次)?(?:修正|修订|修改)?(?:文本|本|版)?|试行|暂行|草案)$/;
const ARTICLE_ONE = `(?:附件\\s*[0-9一二三四五六七八九十]*\\s*)?第?\\s*[（(]?\\s*(?:${NUMERAL})\\s*[)）]?\\s*(?:${ARTICLE_UNIT})(?:之[一二三四五六七八九十]+)?`;
const ARTICLE_RUN_RE = new RegExp(
  `(?:附件\\s*[0-9一二三四五六七八九十]*\\s*)?第\\s*[（(]?\\s*(?:${NUMERAL})\\s*[)）]?\\s*(?:${ARTICLE_UNIT})(?:之[一二三四五六七八九十]+)?` +
    `(?:\\s*(?:、|，|,|和|及|与|以及|至|到|-|—|~|～)?\\s*${ARTICLE_ONE})*` +
    `|^\\s*(?:${NUMERAL})\\s*(?:条|款|项)(?:\\s*(?:、|，|,|和|及|至|-)?\\s*${ARTICLE_ONE})*`,
);
/** What may stand between a title and its article: "《X法》第十条", "《X法》中的第十条", "《X法》 第十条". */
const ARTICLE_GAP_RE = /^[\s的中之及其相关有关规定]{0,6}$/;
const QUOTE_LEAD_RE = /^[\s：:，,。；;、"“”'‘’]+/;
const QUOTE_SAYS_RE = /^(?:中|的)?(?:规定|明确|指出)\s*[：:，,]\s*/;
const QUOTE_TRAIL_RE = /[\s：:，,；;、]+$/;
const EMPTY_QUOTE_RE = /^(?:等|的?规定|的?有关规定|的?相关规定|之规定|等规定|等有关规定|等相关规定)[。.]?$/;
const STRONG_SEPARATOR_RE = /([；;\n。])/;

/** The parenthesis closing the one at `open`, nested ones counted; -1 when unclosed. */
function matchParen(s: string, open: number): number {
  let depth = 0;
  for (let j = open; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0xff08 /* （ */ || c === 0x28 /* ( */) depth++;
    else if ((c === 0xff09 /* ） */ || c === 0x29) /* ) */ && --depth === 0) return j;
  }
  return -1;
}

const HISTORY_DATE_RE = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?/g;
const AMENDED_RE = /修改|修正|修订/;
const HISTORY_WORD_RE = /公布|通过|发布|施行|令|修改|修正|修订/;

/**
 * The version a bracket of history after a title names, as a version suffix: "（1988年9月5日主席令第6号，
 * 2010年4月29日予以修改）" cites the text as amended on 2010-04-29 → "（2010年4月29日修改）"; without an
 * amendment, the text as first made: "（2003年8月27日主席令第7号公布）" → "（2003年8月27日）". The latest
 * amendment named is the text the department read. "" when the bracket tells no history.
 */
export function versionInBracket(inner: string): string {
  if (!HISTORY_WORD_RE.test(inner)) return '';
  const dates = [...inner.matchAll(HISTORY_DATE_RE)];
  if (dates.length === 0) return '';
  let amended: RegExpMatchArray | null = null;
  dates.forEach((m, k) => {
    const after = inner.slice(m.index! + m[0].length, k + 1 < dates.length ? dates[k + 1]!.index : inner.length);
    if (AMENDED_RE.test(after)) amended = m;
  });
  const m: RegExpMatchArray = amended ?? dates[0]!;
  const day = m[3] ? `${Number(m[3])}日` : '';
  return `（${m[1]}年${Number(m[2])}月${day}${amended ? '修改' : ''}）`;
}

/** Everything after a title up to the next citation: version, document number, article, quote. */
function parseTail(tail: string): Tail {
  let versionSuffix = '';
  let documentNumber: string | null = null;
  let i = skipSpaces(tail, 0);
  while (tail.charAt(i) === '（' || tail.charAt(i) === '(') {
    const close = matchParen(tail, i);
    if (close < 0) break;
    const inner = tail.slice(i + 1, close).trim();
    if (VERSION_ONLY_RE.test(inner)) versionSuffix += `（${inner}）`;
    else {
      versionSuffix += versionInBracket(inner);
      const d = DOC_NUMBER_RE.exec(inner);
      if (d) documentNumber ??= normaliseDocumentNumber(d[0]);
    }
    i = skipSpaces(tail, close + 1);
  }
  DOC_NUMBER_STICKY_RE.lastIndex = i;
  const bareDoc = DOC_NUMBER_STICKY_RE.exec(tail);
  if (bareDoc) {
    documentNumber ??= normaliseDocumentNumber(bareDoc[0]);
    i = skipSpaces(tail, i + bareDoc[0].length);
  }
  let article: string | null = null;
  const rest = tail.slice(i);
  const a = ARTICLE_RUN_RE.exec(rest);
  let quoteStart = i;
  if (a && ARTICLE_GAP_RE.test(rest.slice(0, a.index))) {
    article = normaliseArticle(a[0]);
    quoteStart = i + a.index + a[0].length;
  }
  const { quote, following } = splitFollowingCitations(tail.slice(quoteStart));
  return { versionSuffix, documentNumber, article, quotedText: cleanQuote(quote), following };
}

const SPACE_CHAR_RE = /\s/;
function skipSpaces(s: string, i: number): number {
  while (i < s.length && SPACE_CHAR_RE.test(s.charAt(i))) i++;
  return i;
}

/** A quote ends where a chunk after a strong separator is itself a citation without 《》. */
function splitFollowingCitations(text: string): { quote: string; following: ParsedCitation[] } {
  if (!STRONG_SEPARATOR_RE.test(text)) return { quote: text, following: [] };
  const pieces = text.split(STRONG_SEPARATOR_RE);
  // pieces: chunk, separator, chunk, separator, …
  let end = 0;
  for (let k = 2; k < pieces.length; k += 2) {
    end += pieces[k - 2]!.length + pieces[k - 1]!.length;
    if (startsBareCitation(pieces[k]!)) {
      return { quote: text.slice(0, end), following: parseBareText(text.slice(end)) };
    }
  }
  return { quote: text, following: [] };
}

function cleanQuote(raw: string): string | null {
  let q = cleanText(raw).replace(QUOTE_LEAD_RE, '').replace(QUOTE_SAYS_RE, '').replace(QUOTE_TRAIL_RE, '');
  q = unquote(q);
  if (q === '' || EMPTY_QUOTE_RE.test(q) || /^[。.]$/.test(q)) return null;
  return q;
}

/** Quotes around the quoted text, or a lone opening or closing one left by the department. */
function unquote(q: string): string {
  const opens = /^["“'‘]/.test(q);
  const closes = /["”'’]$/.test(q);
  if (opens && closes && q.length >= 2) return q.slice(1, -1).trim();
  if (opens && !/["”'’]/.test(q.slice(1))) return q.slice(1).trim();
  if (closes && !/["“'‘]/.test(q.slice(0, -1))) return q.slice(0, -1).trim();
  return q;
}

/* Citations without 《》 ------------------------------------------------------------------------ */

const TITLE_ENDINGS = '法|条例|规定|办法|决定|细则|规则|决议|通知|意见';
/** A title without marks at the start of a chunk, ending in 法/条例/规定/办法/决定/细则 …. */
const BARE_TITLE_RE = new RegExp(
  `^([^\\s，,。；;：:、《》〈〉「」"“”'‘’【】\\[\\]]{1,40}?(?:${TITLE_ENDINGS})(?:[（(](?:试行|暂行|草案|\\d{4}年?[^）)]{0,12})[）)])?)` +
    `(?=第|[0-9]|[（(\\[【〔]|$|[\\s，,。；;：:、]|(?:的|之|中的?)?规定|中)`,
);
/** A title in quotes instead of 《》, used only when the text has no 《》 at all. */
const QUOTED_TITLE_RE = new RegExp(
  `[“"]([^“”"\\n]{1,60}?(?:${TITLE_ENDINGS})(?:[（(][^）)]{0,14}[）)])?)[”"]`,
  'g',
);
/**
 * Words that make a "title" a mere mention: 相关法律法规规定, 有关规定, 上级文件; and 本法, 本条例 … at the
 * end (…标识不符合本法第二十七条): the quoted article speaking of the instrument it is in, not another one.
 */
const NOT_A_TITLE_RE = /^(?:相关|有关|上级|其他|其它|各项|现行|国家)|^法律法规|法律法规(?:的)?规定$|本(?:法|条例|规定|办法|细则|决定|规则)$/;
const CHUNK_LEAD_RE = new RegExp(
  `^(?:\\s+|(?:${LIST_MARKER_AT_END})|【[^】0-9]{1,15}】|\\[[^\\]0-9]{1,15}\\]|(?:${RANK_LABELS})[：:]|(?:设定|实施|法律|法定)?依据[：:]?|根据|依照|按照|参照|[、，,：:])`,
);
const ARTICLE_AT_START_RE = new RegExp(`^\\s*(?:第\\s*[（(]?\\s*(?:${NUMERAL})|[（(\\[〔])`);
const CHUNK_SEPARATOR_RE = /([；;\n。])/;

const RANK_LABEL_RE = new RegExp(`^(?:${RANK_LABELS})[：:]$`);
const TAG_PIECE_RE = /^[【[]/;

interface ChunkLead {
  rest: string;
  tag: string | null;
}

function stripChunkLead(chunk: string): ChunkLead {
  let rest = chunk;
  let tag: string | null = null;
  for (let m = CHUNK_LEAD_RE.exec(rest); m && m[0] !== ''; m = CHUNK_LEAD_RE.exec(rest)) {
    const piece = m[0].trim();
    if (TAG_PIECE_RE.test(piece)) tag ??= `【${piece.slice(1, -1).trim()}】`;
    else if (RANK_LABEL_RE.test(piece)) tag ??= `【${piece.slice(0, -1)}】`;
    rest = rest.slice(m[0].length);
  }
  return { rest, tag };
}

function bareTitleOf(chunk: string): string | null {
  const m = BARE_TITLE_RE.exec(chunk);
  if (!m || NOT_A_TITLE_RE.test(m[1]!)) return null;
  return m[1]!;
}

/** A chunk that is a citation by itself: a bare title followed by an article or bracket, or a document number. */
function startsBareCitation(chunk: string): boolean {
  const { rest } = stripChunkLead(chunk);
  const title = bareTitleOf(rest);
  if (title) return ARTICLE_AT_START_RE.test(rest.slice(title.length));
  DOC_NUMBER_STICKY_RE.lastIndex = 0;
  const d = DOC_NUMBER_STICKY_RE.exec(rest);
  return d !== null && ARTICLE_ONLY_RE.test(rest.slice(d[0].length));
}
const ARTICLE_ONLY_RE = new RegExp(`^\\s*(?:${ARTICLE_ONE}(?:\\s*[、，,和及]?\\s*${ARTICLE_ONE})*)?\\s*$`);

/** Text without 《》: chunks at ；/newline/。, each a bare title or document number, or more of the quote before. */
function parseBareText(text: string): ParsedCitation[] {
  const out: ParsedCitation[] = [];
  const pieces = text.split(CHUNK_SEPARATOR_RE);
  for (let k = 0; k < pieces.length; k += 2) {
    const chunk = pieces[k]!;
    const separator = k > 0 ? pieces[k - 1]! : '';
    const { rest, tag } = stripChunkLead(chunk);
    const body = rest.trim();
    if (body === '' || NO_BASIS_RE.test(body)) continue;
    const title = bareTitleOf(body);
    if (title) {
      out.push(citationFrom(title, tag, parseTail(body.slice(title.length))));
      continue;
    }
    DOC_NUMBER_STICKY_RE.lastIndex = 0;
    const d = DOC_NUMBER_STICKY_RE.exec(body);
    if (d) {
      const documentNumber = normaliseDocumentNumber(d[0]);
      const tail = parseTail(body.slice(d[0].length));
      out.push({ ...citationFrom(documentNumber, tag, tail), documentNumber: tail.documentNumber ?? documentNumber });
      continue;
    }
    // Not a citation: more of the previous citation's quoted text (a sentence after 。, an item after ；).
    const previous = out[out.length - 1];
    if (previous) {
      const joined = `${previous.quotedText ?? ''}${previous.quotedText ? (separator === '\n' ? '' : separator) : ''}${body}`;
      previous.quotedText = cleanQuote(joined);
    }
  }
  return out;
}

function citationFrom(title: string, tag: string | null, tail: Tail): ParsedCitation {
  return {
    title: title.replace(SPACES_RE, '') + tail.versionSuffix,
    article: tail.article,
    documentNumber: tail.documentNumber,
    tag,
    quotedText: tail.quotedText,
  };
}

/**
 * Legal-basis text as citations, in the order written. Each 《title》 (or 〈title〉, <<title>>)
 * starts one; a 《》 inside the quoted text of a citation that is not preceded by a separator,
 * list marker or tag ("…依照《土地管理法》的规定办理") stays part of that quote. Without marks, a
 * bare title ending in 法/条例/规定/办法/决定/细则… or a document number (国务院令第412号) starts one.
 * A version in brackets right after the title ("《行政许可法》（2019年修正）") joins the title.
 * "无", "暂无", "—" and text naming no instrument give [].
 */
export function splitCitations(text: string): ParsedCitation[] {
  const cleaned = cleanText(text, { multiline: true });
  if (cleaned === '' || NO_BASIS_RE.test(cleaned)) return [];
  const t = cleaned
    .replace(DOUBLE_ANGLE_OPEN_RE, '《')
    .replace(DOUBLE_ANGLE_CLOSE_RE, '》')
    .replace(SINGLE_ANGLE_RE, '《$1》');
  const spans = findTitleSpans(t);
  if (spans.length === 0) {
    // No 《》 at all: quotes around a title (“食品安全法”第35条) stand in for them.
    const quoted = t.replace(QUOTED_TITLE_RE, '《$1》');
    return quoted === t ? parseBareText(t) : splitCitations(quoted);
  }

  const out: ParsedCitation[] = [];
  interface Draft {
    span: TitleSpan;
    tag: string | null;
    tailEnd: number;
  }
  const drafts: Draft[] = [];
  let before = '';
  for (const span of spans) {
    const current = drafts[drafts.length - 1];
    const gapStart = current ? current.span.end : 0;
    const gap = t.slice(gapStart, span.start);
    const lead = findLead(gap);
    if (current) {
      if (!lead.boundary && parseTail(gap.slice(0, lead.index)).quotedText !== null) continue;
      current.tailEnd = gapStart + lead.index;
    } else {
      before = gap.slice(0, lead.index);
    }
    drafts.push({ span, tag: lead.tag, tailEnd: t.length });
  }
  if (before.trim() !== '') out.push(...parseBareText(before));
  for (const d of drafts) {
    const tail = parseTail(t.slice(d.span.end, d.tailEnd));
    out.push(citationFrom(d.span.title, d.tag, tail), ...tail.following);
  }
  return out;
}

/* ------------------------------------------------------------------------------------------------
 * Matching citations to the registry
 * ---------------------------------------------------------------------------------------------- */

export type { RegistryInstrument } from '../server/domain/registry-instrument.js';
import type { RegistryInstrument } from '../server/domain/registry-instrument.js';

export interface RegistryIndex {
  readonly byTitle: ReadonlyMap<string, readonly RegistryInstrument[]>;
  readonly byLooseTitle: ReadonlyMap<string, readonly RegistryInstrument[]>;
  readonly byDocumentNumber: ReadonlyMap<string, readonly RegistryInstrument[]>;
  /** Results by cited title and document number: a million rows cite a few hundred instruments. */
  readonly cache: Map<string, CitationMatch>;
}

export interface CitationMatch {
  instrumentId: number | null;
  /** How the instrument was found: its normalised title, the looser form, or the document number. */
  matchedOn: 'title' | 'loose_title' | 'document_number' | null;
}

const CACHE_LIMIT = 100_000;
const NO_MATCH: CitationMatch = { instrumentId: null, matchedOn: null };
/** (试行)/(暂行) and 的 dropped, separators ignored: 《XX管理办法》 for the registered XX管理办法（试行）. */
const LOOSE_DROP_RE = /\((?:试行|暂行)\)|的|[、，,·・\s]/g;
const looseTitle = (normalized: string): string => normalized.replace(LOOSE_DROP_RE, '');

function addTo(map: Map<string, RegistryInstrument[]>, key: string, instrument: RegistryInstrument): void {
  if (key === '') return;
  const list = map.get(key);
  if (list) list.push(instrument);
  else map.set(key, [instrument]);
}

/** An index of the registry for matchCitation. Build once per import. */
export function buildRegistryIndex(instruments: readonly RegistryInstrument[]): RegistryIndex {
  const byTitle = new Map<string, RegistryInstrument[]>();
  const byLooseTitle = new Map<string, RegistryInstrument[]>();
  const byDocumentNumber = new Map<string, RegistryInstrument[]>();
  for (const instrument of instruments) {
    addTo(byTitle, instrument.normalizedTitle, instrument);
    addTo(byLooseTitle, looseTitle(instrument.normalizedTitle), instrument);
    if (instrument.documentNumber) addTo(byDocumentNumber, normaliseDocumentNumber(instrument.documentNumber), instrument);
  }
  return { byTitle, byLooseTitle, byDocumentNumber, cache: new Map() };
}

/**
 * The registered instrument a citation means. Titles are compared after normalizeInstrumentTitle
 * (so with or without 中华人民共和国, 《》 or 〈〉, full- or half-width brackets, with or without a
 * version suffix such as （2019年修正）); failing that, in the looser form (without (试行)/(暂行)
 * and 的); failing that, by document number when the registry rows carry one. Among the versions
 * found, pickInstrumentVersion chooses (the cited version year, else the version in force).
 * A different instrument is never guessed: 《X法实施细则》 does not match 《X法》.
 */
export function matchCitation(
  index: RegistryIndex,
  citation: Pick<ParsedCitation, 'title'> & Partial<Pick<ParsedCitation, 'documentNumber'>>,
): CitationMatch {
  const key = `${citation.title}\u0000${citation.documentNumber ?? ''}`;
  const cached = index.cache.get(key);
  if (cached) return cached;
  const result = lookUp(index, citation.title, citation.documentNumber ?? null);
  if (index.cache.size >= CACHE_LIMIT) index.cache.clear();
  index.cache.set(key, result);
  return result;
}

function lookUp(index: RegistryIndex, title: string, documentNumber: string | null): CitationMatch {
  const normalized = normalizeInstrumentTitle(title);
  const attempts: ReadonlyArray<readonly [CitationMatch['matchedOn'], readonly RegistryInstrument[] | undefined]> = [
    ['title', index.byTitle.get(normalized)],
    ['loose_title', index.byLooseTitle.get(looseTitle(normalized))],
    ['document_number', documentNumber ? index.byDocumentNumber.get(normaliseDocumentNumber(documentNumber)) : undefined],
  ];
  const number = documentNumber ? normaliseDocumentNumber(documentNumber) : null;
  for (const [matchedOn, candidates] of attempts) {
    if (!candidates || candidates.length === 0) continue;
    // The cited order number names its version: 《建筑工程施工许可管理办法》（住房和城乡建设部令第18号） is the 2014 text.
    const numbered = number ? candidates.filter((c) => c.documentNumber && normaliseDocumentNumber(c.documentNumber) === number) : [];
    // …unless the citation names a later amendment of that text: in 《辽宁省建设工程造价管理办法》（2011年9月22日
    // 辽宁省人民政府令第260号，2018年11月26日予以修正） the order made the 2011 text and the 2018 text is cited.
    const citedDay = versionDateOf(title);
    const amendedSince = citedDay != null && numbered.every((c) => c.publishedOn != null && c.publishedOn < citedDay);
    const picked = pickInstrumentVersion(numbered.length > 0 && !amendedSince ? numbered : candidates, title);
    if (picked) return { instrumentId: picked.id, matchedOn };
  }
  return NO_MATCH;
}
