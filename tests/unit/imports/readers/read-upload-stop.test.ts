// A reader given up before the end of the file (a consumer that stops at the first rows it needs, or a
// refusal further on) lets go of the file: readUpload hands the reader's own next() and return() through.
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readUpload } from '../../../../imports/read-upload.js';
import { REAL } from '../../../fixtures/real/build-real.js';

const FILE = join(REAL, 'xian-quanze.xlsx');
/** This process's open descriptors on the file (Linux). */
const openOnFile = (): number =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === FILE;
    } catch {
      return false;
    }
  }).length;

describe('readUpload stopped early', () => {
  it.runIf(process.platform === 'linux')('stopping after the first rows closes the file, and the rows came in order with their sheet first', async () => {
    const seen: string[] = [];
    for await (const event of readUpload(FILE)) {
      seen.push(event.type === 'sheet' ? 'sheet' : `row ${event.rowNumber}`);
      if (seen.length === 4) {
        expect(openOnFile()).toBe(1);
        break;
      }
    }
    expect(seen).toEqual(['sheet', 'row 1', 'row 2', 'row 3']);
    expect(openOnFile()).toBe(0);
  });

  it('a reader stopped before it was read from ends at once, reading nothing', async () => {
    const events = readUpload(FILE);
    expect(await events.return?.()).toEqual({ done: true, value: undefined });
    expect(await events.next()).toMatchObject({ done: true });
  });
});
