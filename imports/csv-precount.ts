// Counting a CSV's records before reading it, so an oversized file is refused at once instead of after
// a million rows. Works on raw bytes: '"' and '\n' are single bytes in UTF-8 and in GBK/GB18030
// (whose trailing bytes are never below 0x40), so quotes and line ends are found without decoding.
import { createReadStream } from 'node:fs';

/** Records in the file (a line break inside quotes does not end a record); stops counting past `stopAfter`. */
export async function countCsvRecords(path: string, stopAfter: number): Promise<number> {
  let records = 0;
  let inQuotes = false;
  let lastByte = 0x0a;
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === 0x22) inQuotes = !inQuotes;
      else if (b === 0x0a && !inQuotes) {
        records++;
        if (records > stopAfter) {
          stream.destroy();
          return records;
        }
      }
    }
    lastByte = chunk.length ? chunk[chunk.length - 1]! : lastByte;
  }
  return lastByte === 0x0a || lastByte === 0x0d ? records : records + 1;
}
