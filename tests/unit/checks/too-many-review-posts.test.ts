import { describe, it, expect } from 'vitest';
import { isReviewStep, reviewPosts, tooManyReviewPosts, TWO_POSTS_GROUND } from '../../../server/checks/rules/too-many-review-posts.js';
import { checkItem } from '../../../server/checks/engine.js';
import { context, item } from './builders.js';

const ctx = context();
const check = (processText: string, fields: Parameters<typeof item>[0] = {}) => tooManyReviewPosts.check(item({ processText, ...fields }), ctx);

describe('TOO_MANY_REVIEW_POSTS — at most two posts review an ordinary approval (两岗审核终结, seed 000 二（三）3)', () => {
  it('three posts reviewing one permit are flagged, naming each post and its steps', () => {
    const [f] = check('受理（窗口，即时）→审查（科员，2个工作日）→审核（科长，1个工作日）→审批（分管局长，1个工作日）→发证（窗口）', { name: '建筑工程施工许可' });
    expect(f).toMatchObject({ rule: 'TOO_MANY_REVIEW_POSTS', severity: 'warning', suggestion: 'review', ground: TWO_POSTS_GROUND });
    expect(f!.message).toBe('“建筑工程施工许可”的办理流程由3个岗位审核把关：科员（审查）、科长（审核）、分管局长（审批），超过两岗审核终结的两个岗位');
    expect(f!.details).toEqual({
      posts: [
        { post: '科员', steps: ['审查'] },
        { post: '科长', steps: ['审核'] },
        { post: '分管局长', steps: ['审批'] },
      ],
    });
  });

  it('review steps without a post count one post each: 初审→复审→审批', () => {
    const [f] = check('受理→初审→复审→审批→办结');
    expect(f!.message).toContain('由3个岗位审核把关：初审（未写明岗位）、复审（未写明岗位）、审批（未写明岗位）');
  });

  it('posts written before the step’s name count: 股室审核, 分管领导审核, 局长审批', () => {
    expect(check('窗口受理→股室审核→分管领导审核→局长审批→窗口发证')).toHaveLength(1);
  });

  it('a non-permit approval and a confirmation are approvals too', () => {
    expect(check('受理→初审→复核→审批→办结', { category: 'non_permit_approval' })).toHaveLength(1);
    expect(check('受理→初审→复核→审批→办结', { category: 'confirmation' })).toHaveLength(1);
  });

  it('the engine raises it from the item’s loaded steps as well as from its text', () => {
    const steps = [
      { name: '审查', post: 'A岗', limitDays: 1 },
      { name: '审核', post: 'B岗', limitDays: 1 },
      { name: '审批', post: 'C岗', limitDays: 1 },
    ];
    expect(checkItem(item({ steps, processText: null }), ctx).map((f) => f.rule)).toContain('TOO_MANY_REVIEW_POSTS');
  });

  it('must not fire: two posts review (受理、审核、审批、办结 is the standard four steps)', () => {
    expect(check('受理、审核、审批、办结')).toEqual([]);
    expect(check('受理→审查→决定→送达')).toEqual([]);
    expect(check('1.受理（窗口，即时）2.审核（科长，3个工作日）3.审批（分管局长，1个工作日）4.办结（窗口，即时）')).toEqual([]);
  });

  it('must not fire: accepting, delivering, filing, publicising and fact-finding steps do not count', () => {
    expect(check('网上申请→窗口受理→受理审查→现场勘察→材料核查→审核→公示→专家评审→审批→缴费→制证→发证→送达→办结→归档')).toEqual([]);
  });

  it('must not fire: several review steps by the same post are one post', () => {
    expect(check('受理（窗口）→审查（科长）→审核（科长）→审批（局长）→办结（窗口）')).toEqual([]);
  });

  it('must not fire: penalties, enforcement and rulings, whose laws ask for more reviews', () => {
    const text = '立案→调查→审查（法制科）→审核（分管领导）→集体讨论决定（局务会）→送达';
    expect(check(text, { category: 'penalty' })).toEqual([]);
    expect(check(text, { category: 'enforcement' })).toEqual([]);
    expect(check(text, { category: 'adjudication' })).toEqual([]);
    expect(check(text, { category: 'permit' })).toHaveLength(1);
  });

  it('must not fire: no process text, or text that is not a step list', () => {
    expect(tooManyReviewPosts.check(item({ processText: null }), ctx)).toEqual([]);
    expect(check('窗口受理后由科室审查、科长审核、局长审批')).toEqual([]);
  });
});

describe('which steps review', () => {
  it('审查, 审核, 审批, 复核, 核准, 签发, 决定, 集体讨论 review; 受理, 送达, 发证, 办结, 归档, 公示, 现场核查, 专家评审 do not', () => {
    for (const name of ['审查', '审核', '审批', '初审', '复审', '复核', '核准', '签发', '决定', '作出决定', '集体讨论决定', '审核发证', '会审', '审定']) {
      expect(isReviewStep({ name }), name).toBe(true);
    }
    for (const name of ['受理', '申请', '网上申请', '受理审查', '送达', '发证', '制证', '颁发', '办结', '归档', '公示', '现场核查', '现场勘察', '材料核查', '专家评审', '缴费', '告知', '发放']) {
      expect(isReviewStep({ name }), name).toBe(false);
    }
  });

  it('reviewPosts groups the review steps by post, in order', () => {
    expect(
      reviewPosts([
        { name: '受理', post: '窗口', limitDays: 0 },
        { name: '审查', post: '科长', limitDays: 2 },
        { name: '审核', post: '科长', limitDays: 1 },
        { name: '审批', post: null, limitDays: 1 },
      ]),
    ).toEqual([
      { post: '科长', steps: ['审查', '审核'] },
      { post: null, steps: ['审批'] },
    ]);
  });

  it('the ground quotes seed 000 二（三）3 word for word', () => {
    // Seed 000 (../shared/seeds/000_…): "压缩审批环节,建立两岗审核终结制度,一般审批事项,最多由两个岗位对同一内容审核把关,防止多岗位审核影响办事效率。"
    expect(TWO_POSTS_GROUND).toBe(
      '《双桥区双减双提专项行动工作任务分解及落实方案》（2013年）二（三）3：“压缩审批环节，建立两岗审核终结制度，一般审批事项，最多由两个岗位对同一内容审核把关，防止多岗位审核影响办事效率”',
    );
  });
});
