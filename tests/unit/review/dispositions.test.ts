// What each disposition does to the working catalogue when the legal office finalises it: the effects
// effectsOf returns, compared exactly (finalising applies them in this order).
import { describe, it, expect } from 'vitest';
import { effectsOf } from '../../../server/review/dispositions.js';

describe('effects of a finalised decision', () => {
  it('a retained item with a proposed change takes the proposal and records the decision', () => {
    expect(effectsOf({ kind: 'change', disposition: 'retain', details: {}, hasProposal: true })).toEqual([
      { type: 'update_item_from_proposal' },
      { type: 'set_disposition', disposition: 'retain' },
    ]);
  });

  it('an item whose proposed removal is refused stays as it is and records the decision', () => {
    expect(effectsOf({ kind: 'remove', disposition: 'retain', details: {}, hasProposal: false })).toEqual([{ type: 'set_disposition', disposition: 'retain' }]);
  });

  it('a cancelled item leaves the catalogue and is registered as cancelled, with no destination', () => {
    expect(effectsOf({ kind: 'remove', disposition: 'cancel', details: {}, hasProposal: false })).toEqual([
      { type: 'register', disposition: 'cancel', destination: null },
      { type: 'remove_from_catalogue' },
      { type: 'set_disposition', disposition: 'cancel' },
    ]);
  });

  it('a cancelled proposal of a new item changes nothing in the catalogue and is not registered', () => {
    expect(effectsOf({ kind: 'new', disposition: 'cancel', details: {}, hasProposal: true })).toEqual([]);
  });

  it('a delegated item leaves the catalogue and is registered with the level and body it goes to', () => {
    expect(effectsOf({ kind: 'change', disposition: 'delegate', details: { level: 'town', body: '各街道办事处' }, hasProposal: true })).toEqual([
      { type: 'register', disposition: 'delegate', destination: '下放至乡镇（街道）级：各街道办事处' },
      { type: 'remove_from_catalogue' },
      { type: 'set_disposition', disposition: 'delegate' },
    ]);
  });

  it('a merged item leaves the catalogue and is registered with the name and code of the item it joins', () => {
    expect(effectsOf({ kind: 'remove', disposition: 'merge', details: { intoCode: 'FGJ-00001', intoName: '企业投资项目核准' }, hasProposal: false })).toEqual([
      { type: 'register', disposition: 'merge', destination: '并入“企业投资项目核准”（FGJ-00001）' },
      { type: 'remove_from_catalogue' },
      { type: 'set_disposition', disposition: 'merge' },
    ]);
  });

  it('an item transferred to a department on file moves there and is registered, staying in the catalogue', () => {
    expect(effectsOf({ kind: 'change', disposition: 'transfer', details: { department: 'SJJ', body: '区市场监管局' }, hasProposal: true })).toEqual([
      { type: 'register', disposition: 'transfer', destination: '转移至区市场监管局' },
      { type: 'move_to_department', department: 'SJJ' },
      { type: 'set_disposition', disposition: 'transfer' },
    ]);
  });

  it('an item transferred to a body outside the catalogue leaves it and is registered with that body', () => {
    expect(effectsOf({ kind: 'remove', disposition: 'transfer', details: { body: '市行政审批局' }, hasProposal: false })).toEqual([
      { type: 'register', disposition: 'transfer', destination: '转移至市行政审批局' },
      { type: 'remove_from_catalogue' },
      { type: 'set_disposition', disposition: 'transfer' },
    ]);
  });

  it('a change of management mode takes the proposed change and the new category, and stays in the catalogue unregistered', () => {
    expect(effectsOf({ kind: 'change', disposition: 'change_mode', details: { mode: '改为备案', category: 'other' }, hasProposal: true })).toEqual([
      { type: 'update_item_from_proposal' },
      { type: 'change_category', category: 'other' },
      { type: 'set_disposition', disposition: 'change_mode' },
    ]);
  });

  it('a change of management mode without a new category leaves the category as it is', () => {
    expect(effectsOf({ kind: 'remove', disposition: 'change_mode', details: { mode: '改为备案' }, hasProposal: false })).toEqual([{ type: 'set_disposition', disposition: 'change_mode' }]);
  });

  it('an accepted new item is created from the proposal and records the decision', () => {
    expect(effectsOf({ kind: 'new', disposition: 'new', details: {}, hasProposal: true })).toEqual([
      { type: 'create_item_from_proposal' },
      { type: 'set_disposition', disposition: 'new' },
    ]);
  });

  it('an item taken over from a higher level is created from the proposal and records that it was accepted from above', () => {
    expect(effectsOf({ kind: 'new', disposition: 'accept_from_above', details: {}, hasProposal: true })).toEqual([
      { type: 'create_item_from_proposal' },
      { type: 'set_disposition', disposition: 'accept_from_above' },
    ]);
  });
});
