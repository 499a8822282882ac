// The job thread: its own connection to the database file (WAL lets the server's readers go on while
// it writes), one job at a time, as the runner sends them; it says how far each one is and how it ended.
import { parentPort, workerData } from 'node:worker_threads';
import { openDurable } from '../../db/durability.js';
import { executeJob } from './execute.js';
import { createServices } from '../services.js';
import type { Config } from '../config.js';
import type { JobRequest } from './types.js';
import { giveWayToRequests } from './priority.js';

// First of all, so that the threads and processes it starts inherit the lower priority.
giveWayToRequests();

const port = parentPort!;
const { path, config } = workerData as { path: string; config: Config };
const db = openDurable(path, { migrate: false });
const services = createServices(db, config, { jobs: 'inline' });

// Publishes run here: their reading thread and the published state they start from live in this
// thread, loaded in the background until the first publish needs them.
void services.publishReader.start().catch((err: unknown) => console.error('启动发布读取线程失败：', err));
void services.publishedState.warm().catch((err: unknown) => console.error('载入已发布状态失败：', err));

port.on('message', (request: JobRequest) => {
  void executeJob(services, request, (done, total, stage) => port.postMessage({ type: 'progress', id: request.id, done, total, stage })).then((outcome) =>
    port.postMessage({ type: 'outcome', id: request.id, outcome }),
  );
});
port.postMessage({ type: 'ready' });
