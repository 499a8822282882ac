// Login throttling per account and per address: growing waits, then a temporary lock told in Chinese
// with the time to try again; failed logins audited; other accounts from other addresses unaffected.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { request } from 'node:http';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { DEMO_PASSWORD } from '../../server/bootstrap.js';
import { LOGIN_THROTTLE, LoginThrottle } from '../../server/auth/login-throttle.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(demoDb());
});
afterAll(() => server.close());

interface Answer {
  status: number;
  text: string;
  location?: string;
}

/** A browser at `address` (a loopback address of its own): reads the login form, then sends it. */
function visitorAt(address: string) {
  const cookies = new Map<string, string>();
  const send = (method: string, path: string, body?: string) =>
    new Promise<Answer>((resolve, reject) => {
      const url = new URL(server.url + path);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method,
          localAddress: address,
          headers: {
            cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}),
          },
        },
        (res) => {
          for (const c of res.headers['set-cookie'] ?? []) {
            const [pair] = c.split(';');
            const eq = pair!.indexOf('=');
            cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
          }
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, location: res.headers.location }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return {
    async login(username: string, password: string): Promise<Answer> {
      const form = await send('GET', '/login');
      const token = /<meta name="csrf-token" content="([^"]+)">/.exec(form.text)![1]!;
      return send('POST', '/login', new URLSearchParams({ _csrf: token, username, password }).toString());
    },
  };
}

const alertOf = (a: Answer) => /<(?:p|div)[^>]*role="alert"[^>]*>([^<]*)</.exec(a.text)?.[1] ?? a.text.slice(0, 200);
const audited = (action: string, username: string) =>
  (server.db.$client.prepare('SELECT count(*) AS n FROM audit_log WHERE action = ? AND entity_id = ?').get(action, username) as { n: number }).n;

describe('login throttling', () => {
  it('30 wrong passwords for one account meet growing waits and then a lock with the time to try again; another account from another address still logs in', async () => {
    const clock = { t: Date.now() };
    server.services.loginThrottle = new LoginThrottle(LOGIN_THROTTLE, () => clock.t);
    const guesser = visitorAt('127.0.0.1');
    const answers: Answer[] = [];
    for (let i = 0; i < 30; i++) {
      answers.push(await guesser.login('admin', `wrong-password-${i}`));
      clock.t += 30_000; // one guess every 30 seconds
    }
    const kinds = answers.map((a) => (a.status === 400 ? 'wrong' : /已暂时锁定/.test(alertOf(a)) ? 'locked' : /秒后再试/.test(alertOf(a)) ? 'wait' : `other ${a.status}`));
    expect(kinds.slice(0, LOGIN_THROTTLE.account.freeFailures)).toEqual(Array(LOGIN_THROTTLE.account.freeFailures).fill('wrong'));
    expect(kinds).toContain('wait');
    expect(kinds.at(-1)).toBe('locked');
    expect(kinds.filter((k) => k.startsWith('other'))).toEqual([]);
    for (const a of answers.filter((x) => x.status === 429)) expect(a.text).not.toMatch(/Error|at .*:\d+/);
    expect(alertOf(answers.at(-1)!)).toMatch(/该账号登录失败次数过多，已暂时锁定，请于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} 后再试/);
    // Only the attempts let through were checked, and each of them is in the audit log.
    expect(audited('auth.login_failed', 'admin')).toBe(LOGIN_THROTTLE.account.lockAt);
    expect(audited('auth.login_locked', 'admin')).toBe(1);

    // The right password does not open a locked account, from here or elsewhere...
    expect((await guesser.login('admin', DEMO_PASSWORD)).status).toBe(429);
    expect((await visitorAt('127.0.0.2').login('admin', DEMO_PASSWORD)).status).toBe(429);
    // ...but another account from another address logs in.
    const other = await visitorAt('127.0.0.2').login('legal', DEMO_PASSWORD);
    expect(other.status).toBe(303);
    // And the lock ends when it said it would.
    clock.t += LOGIN_THROTTLE.lockMs;
    expect((await visitorAt('127.0.0.3').login('admin', DEMO_PASSWORD)).status).toBe(303);
  });

  it('guesses in quick succession are refused unchecked after the first few, in Chinese', async () => {
    server.services.loginThrottle = new LoginThrottle();
    const guesser = visitorAt('127.0.0.4');
    const before = audited('auth.login_failed', 'expert');
    const statuses: number[] = [];
    let lastRefusal = '';
    for (let i = 0; i < 30; i++) {
      const a = await guesser.login('expert', `guess-${i}`);
      statuses.push(a.status);
      if (a.status === 429) lastRefusal = alertOf(a);
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20);
    expect(lastRefusal).toMatch(/请 \d+ 秒后再试/);
    expect(audited('auth.login_failed', 'expert') - before).toBeLessThanOrEqual(LOGIN_THROTTLE.account.freeFailures + 1);
  });

  it('guesses sent all at once for one account are checked one after another, so the throttle holds', async () => {
    server.services.loginThrottle = new LoginThrottle();
    const before = audited('auth.login_failed', 'supervisor');
    const guesser = visitorAt('127.0.0.6');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => guesser.login('supervisor', `parallel-guess-${i}`)));
    expect(audited('auth.login_failed', 'supervisor') - before).toBe(LOGIN_THROTTLE.account.freeFailures);
    expect(answers.filter((a) => a.status === 429).length).toBe(20 - LOGIN_THROTTLE.account.freeFailures);
  });

  it('a failed login for an unknown name is audited without the name (it may be a password typed in the wrong field)', async () => {
    server.services.loginThrottle = new LoginThrottle();
    const count = () => (server.db.$client.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'auth.login_failed' AND entity_id IS NULL").get() as { n: number }).n;
    const before = count();
    expect((await visitorAt('127.0.0.5').login('my-secret-password', 'x')).status).toBe(400);
    expect(count()).toBe(before + 1);
    expect(JSON.stringify(server.db.$client.prepare('SELECT * FROM audit_log').all())).not.toContain('my-secret-password');
  });

  it("the address counted is the connection's, or the forwarded one only behind a proxy named in TRUST_PROXY", async () => {
    const failedFrom = async (target: TestServer, forwardedFor: string) => {
      target.services.loginThrottle = new LoginThrottle();
      const c = target.client();
      const token = await c.csrfToken('/login');
      const body = new URLSearchParams({ _csrf: token, username: 'supervisor', password: 'wrong-password' }).toString();
      const reply = await c.request('POST', '/login', { body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor } });
      expect(reply.status).toBe(400);
      const row = target.db.$client.prepare("SELECT after FROM audit_log WHERE action = 'auth.login_failed' ORDER BY seq DESC LIMIT 1").get() as { after: string };
      return JSON.parse(row.after).address as string;
    };
    // Without a trusted proxy a forwarded address is ignored: it cannot be used to dodge the count.
    expect(await failedFrom(server, '203.0.113.8')).toMatch(/127\.0\.0\.1$/);
    const proxied = await startTestServer(demoDb(), { trustProxy: 'loopback' });
    try {
      expect(await failedFrom(proxied, '203.0.113.7')).toBe('203.0.113.7');
    } finally {
      await proxied.close();
    }
  });
});
