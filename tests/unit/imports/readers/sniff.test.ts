import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { open } from 'node:fs/promises';
import { compoundFileStreamNames, sniffFile } from '../../../../imports/sniff.js';
import { RefusedUpload } from '../../../../imports/types.js';
import { FIXTURES } from '../../../fixtures/build-fixtures.js';
import { encodeGbk } from '../../../fixtures/gbk.js';
import { TempFiles, hostile } from '../../../fixtures/hostile.js';

const temp = new TempFiles();
afterAll(() => temp.remove());

async function refusal(path: string): Promise<RefusedUpload> {
  try {
    await sniffFile(path);
  } catch (error) {
    if (error instanceof RefusedUpload) return error;
    throw error;
  }
  throw new Error(`not refused: ${path}`);
}

describe('sniffing an upload by its bytes', () => {
  it('recognises xlsx written by exceljs, LibreOffice and a WPS-style writer', async () => {
    for (const name of ['department-excel.xlsx', 'department-libreoffice.xlsx', 'department-wps.xlsx', 'cell-types.xlsx']) {
      expect(await sniffFile(join(FIXTURES, name))).toEqual({ format: 'xlsx' });
    }
  });

  it('recognises CSV in UTF-8 with BOM, in GBK, and in UTF-16 with BOM', async () => {
    expect(await sniffFile(join(FIXTURES, 'department-semicolon-bom.csv'))).toEqual({ format: 'csv' });
    expect(await sniffFile(join(FIXTURES, 'department-gbk.csv'))).toEqual({ format: 'csv' });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('事项名称\t事项类型\r\n食品经营许可\t01\r\n', 'utf16le')]);
    expect(await sniffFile(temp.write('unicode.txt', utf16))).toEqual({ format: 'csv' });
  });

  it('judges by content, not by the file name', async () => {
    const csvNamedXlsx = temp.write('清单.xlsx', encodeGbk('事项名称,事项类型\r\n食品经营许可,行政许可\r\n'));
    expect(await sniffFile(csvNamedXlsx)).toEqual({ format: 'csv' });
    const xlsxNamedCsv = temp.write('清单.csv', hostile.emptyWorksheet());
    expect(await sniffFile(xlsxNamedCsv)).toEqual({ format: 'xlsx' });
  });

  it('refuses an empty file', async () => {
    const error = await refusal(temp.write('empty.xlsx', ''));
    expect(error.code).toBe('format.empty');
    expect(error.message).toContain('空');
  });

  it('refuses a PDF renamed to .xlsx, saying it is a PDF', async () => {
    const error = await refusal(temp.write('清单.xlsx', hostile.pdf()));
    expect(error.code).toBe('format.pdf');
    expect(error.message).toMatch(/^这是 PDF 文件，不是电子表格/);
  });

  it('refuses a legacy .xls (OLE compound file) with how to re-save as .xlsx', async () => {
    const error = await refusal(temp.write('清单.xlsx', hostile.legacyXls()));
    expect(error.code).toBe('format.legacy_xls');
    expect(error.message).toContain('请在 Excel 中选择“文件 → 另存为 → Excel 工作簿（*.xlsx）”');
    expect(error.message).toContain('WPS 中“文件 → 另存为 → Microsoft Excel 文件（*.xlsx）”后重新上传');
  });

  it('refuses a password-protected workbook (EncryptionInfo/EncryptedPackage streams)', async () => {
    const error = await refusal(temp.write('加密.xlsx', hostile.encryptedXlsx()));
    expect(error.code).toBe('format.encrypted');
    expect(error.message).toContain('工作簿设置了密码');
    expect(error.message).toContain('取消密码后另存为 .xlsx');
  });

  it('reads stream names from a compound file directory by following its FAT chain', async () => {
    const file = await open(temp.write('names.bin', hostile.encryptedXlsx()));
    try {
      expect(await compoundFileStreamNames(file)).toEqual(['Root Entry', 'EncryptionInfo', 'EncryptedPackage']);
    } finally {
      await file.close();
    }
  });

  it('refuses a zip that is not a workbook (a Word document, an arbitrary archive)', async () => {
    const docx = await refusal(temp.write('清单.xlsx', hostile.docx()));
    expect(docx.code).toBe('format.unknown');
    expect(docx.message).toContain('Word 文档');
  });

  it('refuses a truncated xlsx as corrupt', async () => {
    const error = await refusal(temp.write('truncated.xlsx', hostile.truncatedXlsx()));
    expect(error.code).toBe('zip.corrupt');
    expect(error.message).toContain('文件不完整或已损坏，请重新保存后上传');
  });

  it('refuses binary content that is neither a zip nor text', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const error = await refusal(temp.write('image.xlsx', png));
    expect(error.code).toBe('format.unknown');
    expect(error.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
