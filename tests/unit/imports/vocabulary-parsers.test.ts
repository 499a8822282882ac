import { describe, it, expect } from 'vitest';
import { parseCategory, parseDisposition, parseLevel, parseServiceObjects } from '../../../imports/vocabulary-parsers.js';

describe('parseCategory', () => {
  it('a category with a note in brackets after it is that category (行政处罚（简易程序）, 行政许可（子项）, 行政强制（措施）)', () => {
    expect(['行政处罚（简易程序）', '行政许可（子项）', '行政强制（措施）', '行政检查(日常检查)', '行政给付【补助】'].map(parseCategory)).toEqual([
      'penalty',
      'permit',
      'enforcement',
      'inspection',
      'benefit',
    ]);
    // The note settles nothing by itself: an ambiguous or empty category stays unrecognised.
    expect(['行政审批（许可）', '（行政许可）', '（）'].map(parseCategory)).toEqual([null, null, null]);
  });

  it('the full name, the short name and the name with 类 or 事项 give the category', () => {
    expect(parseCategory('行政许可')).toBe('permit');
    expect(parseCategory('许可')).toBe('permit');
    expect(parseCategory('行政许可类')).toBe('permit');
    expect(parseCategory(' 行政许可事项 ')).toBe('permit');
    expect(parseCategory('行政处罚')).toBe('penalty');
    expect(parseCategory('行政强制措施')).toBe('enforcement');
    expect(parseCategory('行政征收')).toBe('levy');
    expect(parseCategory('行政给付')).toBe('benefit');
    expect(parseCategory('行政检查')).toBe('inspection');
    expect(parseCategory('行政确认')).toBe('confirmation');
    expect(parseCategory('行政奖励')).toBe('reward');
    expect(parseCategory('行政裁决')).toBe('adjudication');
    expect(parseCategory('行政备案')).toBe('filing');
    expect(parseCategory('年检')).toBe('supervision');
  });

  it('非行政许可审批 is not a permit', () => {
    expect(parseCategory('非行政许可审批')).toBe('non_permit_approval');
    expect(parseCategory('非许可审批')).toBe('non_permit_approval');
  });

  it('其他行政权力, 其他权力 and 其他 are the other category', () => {
    expect(parseCategory('其他行政权力')).toBe('other');
    expect(parseCategory('其他权力')).toBe('other');
    expect(parseCategory('其它')).toBe('other');
  });

  it('公共服务事项 is public service', () => {
    expect(parseCategory('公共服务事项')).toBe('public_service');
    expect(parseCategory('公共服务')).toBe('public_service');
  });

  it('national codes are read with or without the leading zero and as Excel decimals', () => {
    expect(parseCategory('01')).toBe('permit');
    expect(parseCategory('1')).toBe('permit');
    expect(parseCategory('1.0')).toBe('permit');
    expect(parseCategory('02')).toBe('penalty');
    expect(parseCategory('07')).toBe('confirmation');
    expect(parseCategory('10')).toBe('other');
    expect(parseCategory('20')).toBe('public_service');
    expect(parseCategory('０１')).toBe('permit');
  });

  it('其他权力类型 (a provincial platform\'s word) and the provincial code 99 are the other category', () => {
    expect(parseCategory('其他权力类型')).toBe('other');
    expect(parseCategory('99')).toBe('other');
    expect(parseCategory('99.0')).toBe('other');
    expect(parseCategory('20')).toBe('public_service');
  });

  it('待分类, as the catalogue writes an unsettled category, reads back as unclassified', () => {
    expect(parseCategory('待分类')).toBe('unclassified');
  });

  it('an unknown national code is not guessed', () => {
    expect(parseCategory('11')).toBeNull();
  });

  it('the letter code XK is a permit', () => {
    expect(parseCategory('XK')).toBe('permit');
    expect(parseCategory('xk')).toBe('permit');
    expect(parseCategory('CF')).toBe('penalty');
  });

  it('the code used in this catalogue is accepted', () => {
    expect(parseCategory('permit')).toBe('permit');
    expect(parseCategory('public_service')).toBe('public_service');
  });

  it('行政审批 alone is ambiguous and left for the clerk', () => {
    expect(parseCategory('行政审批')).toBeNull();
  });

  it('empty or unrelated text is no category', () => {
    expect(parseCategory('')).toBeNull();
    expect(parseCategory('许可证')).toBeNull();
    expect(parseCategory('备注')).toBeNull();
  });
});

describe('parseLevel', () => {
  it('each level by its usual names', () => {
    expect(parseLevel('省级')).toBe('province');
    expect(parseLevel('省')).toBe('province');
    expect(parseLevel('市级')).toBe('city');
    expect(parseLevel('地市级')).toBe('city');
    expect(parseLevel('设区的市')).toBe('city');
    expect(parseLevel('县级')).toBe('district');
    expect(parseLevel('区级')).toBe('district');
    expect(parseLevel('区县级')).toBe('district');
    expect(parseLevel('乡镇')).toBe('town');
    expect(parseLevel('街道')).toBe('town');
    expect(parseLevel('乡级')).toBe('town');
  });

  it('县（市、区）级 is the county level even though it names 市', () => {
    expect(parseLevel('县（市、区）级')).toBe('district');
  });

  it('text naming several levels gives the lowest', () => {
    expect(parseLevel('省、市、县')).toBe('district');
    expect(parseLevel('省级、市级')).toBe('city');
    expect(parseLevel('市级、县级、乡镇（街道）')).toBe('town');
  });

  it('自治区 and 直辖市 are provinces, 县级市 a county-level place', () => {
    expect(parseLevel('自治区')).toBe('province');
    expect(parseLevel('直辖市')).toBe('province');
    expect(parseLevel('县级市')).toBe('district');
  });

  it('the level codes 1 省 2 市 3 县 4 乡, alone or as a list ("2,3", "2、3", "2，3，4"), give the lowest level named', () => {
    expect(['1', '2', '3', '4'].map(parseLevel)).toEqual(['province', 'city', 'district', 'town']);
    expect(parseLevel('2,3')).toBe('district');
    expect(parseLevel('2、3')).toBe('district');
    expect(parseLevel('2，3，4')).toBe('town');
    expect(parseLevel('1;2')).toBe('city');
    expect(parseLevel('2.0')).toBe('city');
    expect(parseLevel('5')).toBeNull();
    expect(parseLevel('23')).toBeNull();
  });

  it('text naming no level is no level', () => {
    expect(parseLevel('')).toBeNull();
    expect(parseLevel('国家级')).toBeNull();
  });
});

describe('parseDisposition', () => {
  it('each disposition by its word', () => {
    expect(parseDisposition('保留')).toBe('retain');
    expect(parseDisposition('取消')).toBe('cancel');
    expect(parseDisposition('下放')).toBe('delegate');
    expect(parseDisposition('合并')).toBe('merge');
    expect(parseDisposition('转移')).toBe('transfer');
    expect(parseDisposition('改变管理方式')).toBe('change_mode');
    expect(parseDisposition('新增')).toBe('new');
    expect(parseDisposition('承接')).toBe('accept_from_above');
    expect(parseDisposition('承接上级')).toBe('accept_from_above');
  });

  it('改为备案 and 转为备案 are a change of management mode, also after 取消审批', () => {
    expect(parseDisposition('改为备案')).toBe('change_mode');
    expect(parseDisposition('转为备案')).toBe('change_mode');
    expect(parseDisposition('取消审批，改为备案管理')).toBe('change_mode');
  });

  it('a retained item delegated downwards is a delegation', () => {
    expect(parseDisposition('保留（下放至区县实施）')).toBe('delegate');
  });

  it('不予保留 is a cancellation', () => {
    expect(parseDisposition('不予保留')).toBe('cancel');
    expect(parseDisposition('建议取消')).toBe('cancel');
  });

  it('调整 alone says too little and is left for the clerk', () => {
    expect(parseDisposition('调整')).toBeNull();
    expect(parseDisposition('调整（合并）')).toBe('merge');
  });

  it('the code used in this catalogue is accepted', () => {
    expect(parseDisposition('change_mode')).toBe('change_mode');
  });

  it('empty text is no disposition', () => {
    expect(parseDisposition('')).toBeNull();
  });
});

describe('parseServiceObjects', () => {
  it('自然人, 公民 and 个人 are citizens', () => {
    expect(parseServiceObjects('自然人')).toEqual(['citizens']);
    expect(parseServiceObjects('公民')).toEqual(['citizens']);
    expect(parseServiceObjects('个人')).toEqual(['citizens']);
  });

  it('法人, 企业 and 企业法人 are enterprises', () => {
    expect(parseServiceObjects('法人')).toEqual(['enterprises']);
    expect(parseServiceObjects('企业')).toEqual(['enterprises']);
    expect(parseServiceObjects('企业法人')).toEqual(['enterprises']);
  });

  it('其他组织, 社会组织 and 事业单位 are organisations; 事业单位法人 is not an enterprise', () => {
    expect(parseServiceObjects('其他组织')).toEqual(['organisations']);
    expect(parseServiceObjects('社会组织')).toEqual(['organisations']);
    expect(parseServiceObjects('事业单位')).toEqual(['organisations']);
    expect(parseServiceObjects('事业单位法人')).toEqual(['organisations']);
    expect(parseServiceObjects('民办非企业单位')).toEqual(['organisations']);
  });

  it('行政机关, 政府部门 and 机关 are government bodies', () => {
    expect(parseServiceObjects('行政机关')).toEqual(['government']);
    expect(parseServiceObjects('政府部门')).toEqual(['government']);
    expect(parseServiceObjects('机关')).toEqual(['government']);
  });

  it('several objects come back once each, in the vocabulary order', () => {
    expect(parseServiceObjects('法人、自然人、其他组织、公民')).toEqual(['citizens', 'enterprises', 'organisations']);
    expect(parseServiceObjects('自然人,企业法人;其他组织')).toEqual(['citizens', 'enterprises', 'organisations']);
  });

  it('text naming no object gives none', () => {
    expect(parseServiceObjects('')).toEqual([]);
    expect(parseServiceObjects('不限')).toEqual([]);
  });
});
