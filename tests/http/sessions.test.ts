// Login, logout and session lifetime.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoDb } from '../support/db.js';
import { startTestServer, type TestServer } from '../support/http.js';
import { SESSION_COOKIE, createSession, findSession } from '../../server/auth/sessions.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(demoDb());
});
afterAll(() => server.close());

describe('sessions', () => {
  it('a wrong password is refused with a Chinese message and no session', async () => {
    const c = server.client();
    const reply = await c.postForm('/login', { username: 'admin', password: 'wrong-password' });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('用户名或密码错误');
    expect(c.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it('login issues a new session id each time, and the old one stops working', async () => {
    const c = server.client();
    await c.login('legal');
    const first = c.cookies.get(SESSION_COOKIE)!;
    await c.login('legal');
    const second = c.cookies.get(SESSION_COOKIE)!;
    expect(second).not.toBe(first);
    const stale = server.client();
    stale.cookies.set(SESSION_COOKIE, first);
    expect((await stale.get('/workspace')).status).toBe(303);
    expect((await c.get('/workspace')).status).toBe(200);
  });

  it('logout ends the session on the server', async () => {
    const c = server.client();
    await c.login('legal');
    const token = c.cookies.get(SESSION_COOKIE)!;
    await c.postForm('/logout', {});
    const replay = server.client();
    replay.cookies.set(SESSION_COOKIE, token);
    const reply = await replay.get('/workspace');
    expect(reply.status).toBe(303);
    expect(reply.location).toBe('/login?next=%2Fworkspace');
  });

  it('a session ends after the idle timeout and after the absolute timeout', () => {
    const db = server.db;
    const userId = (db.$client.prepare("SELECT id FROM users WHERE username = 'legal'").get() as { id: number }).id;
    const timeouts = { idleMinutes: 30, absoluteHours: 8 };
    const t0 = new Date('2026-01-05T08:00:00Z');
    const { token } = createSession(db, userId, timeouts, t0);
    expect(findSession(db, token, timeouts, new Date(t0.getTime() + 29 * 60_000))).not.toBeNull();
    expect(findSession(db, token, timeouts, new Date(t0.getTime() + 29 * 60_000 + 31 * 60_000))).toBeNull();

    const { token: busy } = createSession(db, userId, timeouts, t0);
    let now = t0.getTime();
    for (let i = 0; i < 16; i++) {
      now += 25 * 60_000; // active every 25 minutes, never idle for 30
      const s = findSession(db, busy, timeouts, new Date(now));
      if (now - t0.getTime() <= 8 * 3600_000) expect(s, `after ${(now - t0.getTime()) / 60_000} min`).not.toBeNull();
      else {
        expect(s).toBeNull();
        break;
      }
    }
  });

  it('the session cookie is HttpOnly and SameSite', async () => {
    const c = server.client();
    const reply = await c.postForm('/login', { username: 'legal', password: 'demo-2026-qingdan' });
    const cookie = reply.headers.getSetCookie().find((s) => s.startsWith(SESSION_COOKIE))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('after login the visitor goes back where they came from, but never to another site', async () => {
    const c = server.client();
    const back = await c.postForm('/login', { username: 'legal', password: 'demo-2026-qingdan', next: '/audit' });
    expect(back.location).toBe('/audit');
    const d = server.client();
    const away = await d.postForm('/login', { username: 'legal', password: 'demo-2026-qingdan', next: '//evil.example/x' });
    expect(away.location).toBe('/workspace');
  });
});
