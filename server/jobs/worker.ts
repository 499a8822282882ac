// The job thread: its own connection to the database file (WAL lets the server's readers go on while
// it writes), one job at a time, as the runner sends them; it says how far each one is and how it ended.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../db/client.js';
import { executeJob } from './execute.js';
import { startPublishReader } from '../publication/publish-reader.js';
import { warmPublishedState } from '../publication/published-state.js';
import type { JobRequest } from './types.js';

const port = parentPort!;
const db = openDatabase((workerData as { path: string }).path, { migrate: false });

// Publishes run here: their reading thread and the published state they start from live in this
// thread, loaded in the background until the first publish needs them.
void startPublishReader(db).catch((err: unknown) => console.error('启动发布读取线程失败：', err));
void warmPublishedState(db).catch((err: unknown) => console.error('载入已发布状态失败：', err));

port.on('message', (request: JobRequest) => {
  void executeJob(db, request, (done, total, stage) => port.postMessage({ type: 'progress', id: request.id, done, total, stage })).then((outcome) =>
    port.postMessage({ type: 'outcome', id: request.id, outcome }),
  );
});
port.postMessage({ type: 'ready' });
