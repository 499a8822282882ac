// The thread that inflates large zip entries is a real module (imports/xlsx/inflate-worker.ts), bundled
// like every other worker, not code in a string.
import { deflateRawSync } from 'node:zlib';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { InflateJob, InflateMessage } from '../../../../imports/xlsx/inflate-protocol.js';
import { inflateWorkerCommand } from '../../../../imports/xlsx/zip.js';
import { TempFiles } from '../../../fixtures/hostile.js';

const temp = new TempFiles();
afterAll(() => temp.remove());

/** Runs the inflate thread over a whole file, taking each slot as it comes; the pieces and the messages. */
async function inflateInThread(job: Omit<InflateJob, 'ring' | 'start' | 'end'> & { size: number }): Promise<{ pieces: string[]; messages: InflateMessage[] }> {
  const command = await inflateWorkerCommand();
  const ring = new SharedArrayBuffer(job.slots * job.slotBytes);
  const worker = new Worker(command!.file, { execArgv: command!.execArgv, workerData: { ...job, start: 0, end: job.size - 1, ring } satisfies InflateJob });
  const pieces: string[] = [];
  const messages: InflateMessage[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (m: InflateMessage) => {
        messages.push(m);
        if (m.error !== undefined) return reject(new Error(m.error));
        pieces.push(Buffer.from(ring, m.slot * job.slotBytes, m.length).toString(m.wide ? 'ucs2' : 'latin1'));
        if (m.done) resolve();
        else worker.postMessage(1);
      });
    });
  } finally {
    await worker.terminate();
  }
  return { pieces, messages };
}

describe('the inflate thread', () => {
  it('starts from a bundle of its module under node_modules/.cache, built once per process', async () => {
    const command = await inflateWorkerCommand();
    expect(command?.file).toMatch(/node_modules\/\.cache\/catalogue\/inflate-worker-[0-9a-f]{16}\/main\.mjs$/);
    expect(command?.execArgv).toEqual([]);
    expect(await inflateWorkerCommand()).toBe(command);
  });

  it('inflates and decodes an entry into the shared ring, every piece but the last ending just after a ">", with the real byte counts', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => `<c r="A${i}"><v>事项${i}𠀀</v></c>`).join('') + '尾';
    const bytes = Buffer.from(text, 'utf8');
    const deflated = deflateRawSync(bytes);
    const path = temp.write('entry.bin', deflated);
    const { pieces, messages } = await inflateInThread({ path, size: deflated.length, deflated: true, mode: 'text', slots: 2, slotBytes: 4 * 4096 + 64, chunkSize: 4096 });
    expect(pieces.join('') === text).toBe(true);
    expect(pieces.length).toBeGreaterThan(5);
    for (const piece of pieces.slice(0, -1)) expect(piece.endsWith('>')).toBe(true);
    const last = messages.at(-1)!;
    expect(last.done).toBe(true);
    expect(last.real).toBe(bytes.length);
    expect(last.consumed).toBe(deflated.length);
  });

  it('hands UTF-8 markup over one byte per character (latin1), and stored entries as they are', async () => {
    const text = '<row r="1"><c><v>中</v></c></row>'.repeat(500);
    const bytes = Buffer.from(text, 'utf8');
    const path = temp.write('stored.bin', bytes);
    const { pieces, messages } = await inflateInThread({ path, size: bytes.length, deflated: false, mode: 'markup', slots: 3, slotBytes: 4 * 1024 + 64, chunkSize: 1024 });
    expect(pieces.join('') === bytes.toString('latin1')).toBe(true);
    expect(messages.every((m) => !m.wide)).toBe(true);
    expect(messages.at(-1)!.real).toBe(bytes.length);
  });
});
