import { describe, it, expect } from 'vitest';
import { eq } from '../../../server/views/helpers/eq.js';
import { join } from '../../../server/views/helpers/join.js';
import { lines } from '../../../server/views/helpers/lines.js';
import { createViewEngine } from '../../../server/views/engine.js';

describe('template helpers', () => {
  it('eq compares strictly', () => {
    expect(eq('1', '1')).toBe(true);
    expect(eq('1', 1)).toBe(false);
  });
  it('join joins a list with the given separator and ignores non-lists', () => {
    expect(join(['自然人', '企业法人'], '、')).toBe('自然人、企业法人');
    expect(join('x', '、')).toBe('');
  });
  it('lines splits text into trimmed non-empty lines', () => {
    expect(lines('1. 申请表\r\n\n 2. 身份证明 ')).toEqual(['1. 申请表', '2. 身份证明']);
  });
  it('user text is escaped in every page (no script can be injected through an item name)', () => {
    const views = createViewEngine();
    const html = views.render('error', { status: 400, message: '<script>alert(1)</script>', nav: {} }, null);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;');
  });
});
