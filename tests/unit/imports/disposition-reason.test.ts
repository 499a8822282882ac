// The reason a 处理意见 gives after its keyword: what the department writes after 取消 / 下放 / 改为备案 …
import { describe, it, expect } from 'vitest';
import { dispositionReason } from '../../../imports/vocabulary-parsers.js';

describe('dispositionReason', () => {
  it('is the text after the keyword, without the punctuation or brackets around it', () => {
    expect(dispositionReason('取消：已被国发〔2015〕11号取消')).toBe('已被国发〔2015〕11号取消');
    expect(dispositionReason('取消（上位法已废止）')).toBe('上位法已废止');
    expect(dispositionReason('下放，由乡镇人民政府实施')).toBe('由乡镇人民政府实施');
    expect(dispositionReason('改为备案（优化营商环境）')).toBe('优化营商环境');
    expect(dispositionReason('不予保留。无法定依据')).toBe('无法定依据');
  });

  it('is null when the cell is the keyword alone or no disposition at all', () => {
    expect(dispositionReason('取消')).toBeNull();
    expect(dispositionReason(' 保留 ')).toBeNull();
    expect(dispositionReason('调整')).toBeNull();
  });
});
