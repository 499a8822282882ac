// TOO_MANY_REVIEW_POSTS: an ordinary approval is reviewed by at most two posts (两岗审核终结,
// seed 000 二（三）3). Steps that take in, hand out, file or publicise a matter review nothing.
import { cachedProcessSteps, type ProcessStep } from '../../domain/process-steps.js';
import type { Category } from '../../domain/vocabulary.js';
import { SEED_000 } from '../grounds.js';
import { findingOf, NO_FINDINGS } from '../basis.js';
import type { CheckedItem, Rule } from '../types.js';

/** Seed 000 二（三）3, its words (punctuation as the other grounds write it). */
export const TWO_POSTS_GROUND = `${SEED_000}二（三）3：“压缩审批环节，建立两岗审核终结制度，一般审批事项，最多由两个岗位对同一内容审核把关，防止多岗位审核影响办事效率”`;
export const MAX_REVIEW_POSTS = 2;

/** 一般审批事项: approvals and what is handled like them; penalties, enforcement and rulings need their own reviews. */
const APPROVALS: ReadonlySet<Category> = new Set<Category>(['permit', 'non_permit_approval', 'confirmation', 'filing', 'benefit', 'reward', 'public_service']);

/**
 * Steps that are not a review of the matter: accepting (申请, 受理, 收件, 预审, 补正), delivering
 * (送达, 发证, 制证, 办结, 领证), filing (归档, 立卷), publicising and notifying (公示, 告知), paying,
 * and fact-finding or outside opinions (现场勘察, 核查, 检验, 听证, 专家评审) that no post signs off.
 */
const NOT_REVIEW_RE =
  /^(?:网上|窗口|现场|集中|统一|材料)?(?:申请|提交|受理|收件|接件|预审|咨询|补正|登记|送达|发证|颁证|颁发|核发|制证|出证|打证|发放|领证|领取|取证|取件|办结|归档|存档|立卷|建档|公示|公告|告知|通知|反馈|缴费|收费|寄送|邮寄|录入|结案|勘|踏勘|现场|核查|检查|检验|检测|查验|验收|听证|专家|评审|评估|论证|鉴定|调查|考试|考核|培训|推荐)/;
/** A post checks the matter and signs off: 审查, 审核, 审批, 复核, 核准, 签发, 决定, 集体讨论. */
const REVIEW_RE = /审|复核|核准|核定|核实|批准|批复|签批|签发|签字|决定|把关|研究|讨论/;

/** Step names repeat across a catalogue (受理, 审查 …): each is judged once. */
const judged = new Map<string, boolean>();

export function isReviewStep(step: Pick<ProcessStep, 'name'>): boolean {
  let review = judged.get(step.name);
  if (review === undefined) {
    review = !NOT_REVIEW_RE.test(step.name) && REVIEW_RE.test(step.name);
    if (judged.size >= 10_000) judged.clear();
    judged.set(step.name, review);
  }
  return review;
}

/** The item's steps as the checks see them: loaded ones, else parsed from its 办理流程 text. */
export const stepsOf = (item: CheckedItem): readonly ProcessStep[] => item.steps ?? cachedProcessSteps(item.processText);

/**
 * The posts that review the item: each named post once (审查 and 审核 by the same 科长 is one post);
 * a review step without a post counts as a post of its own.
 */
export function reviewPosts(steps: readonly ProcessStep[]): { post: string | null; steps: string[] }[] {
  const out: { post: string | null; steps: string[] }[] = [];
  const byPost = new Map<string, { post: string | null; steps: string[] }>();
  for (const step of steps) {
    if (!isReviewStep(step)) continue;
    const post = step.post?.trim() || null;
    const known = post ? byPost.get(post) : undefined;
    if (known) {
      known.steps.push(step.name);
      continue;
    }
    const entry = { post, steps: [step.name] };
    if (post) byPost.set(post, entry);
    out.push(entry);
  }
  return out;
}

export const tooManyReviewPosts: Rule<'TOO_MANY_REVIEW_POSTS'> = {
  code: 'TOO_MANY_REVIEW_POSTS',
  severity: 'warning',
  title: '审核岗位超过两个',
  explanation:
    '一般审批事项实行两岗审核终结，最多由两个岗位对同一内容审核把关。按办理流程计：审查、审核、审批、复核、签发、决定等环节，' +
    '同一岗位的几个环节算一个岗位，未写明岗位的环节各算一个岗位；受理、送达、发证、办结、归档、公示、现场勘察、专家评审等环节不计。',
  ground: TWO_POSTS_GROUND,
  suggestion: 'review',
  effective: {},
  scope: 'item',
  check(item) {
    if (!APPROVALS.has(item.category)) return NO_FINDINGS;
    const steps = stepsOf(item);
    // There are never more posts than review steps: most items stop here, allocating nothing.
    let reviewing = 0;
    for (const step of steps) if (isReviewStep(step)) reviewing++;
    if (reviewing <= MAX_REVIEW_POSTS) return NO_FINDINGS;
    const posts = reviewPosts(steps);
    if (posts.length <= MAX_REVIEW_POSTS) return NO_FINDINGS;
    const list = posts.map((p) => (p.post ? `${p.post}（${p.steps.join('、')}）` : `${p.steps.join('、')}（未写明岗位）`)).join('、');
    return [
      findingOf(tooManyReviewPosts, {
        message: `“${item.name}”的办理流程由${posts.length}个岗位审核把关：${list}，超过两岗审核终结的两个岗位`,
        suggestionText: '压缩审核环节：合并或取消无实质性审核的环节，由不超过两个岗位审核终结，并明确各岗位的审批时限',
        details: { posts: posts.map((p) => ({ post: p.post, steps: p.steps })) },
      }),
    ];
  },
};
