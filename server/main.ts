// Starts the web server: the only module that listens.
import type { Server } from 'node:http';

/** How long a request waits for the job thread's write lock before it answers 503. */
export const SERVER_BUSY_TIMEOUT_MS = 50;
/** How often the server's checkpoint thread copies the log back into the database file. */
const SERVER_CHECKPOINT_MS = 1000;
import { createApp } from './app.js';
import { answerClientError } from './http/errors.js';
import { createWebServer } from './http/fast-path.js';
import { recoverInterruptedJobs } from './jobs/runner.js';
import { recoverInterruptedImports } from './imports/recover.js';
import { createImportRepository } from '../db/queries/imports.js';
import { prepareDatabase } from './bootstrap.js';
import type { Config } from './config.js';
import { latestVersionNumber } from './publication/publish.js';
import { createServices, stopServices } from './services.js';
import { checkpointInBackground } from './imports/checkpointer.js';
import { scheduleBackups } from './operations/schedule.js';
import type { Db } from '../db/client.js';
import { openCheckedDatabase, startupCause, startupFailure, StartupFailure } from './operations/startup.js';
import { SEARCH_INDEX_MESSAGES, STARTUP_FAILURES } from './domain/labels.js';

export async function startServer(config: Config): Promise<Server> {
  // Waits for another writer's lock only briefly: long work runs in the job thread, and a request that
  // finds it writing is told so (503) instead of holding up every other visitor.
  // The start-up check: read-write, quick_check, migrations; else a Chinese reason and an exit code (cli.ts).
  const db = openCheckedDatabase(config.dbPath, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
  try {
    return await serve(db, config);
  } catch (err) {
    // A full disk or a failing file while getting ready (the registry, the demo, ending interrupted work).
    if (err instanceof StartupFailure || startupCause(err, null) === null) throw err;
    db.$client.close();
    throw startupFailure(err, config.dbPath, 'ioError');
  }
}

async function serve(db: Db, config: Config): Promise<Server> {
  const prepared = await prepareDatabase(db, { demo: config.demo });
  if (prepared.registry.national + prepared.registry.local > 0) {
    console.log(`已载入法律依据库：法律和行政法规 ${prepared.registry.national} 条，地方性法规 ${prepared.registry.local} 条`);
  }
  if (prepared.demo) {
    console.log(`已生成演示目录：${prepared.demo.departments} 个部门，${prepared.demo.items} 项事项，${prepared.demo.accounts} 个演示账号`);
  }
  const interrupted = recoverInterruptedJobs(db);
  if (interrupted > 0) console.log(`有 ${interrupted} 项后台任务因上次服务器停止而未完成，已标记为失败。`);
  const interruptedImports = recoverInterruptedImports(db, createImportRepository({ db }));
  if (interruptedImports.length > 0) console.log(`有 ${interruptedImports.length} 次导入（#${interruptedImports.join('、#')}）因上次服务器停止而未读完，已标记为失败并清除了读取到一半的内容。`);
  const services = createServices(db, config);
  // The server's connection never checkpoints the write-ahead log itself: after a publish of a million
  // items the log holds a gigabyte, and copying it back would stop every request for seconds. A thread
  // of its own checkpoints instead, without ever waiting for a writer.
  const checkpointer = checkpointInBackground(db, services.checkpoints, { intervalMs: SERVER_CHECKPOINT_MS });
  const app = createApp({ db, config, services });
  const backups = scheduleBackups(config);
  return await new Promise((resolve, reject) => {
    // Anonymous visitors' published pages the cache holds are answered ahead of Express (fast-path.ts).
    const server = createWebServer(services, config, app);
    server.listen(config.port, config.host, () => {
      const shown = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
      console.log(`行政权力清单已启动：http://${shown}:${config.port}/  （数据库：${config.dbPath}）`);
      resolve(server);
      if (backups) console.log(`定时备份：每 ${config.backupEveryHours} 小时备份到 ${config.backupDir}，保留最新 ${config.backupKeep} 份。`);
      // The job thread starts now, so the first publish does not wait for it.
      void services.jobs.warm().catch((err: unknown) => console.error('启动任务线程失败：', err));
      // The working catalogue's index (staff lists and search) too, a slice at a time between requests.
      const workingStarted = performance.now();
      services.workingIndex.warm().then(
        (index) => console.log(SEARCH_INDEX_MESSAGES.workingBuilt(index.size, ((performance.now() - workingStarted) / 1000).toFixed(1))),
        (err: unknown) => console.error('建立工作目录检索索引失败：', err),
      );
      // The published versions' search index is built in the background before the first visitor needs it.
      if (latestVersionNumber(db) !== null) {
        const started = performance.now();
        services.searchIndex.warm().then(
          (index) => console.log(`已建立已发布目录的检索索引：${index.size} 条事项版本，用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒`),
          (err: unknown) => console.error('建立检索索引失败：', err),
        );
      }
    });
    server.on('clientError', answerClientError);
    server.on('error', (err: NodeJS.ErrnoException) => {
      // Not listening: what started beside the app stops, so the process ends with the reason.
      backups?.stop();
      void Promise.all([stopServices(services), checkpointer.stop()]).finally(() => {
        db.$client.close();
        reject(err.code === 'EADDRINUSE' ? new StartupFailure('portInUse', STARTUP_FAILURES.portInUse(config.port)) : err);
      });
    });
    const stop = () => {
      backups?.stop();
      server.close(() => void Promise.all([stopServices(services), checkpointer.stop()]).finally(() => { db.$client.close(); process.exit(0); }));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
