import { describe, it, expect } from 'vitest';
import { parseFee } from '../../../imports/fees.js';

const FREE = { charged: false, standard: null };

describe('parseFee', () => {
  it('“不收费” and “免费” mean no fee', () => {
    expect(parseFee('不收费')).toEqual(FREE);
    expect(parseFee('免费')).toEqual(FREE);
  });

  it('every way of saying no means no fee: 无, 否, 0, 0元, 不收取费用, empty', () => {
    for (const text of ['', '  ', '无', '否', '0', '0元', '0.00', '不收取费用', '不收取任何费用', '免收', '不收费。', '“不收费”', '/', '—']) {
      expect(parseFee(text), text).toEqual(FREE);
    }
  });

  it('a note in brackets after 不收费 is still no fee', () => {
    expect(parseFee('不收费（依据财税〔2014〕101号）')).toEqual(FREE);
  });

  it('a bare “是” means charged with no standard given', () => {
    expect(parseFee('是')).toEqual({ charged: true, standard: null });
    expect(parseFee('收费')).toEqual({ charged: true, standard: null });
  });

  it('a standard is kept as cleaned text', () => {
    expect(parseFee(' 按照《四川省物价局关于…的通知》规定收取\u00a0')).toEqual({
      charged: true,
      standard: '按照《四川省物价局关于…的通知》规定收取',
    });
    expect(parseFee('每证１０元')).toEqual({ charged: true, standard: '每证10元' });
  });

  it('a “是，” before the standard is dropped', () => {
    expect(parseFee('是，每件20元')).toEqual({ charged: true, standard: '每件20元' });
  });

  it('a fee that merely starts like a no is charged: 免费 only when it is all the cell says', () => {
    expect(parseFee('免费发放，补证收取工本费10元')).toEqual({ charged: true, standard: '免费发放，补证收取工本费10元' });
    expect(parseFee('10元')).toEqual({ charged: true, standard: '10元' });
  });
});
