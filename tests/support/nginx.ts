// Runs real nginx with deploy/nginx.conf on a loopback port: the values the file's header names (port,
// the export's folder, the server's address, pid, log and temp paths) replaced by a private folder's.
// Used by tests/http/nginx-front.test.ts and bench/serve.ts; no vitest here.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const NGINX = '/usr/sbin/nginx';
export const NGINX_CONF = fileURLToPath(new URL('../../deploy/nginx.conf', import.meta.url));
export const nginxInstalled = (): boolean => existsSync(NGINX);

export const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** deploy/nginx.conf with the machine's values replaced; throws when the file no longer holds one of them. */
export function templatedNginxConf(config: string, values: { port: number; root: string; node: string; dir: string }): string {
  const replacements: [string, string][] = [
    ['listen 80;', `listen 127.0.0.1:${values.port};`],
    ['/srv/catalogue/site/current', values.root],
    ['127.0.0.1:3000', values.node],
    ['/run/catalogue-nginx.pid', join(values.dir, 'nginx.pid')],
    ['/var/log/nginx/', `${join(values.dir, 'logs')}/`],
    ['/var/lib/nginx/', `${join(values.dir, 'temp')}/`],
  ];
  let out = config;
  for (const [from, to] of replacements) {
    if (!out.includes(from)) throw new Error(`deploy/nginx.conf no longer holds "${from}"`);
    out = out.split(from).join(to);
  }
  return out;
}

export interface RunningNginx {
  url: string;
  dir: string;
  stop: () => Promise<void>;
}

/** Starts nginx (daemon off, its own prefix, pid and logs) serving `root` in front of the server at `node` (host:port). */
export async function startNginx(root: string, node: string): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-'));
  for (const d of ['logs', 'temp']) mkdirSync(join(dir, d));
  // Started by root, nginx's workers run as an unprivileged user: they write temp files here.
  chmodSync(dir, 0o755);
  chmodSync(join(dir, 'temp'), 0o777);
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, templatedNginxConf(readFileSync(NGINX_CONF, 'utf8'), { port, root, node, dir }));
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', conf, '-e', join(dir, 'logs', 'startup.log'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGQUIT'); // graceful: workers finish, the master removes its pid file
    await exited;
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${stderr}`);
    try {
      await fetch(`${url}/`);
      return { url, dir, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await stop();
  throw new Error(`nginx did not answer: ${stderr}`);
}
