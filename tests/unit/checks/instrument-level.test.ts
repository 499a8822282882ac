import { describe, it, expect } from 'vitest';
import { governmentLevelOf } from '../../../server/checks/instrument-level.js';
import { cite, citeUnregistered, registered } from './builders.js';

const levelOf = (title: string, documentNumber: string | null = null) => governmentLevelOf(citeUnregistered(title, documentNumber));

describe('governmentLevelOf — which government an instrument comes from', () => {
  it('a government order number tells province from city: 省人民政府令 vs 市人民政府令', () => {
    expect(levelOf('浙江省建设工程造价管理办法', '浙江省人民政府令第296号')).toBe('provincial');
    expect(levelOf('南京市户外广告设施设置管理办法', '南京市人民政府令第300号')).toBe('municipal');
  });

  it('the four municipalities are provincial-level, their districts county-level', () => {
    expect(levelOf('上海市户外广告设施管理办法', '上海市人民政府令第18号')).toBe('provincial');
    expect(levelOf('北京市朝阳区人民政府关于加强违法建设管理的通知')).toBe('county');
  });

  it('document numbers: 国发 national, 川府发 provincial', () => {
    expect(levelOf('国务院关于第六批取消和调整行政审批项目的决定', '国发〔2012〕52号')).toBe('national');
    expect(levelOf('四川省人民政府关于进一步加强安全生产工作的通知', '川府发〔2010〕12号')).toBe('provincial');
    expect(levelOf('关于加强专项资金管理的通知', '川财预〔2013〕12号')).toBe('provincial');
  });

  it('titles: a county government or a city before its district', () => {
    expect(levelOf('双桥区人民政府关于进一步规范建设项目审批的通知', '双桥政发〔2012〕8号')).toBe('county');
    expect(levelOf('承德市双桥区城市管理办法')).toBe('county');
    expect(levelOf('广安市人民政府关于加强城市规划区内建设管理的通知', '广安府发〔2012〕15号')).toBe('municipal');
    expect(levelOf('景宁畲族自治县人民政府关于林权流转的通知')).toBe('county');
  });

  it('an area that is not a county does not make one', () => {
    expect(levelOf('风景名胜区条例')).toBeNull();
    expect(levelOf('广西壮族自治区人民政府关于规范行政审批的通知')).toBe('provincial');
    expect(levelOf('关于加强建设项目管理的通知')).toBeNull();
  });

  it('the issuing body in the registry wins over the title', () => {
    const rule = registered('城市绿化管理办法', 'local_government_rule', { issuingBody: '四川省人民政府' });
    expect(governmentLevelOf(cite(rule))).toBe('provincial');
    const byRegion = registered('城市绿化管理办法', 'local_government_rule', { region: '四川省广安市' });
    expect(governmentLevelOf(cite(byRegion))).toBe('municipal');
  });
});
