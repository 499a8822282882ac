// A server process for bench/serve.ts: `app DB` starts the product on a database as `npx catalogue serve`
// does, `static DIR` serves a folder with express.static alone. Either listens on a random 127.0.0.1 port,
// reports it to the parent, and stops when the parent goes away.
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { startServer } from '../server/main.js';
import { defaultConfig } from '../server/config.js';
import { traceStalls } from './trace.js';

const [kind, target] = process.argv.slice(2);
if (!process.send || !target || (kind !== 'app' && kind !== 'static')) {
  console.error('usage (forked by bench/serve.ts): serve-worker.ts app DB | static DIR');
  process.exit(2);
}

let server: Server;
if (kind === 'app') {
  server = await startServer(defaultConfig({ port: 0, host: '127.0.0.1', dbPath: target, demo: false }));
} else {
  const app = express();
  app.use(express.static(target));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
}
// BENCH_TRACE=1 (bench:jobs passes it on): each pause of this server's request thread over 40 ms and each
// of its collector's pauses over 20 ms, with the wall-clock time it ended, to line up with the visitor's waits.
if (process.env.BENCH_TRACE) traceStalls('server');
process.send({ port: (server.address() as AddressInfo).port });
process.on('disconnect', () => process.exit(0));
