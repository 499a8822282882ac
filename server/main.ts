// Starts the web server: the only module that listens.
import type { Server } from 'node:http';
import { openDatabase } from '../db/client.js';
import { createApp } from './app.js';
import { prepareDatabase } from './bootstrap.js';
import type { Config } from './config.js';
import { latestVersionNumber } from './publication/publish.js';
import { createServices } from './services.js';

export async function startServer(config: Config): Promise<Server> {
  const db = openDatabase(config.dbPath);
  const prepared = await prepareDatabase(db, { demo: config.demo });
  if (prepared.registry.national + prepared.registry.local > 0) {
    console.log(`已载入法律依据库：法律和行政法规 ${prepared.registry.national} 条，地方性法规 ${prepared.registry.local} 条`);
  }
  if (prepared.demo) {
    console.log(`已生成演示目录：${prepared.demo.departments} 个部门，${prepared.demo.items} 项事项，${prepared.demo.accounts} 个演示账号`);
  }
  const services = createServices(db, config);
  const app = createApp({ db, config, services });
  return await new Promise((resolve, reject) => {
    const server = app.listen(config.port, config.host, () => {
      const shown = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
      console.log(`行政权力清单已启动：http://${shown}:${config.port}/  （数据库：${config.dbPath}）`);
      resolve(server);
      // A publish prepares its items on a thread of its own, and starts from the published state kept in
      // memory (loaded here in the background, then kept up to date by each publish).
      void services.publishReader.start().catch((err: unknown) => console.error('启动发布读取线程失败：', err));
      void services.publishedState.warm().catch((err: unknown) => console.error('载入已发布状态失败：', err));
      // The published versions' search index is built in the background before the first visitor needs it.
      if (latestVersionNumber(db) !== null) {
        const started = performance.now();
        services.searchIndex.warm().then(
          (index) => console.log(`已建立已发布目录的检索索引：${index.size} 条事项版本，用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒`),
          (err: unknown) => console.error('建立检索索引失败：', err),
        );
      }
    });
    server.on('error', reject);
    const stop = () => server.close(() => { db.$client.close(); process.exit(0); });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
