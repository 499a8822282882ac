import { describe, it, expect } from 'vitest';
import { cachedProcessSteps, parseProcessSteps, type ProcessStep } from '../../../server/domain/process-steps.js';

const step = (name: string, post: string | null = null, limitDays: number | null = null): ProcessStep => ({ name, post, limitDays });
const names = (text: string) => parseProcessSteps(text).map((s) => s.name);

describe('parseProcessSteps — the step lists departments write', () => {
  it('“受理→审查→决定→送达” is four steps without posts or limits', () => {
    expect(parseProcessSteps('受理→审查→决定→送达')).toEqual([step('受理'), step('审查'), step('决定'), step('送达')]);
  });

  it('arrows of every kind separate steps: → -> — —— > ＞ ⇒ ➔ - ↓', () => {
    for (const text of [
      '受理→审查→决定',
      '受理->审查->决定',
      '受理 -> 审查 -> 决定',
      '受理—审查—决定',
      '受理——审查——决定',
      '受理 > 审查 > 决定',
      '受理＞审查＞决定',
      '受理⇒审查⇒决定',
      '受理➔审查➔决定',
      '受理-审查-决定',
      '受理→→审查→→决定',
      '受理\n↓\n审查\n↓\n决定',
      '受理－审查－决定',
    ]) {
      expect(names(text), text).toEqual(['受理', '审查', '决定']);
    }
  });

  it('“受理、审核、审批、办结” (seed 003’s four steps) and the same with commas, slashes or spaces', () => {
    for (const text of ['受理、审核、审批、办结', '受理，审核，审批，办结', '受理;审核;审批;办结', '受理/审核/审批/办结', '受理 审核 审批 办结']) {
      expect(names(text), text).toEqual(['受理', '审核', '审批', '办结']);
    }
  });

  it('numbered lists: 1. 1、 （1） (1) ① 一、 第一步 步骤1', () => {
    for (const text of [
      '1.受理 2.审查 3.决定',
      '1、受理2、审查3、决定',
      '1．受理；2．审查；3．决定。',
      '（1）受理；（2）审查；（3）决定',
      '(1)受理(2)审查(3)决定',
      '①受理②审查③决定',
      '一、受理 二、审查 三、决定',
      '第一步：受理\n第二步：审查\n第三步：决定',
      '步骤1：受理；步骤2：审查；步骤3：决定',
      '1）受理 2）审查 3）决定',
    ]) {
      expect(names(text), text).toEqual(['受理', '审查', '决定']);
    }
  });

  it('one step a line', () => {
    expect(names('受理\n审查\n决定\n送达')).toEqual(['受理', '审查', '决定', '送达']);
    expect(names('1、申请\r\n2、受理\r\n3、审核\r\n4、办结')).toEqual(['申请', '受理', '审核', '办结']);
  });

  it('posts and limits in brackets: “1.受理（窗口，1个工作日）2.审查（科长，3个工作日）…”', () => {
    expect(parseProcessSteps('1.受理（窗口，1个工作日）2.审查（科长，3个工作日）3.决定（分管局长，1个工作日）4.送达（窗口，即时）')).toEqual([
      step('受理', '窗口', 1),
      step('审查', '科长', 3),
      step('决定', '分管局长', 1),
      step('送达', '窗口', 0),
    ]);
    expect(parseProcessSteps('受理(窗口,即时)->审核(科长,3日)->审批(局长,2日)->办结(窗口,1日)')).toEqual([
      step('受理', '窗口', 0),
      step('审核', '科长', 3),
      step('审批', '局长', 2),
      step('办结', '窗口', 1),
    ]);
  });

  it('labelled pieces in brackets: “岗位：综合窗口；时限：1个工作日”', () => {
    expect(parseProcessSteps('受理（岗位：综合窗口；时限：1个工作日）→审核（岗位：审批科；时限：3个工作日）→办结（岗位：综合窗口；时限：即时）')).toEqual([
      step('受理', '综合窗口', 1),
      step('审核', '审批科', 3),
      step('办结', '综合窗口', 0),
    ]);
  });

  it('a post before the step’s name: 窗口受理, 业务科室审核, 分管领导审批, 局长签发', () => {
    expect(parseProcessSteps('窗口受理→业务科室审核→分管领导审批→窗口办结')).toEqual([
      step('受理', '窗口'),
      step('审核', '业务科室'),
      step('审批', '分管领导'),
      step('办结', '窗口'),
    ]);
    expect(parseProcessSteps('1、窗口受理；2、股室审核；3、局长签发；4、窗口发证')).toEqual([
      step('受理', '窗口'),
      step('审核', '股室'),
      step('签发', '局长'),
      step('发证', '窗口'),
    ]);
    // Not a post: 现场, 会, 初 are part of the step's name.
    expect(names('受理→现场核查→会审→初审→决定')).toEqual(['受理', '现场核查', '会审', '初审', '决定']);
  });

  it('a post before a colon and the limit in the description: “窗口受理：当场办结”', () => {
    expect(parseProcessSteps('窗口受理：当场办结\n科室审核：3个工作日\n局长审批：2个工作日')).toEqual([
      step('受理', '窗口', 0),
      step('审核', '科室', 3),
      step('审批', '局长', 2),
    ]);
    expect(
      parseProcessSteps('一、受理：窗口工作人员审查申请材料，材料齐全的当场受理。二、审查：业务科室3个工作日内完成审查。三、决定：分管局长签发，1个工作日。四、送达：窗口，当场送达。'),
    ).toEqual([step('受理', '窗口工作人员', 0), step('审查', null, 3), step('决定', '分管局长', 1), step('送达', '窗口', 0)]);
  });

  it('a description on the lines under a numbered step belongs to that step', () => {
    expect(parseProcessSteps('1.受理\n对申请材料进行形式审查\n2.审批：局长，3个工作日')).toEqual([step('受理'), step('审批', '局长', 3)]);
  });

  it('即时 and 当场 are 0 days; the step keeps its name: “即时办结” is 办结 done on the spot', () => {
    expect(parseProcessSteps('受理→即时办结')).toEqual([step('受理'), step('办结', null, 0)]);
    expect(parseProcessSteps('当场受理→当日办结')).toEqual([step('受理', null, 0), step('办结', null, 0)]);
    expect(parseProcessSteps('受理→即办')).toEqual([step('受理'), step('即办', null, 0)]);
  });

  it('limits in 工作日, 日, 天 and hours: hours under a day count 0 like the item’s own limits, 24 or more whole days', () => {
    expect(parseProcessSteps('受理（2小时）→审核（3天）→审批（5日）→办结（48小时）')).toEqual([
      step('受理', null, 0),
      step('审核', null, 3),
      step('审批', null, 5),
      step('办结', null, 2),
    ]);
    expect(parseProcessSteps('审核三个工作日→审批二日内→送达')).toEqual([step('审核', null, 3), step('审批', null, 2), step('送达')]);
  });

  it('a range counts its upper bound, and "3-5个工作日" inside brackets is not an arrow', () => {
    expect(parseProcessSteps('受理-审查（3-5个工作日）-决定')).toEqual([step('受理'), step('审查', null, 5), step('决定')]);
    expect(parseProcessSteps('审查（1~3天）→决定')).toEqual([step('审查', null, 3), step('决定')]);
  });

  it('full-width digits and spaces inside a limit are read: “（窗口 １ 个工作日）”', () => {
    expect(parseProcessSteps('受理（窗口 １ 个工作日）→审批（局长 ２ 个工作日）')).toEqual([step('受理', '窗口', 1), step('审批', '局长', 2)]);
  });

  it('a heading before the list and a total after it are left out', () => {
    expect(names('办理流程：受理→审查→决定')).toEqual(['受理', '审查', '决定']);
    expect(names('本事项流程如下：1.受理 2.审查 3.决定')).toEqual(['受理', '审查', '决定']);
    expect(parseProcessSteps('受理→审查（共20个工作日）')).toEqual([step('受理'), step('审查')]);
    expect(names('受理\n审查\n决定\n（注：以上时限不含法定节假日）')).toEqual(['受理', '审查', '决定']);
  });

  it('a list whose “1.” an import dropped still starts with its first step', () => {
    expect(parseProcessSteps('受理（窗口，1个工作日）2.审查（科长，3个工作日）3.决定（局长，1个工作日）')).toEqual([
      step('受理', '窗口', 1),
      step('审查', '科长', 3),
      step('决定', '局长', 1),
    ]);
  });

  it('a long step between arrows is still a step: “作出准予或不予许可的决定”', () => {
    expect(names('受理→审查→作出准予或不予许可的决定→送达')).toEqual(['受理', '审查', '作出准予或不予许可的决定', '送达']);
  });

  it('the demo district’s texts', () => {
    expect(names('受理→审查→现场核查→决定→送达')).toEqual(['受理', '审查', '现场核查', '决定', '送达']);
    expect(names('申请→审核→公示→审批→发放')).toEqual(['申请', '审核', '公示', '审批', '发放']);
    expect(names('推荐→评审→公示→决定→颁发')).toEqual(['推荐', '评审', '公示', '决定', '颁发']);
    expect(names('申请→办理→办结')).toEqual(['申请', '办理', '办结']);
  });
});

describe('parseProcessSteps — texts that are not step lists give no steps and no error', () => {
  it('empty, 无, a reference to an attachment, a URL, a date', () => {
    for (const text of [null, undefined, '', '   ', '无', '/', '—', '详见办事指南', '见附件流程图', 'http://www.example.com/flow', '2018年1月1日起施行']) {
      expect(parseProcessSteps(text), String(text)).toEqual([]);
    }
  });

  it('a single step is not a list', () => {
    expect(parseProcessSteps('即时办结')).toEqual([]);
    expect(parseProcessSteps('窗口受理：当场办结')).toEqual([]);
    expect(parseProcessSteps('1.受理')).toEqual([]);
  });

  it('prose about the procedure', () => {
    for (const text of [
      '自受理之日起20个工作日内作出决定',
      '申请人提交申请材料，窗口工作人员当场审查，符合条件的予以受理',
      '按照相关规定办理',
      '申请人持相关材料到政务服务中心窗口办理',
      '材料齐全、符合法定形式的，当场受理',
      '依照《中华人民共和国行政许可法》规定的程序办理。',
    ]) {
      expect(parseProcessSteps(text), text).toEqual([]);
    }
  });

  it('enumerations of things that are not steps', () => {
    expect(parseProcessSteps('申请材料、身份证明')).toEqual([]);
    expect(parseProcessSteps('统一、规范')).toEqual([]);
    expect(parseProcessSteps('营业执照、法定代表人身份证明、场地证明')).toEqual([]);
  });

  it('unbalanced brackets are not guessed at', () => {
    expect(parseProcessSteps('受理（窗口→审查→决定')).toEqual([]);
  });
});

describe('cachedProcessSteps', () => {
  it('gives the same steps as parseProcessSteps, once per text', () => {
    const text = '受理（窗口，即时）→审核（科长，2个工作日）→办结';
    const first = cachedProcessSteps(text);
    expect(first).toEqual(parseProcessSteps(text));
    expect(cachedProcessSteps(text)).toBe(first);
    expect(cachedProcessSteps(null)).toEqual([]);
  });
});
