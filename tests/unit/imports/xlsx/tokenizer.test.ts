import { describe, expect, it } from 'vitest';
import { XmlTokenizer, decodeEntities, type XmlHandler } from '../../../../imports/xlsx/tokenizer.js';

describe('the XML tokenizer', () => {
  const xml =
    '<?xml version="1.0"?>\r\n<!-- 注释 <c> --><x:sheetData xmlns:x="urn:x"><x:row r=\'1\' spans="1:2"><x:c r="A1" t=\'inlineStr\' a=\'x>y\'><x:is><x:t xml:space="preserve"> 中文&amp;&#x20000;&#25991; </x:t></x:is></x:c><c r="B1"><v><![CDATA[a<b]]></v></c><empty/><t>行1\r\n行2\r行3&#13;</t></x:row></x:sheetData>';

  function record(chunks: string[]): string[] {
    const log: string[] = [];
    const handler: XmlHandler = {
      wantsText: true,
      open(name, buf, start, end, selfClosing) {
        log.push(`<${name} ${buf.slice(start, end).trim()}${selfClosing ? '/' : ''}>`);
      },
      close(name) {
        log.push(`</${name}>`);
      },
      text(raw) {
        log.push(`text:${decodeEntities(raw)}`);
      },
      cdata(text) {
        log.push(`cdata:${text}`);
      },
    };
    const tokenizer = new XmlTokenizer(handler, 'test.xml');
    for (const chunk of chunks) tokenizer.write(chunk);
    tokenizer.end();
    // Adjacent text pieces are one text.
    return log.reduce<string[]>((out, entry) => {
      const last = out.at(-1);
      if (last?.startsWith('text:') && entry.startsWith('text:')) out[out.length - 1] = last + entry.slice(5);
      else out.push(entry);
      return out;
    }, []);
  }

  it('gives the same tokens however the text is cut into chunks', () => {
    const whole = record([xml]);
    expect(whole).toContain('<c r="A1" t=\'inlineStr\' a=\'x>y\'>');
    expect(whole).toContain('text: 中文&𠀀文 ');
    expect(whole).toContain('cdata:a<b');
    expect(whole).toContain('<empty />');
    expect(whole).toContain('text:行1\n行2\n行3\r'); // literal line ends normalised, &#13; kept
    for (const size of [1, 2, 3, 7, 13]) {
      const chunks = [];
      for (let i = 0; i < xml.length; i += size) chunks.push(xml.slice(i, i + size));
      expect(record(chunks)).toEqual(whole);
    }
  });

  it('stops just after an element whose close a handler paused on, and resumes where it stopped, however the text is cut', () => {
    const rows = '<sheetData><row r="1"><c><v>1</v></c></row><row r="2"/><row r="3"><c><v>3</v></c></row></sheetData>';
    for (const size of [rows.length, 5, 1]) {
      const log: string[] = [];
      const handler: XmlHandler = {
        wantsText: false,
        pause: false,
        open(name, buf, start, end) {
          log.push(`<${name}${buf.slice(start, end)}>`);
        },
        close(name) {
          log.push(`</${name}>`);
          if (name === 'row') handler.pause = true;
        },
        text() {},
        cdata() {},
      };
      const tokenizer = new XmlTokenizer(handler, 'sheet.xml');
      const seen: string[][] = [];
      for (let i = 0; i < rows.length; i += size) {
        tokenizer.feed(rows.slice(i, i + size));
        // At each pause, nothing after the row's end has been read yet.
        while (tokenizer.resume()) seen.push(log.splice(0));
      }
      tokenizer.end();
      seen.push(log.splice(0));
      const rowEnds = seen.filter((tokens) => tokens.at(-1) === '</row>');
      expect(rowEnds).toHaveLength(3);
      expect(seen.flat().filter((t) => t === '</row>')).toHaveLength(3);
      expect(seen.at(-1)).toEqual(['</sheetData>']);
    }
  });

  it('refuses a DOCTYPE wherever it is', () => {
    expect(() => record(['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'])).toThrow(expect.objectContaining({ code: 'xml.doctype' }));
  });

  it('refuses unfinished markup at the end of a part', () => {
    expect(() => record(['<a><b attr="1"'])).toThrow(expect.objectContaining({ code: 'xml.malformed' }));
  });
});
