// The published-page fast path: a plain node:http handler in front of the Express app. An anonymous
// GET/HEAD for a page the page cache already holds (server/http/page-cache.ts) is answered here with the
// cached bytes and the headers the Express path sends for it (security headers, the CSRF cookie of a new
// visitor, the page's own Content-Type, ETag and Cache-Control), without Express's middleware stack.
// The public search's JSON (GET /api/v1/items) is answered here too for such a visitor, computed rather
// than cached (server/http/search-fast-path.ts), unless the request is conditional or unusual.
// Everything else goes to Express unchanged: any other method, a session cookie (staff, or a session
// Express must end), a request with a body, conditional requests other than an exact If-None-Match, a
// URL not in the cache, or a page kept before the latest publish.
//
// The cache's rule holds here too: a page is kept with a placeholder where the visitor's CSRF token
// stands, and each visitor gets their own token put in on the way out, never another visitor's.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { latestVersionNumberReader } from '../../db/queries/publication/versions.js';
import { SESSION_COOKIE } from '../auth/sessions.js';
import type { Config } from '../config.js';
import { cookieHeader, parseCookies } from './cookies.js';
import type { PageStore } from './page-cache.js';
import type { Services } from '../services.js';
import { SEARCH_PATH, publicSearchAnswer } from './search-fast-path.js';
import { CSRF_COOKIE, SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY, isCsrfToken, issuesCsrfCookie, newCsrfToken } from './security.js';

export function publishedFastPath(services: Services, config: Pick<Config, 'cookieSecure' | 'pageSize'>, fallback: RequestListener): RequestListener {
  const { db, pages } = services;
  const latest = latestVersionNumberReader(db);
  const search = publicSearchAnswer(services, config);
  const front: string[] = SECURITY_HEADERS.flat();
  if (config.cookieSecure) front.push(...STRICT_TRANSPORT_SECURITY);

  return (req: IncomingMessage, res: ServerResponse): void => {
    if (!answered(req, res)) fallback(req, res);
  };

  /** Answers the request from the cache and returns true, or returns false having written nothing. */
  function answered(req: IncomingMessage, res: ServerResponse): boolean {
    const { method, url, headers } = req;
    if ((method !== 'GET' && method !== 'HEAD') || !url || url[0] !== '/') return false;
    // A body (which Express would read and might refuse) or a date condition (which Express judges): Express.
    if (headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0')) return false;
    if (headers['if-modified-since'] !== undefined) return false;
    const cookies = parseCookies(headers.cookie);
    if (cookies[SESSION_COOKIE] !== undefined) return false;
    if (url.startsWith(SEARCH_PATH)) return searchAnswered(req, res);
    const hit = pages.get(url); // keyed as the page cache keys it: the URL exactly as requested
    if (!hit || hit.status !== 200 || hit.generation !== (latest() ?? 0)) return false;
    const condition = headers['if-none-match'];
    const notModified = condition !== undefined && hit.etag !== undefined && condition === hit.etag;
    // Any other If-None-Match (a list, a weak tag, *) is judged by Express's own freshness check.
    if (condition !== undefined && !notModified) return false;

    let token = cookies[CSRF_COOKIE];
    let setCookie: string | undefined;
    if (!isCsrfToken(token)) {
      token = newCsrfToken();
      const q = url.indexOf('?');
      if (issuesCsrfCookie(method, q < 0 ? url : url.slice(0, q))) setCookie = cookieHeader(CSRF_COOKIE, token, { secure: config.cookieSecure });
    }

    // The headers in the order the Express path sets them, written at once (writeHead's flat list).
    const out: (string | number | readonly string[])[] = [...front];
    if (setCookie !== undefined) out.push('Set-Cookie', setCookie);
    for (const [name, value] of hit.headers) if (!notModified || name !== 'content-type') out.push(name, value);
    if (notModified) {
      res.writeHead(304, out as string[]);
      res.end();
      return true;
    }
    const body = hit.parts.length === 1 ? hit.parts[0]! : joinWithToken(hit.parts, Buffer.from(token));
    out.push('Content-Length', body.length);
    res.writeHead(200, out as string[]);
    if (method === 'HEAD') res.end();
    else res.end(body);
    return true;
  }

  /** The search JSON with the headers in the order Express sets them; no CSRF cookie (an /api/ answer issues none). */
  function searchAnswered(req: IncomingMessage, res: ServerResponse): boolean {
    // Express judges freshness (If-None-Match, and Cache-Control: no-cache beside it).
    if (req.headers['if-none-match'] !== undefined) return false;
    let answer;
    try {
      answer = search(req.url!);
    } catch {
      return false; // Express meets the same failure and answers it as it answers any other
    }
    if (!answer) return false;
    res.writeHead(200, [...front, 'Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(answer.body.length), 'ETag', answer.etag]);
    if (req.method === 'HEAD') res.end();
    else res.end(answer.body);
    return true;
  }
}

const joinWithToken = (parts: Buffer[], token: Buffer): Buffer => Buffer.concat(parts.flatMap((p, i) => (i ? [token, p] : [p])));

/** The web server: the fast path in front of the Express app (main.ts listens with it; so do the HTTP tests). */
export const createWebServer = (services: Services, config: Pick<Config, 'cookieSecure' | 'pageSize'>, app: RequestListener): Server =>
  createServer(publishedFastPath(services, config, app));
