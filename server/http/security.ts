// Security middleware: response headers, the visitor's session, and cross-site request protection.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Db } from '../../db/client.js';
import type { Config } from '../config.js';
import { SESSION_COOKIE, findSession } from '../auth/sessions.js';
import { errors } from '../errors.js';
import { parseCookies, setCookie } from './cookies.js';

export const CSRF_COOKIE = 'catalogue_csrf';

/** The headers every answer carries, in the order they are set (the fast path writes the same list). */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  [
    'Content-Security-Policy',
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  ],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'same-origin'],
];

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
  next();
}

export const STRICT_TRANSPORT_SECURITY = ['Strict-Transport-Security', 'max-age=31536000'] as const;

/** Behind HTTPS (COOKIE_SECURE=1), browsers are told to use nothing else for a year. */
export function strictTransportSecurity(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader(...STRICT_TRANSPORT_SECURITY);
  next();
}

/** A CSRF cookie's value is kept only if it looks like a token this server made. */
export const isCsrfToken = (value: string | undefined): value is string => value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value);

/** Random bytes drawn at once for many tokens; each token takes 32 of them, never used again. */
let tokenBytes = Buffer.alloc(0);
let tokenAt = 0;

/** A new visitor's CSRF token: 32 random bytes, base64url. */
export function newCsrfToken(): string {
  if (tokenAt + 32 > tokenBytes.length) {
    tokenBytes = randomBytes(32 * 256);
    tokenAt = 0;
  }
  const token = tokenBytes.toString('base64url', tokenAt, tokenAt + 32);
  tokenBytes.fill(0, tokenAt, tokenAt + 32);
  tokenAt += 32;
  return token;
}

/** Whether an answer to this request issues the CSRF cookie to a visitor who has none (see loadVisitor). */
export const issuesCsrfCookie = (method: string | undefined, path: string): boolean =>
  method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/static/');

/**
 * No cache (the browser's, a proxy's) keeps what a signed-in visitor was sent, nor an answer that
 * starts or ends a session: set as the headers go out, so no handler can override it.
 */
export function privateAnswers(req: Request, res: Response, next: NextFunction): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
    if (req.ctx?.user || setsSessionCookie(this)) this.setHeader('Cache-Control', 'no-store');
    return writeHead.apply(this, args);
  } as Response['writeHead'];
  next();
}

const setsSessionCookie = (res: Response) => {
  const cookies = res.getHeader('set-cookie');
  return (Array.isArray(cookies) ? cookies : [String(cookies ?? '')]).some((c) => c.startsWith(`${SESSION_COOKIE}=`));
};

/** Load the session (if any) and the CSRF token forms must carry. */
export function loadVisitor(db: Db, config: Config) {
  const timeouts = { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours };
  return (req: Request, res: Response, next: NextFunction): void => {
    const cookies = parseCookies(req.headers.cookie);
    const session = findSession(db, cookies[SESSION_COOKIE], timeouts);
    let csrfToken = session?.csrfToken;
    if (!csrfToken) {
      csrfToken = cookies[CSRF_COOKIE];
      if (!isCsrfToken(csrfToken)) {
        csrfToken = newCsrfToken();
        // Only pages that show a form need it, but setting it once is cheap and cache-neutral for the API.
        if (issuesCsrfCookie(req.method, req.path)) {
          setCookie(res, CSRF_COOKIE, csrfToken, { secure: config.cookieSecure });
        }
      }
    }
    req.ctx = { session, user: session?.user ?? null, csrfToken };
    next();
  };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

const equalTokens = (a: string | undefined, b: string) =>
  typeof a === 'string' && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** A request from another site (by Sec-Fetch-Site or Origin) is refused whatever it carries. */
export function isCrossSite(req: Request): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

/** The token sent (header X-CSRF-Token, else the `_csrf` field) equals the visitor's. */
export function csrfTokenValid(req: Request, fields?: Record<string, unknown>): boolean {
  const sent = (req.headers['x-csrf-token'] as string | undefined) ?? (typeof fields?._csrf === 'string' ? fields._csrf : undefined);
  return equalTokens(sent, req.ctx.csrfToken);
}

/**
 * The routes that take a multipart body (a file upload). Their token travels as a form field and is
 * checked by the upload receiver once the fields are read, before any file is kept (server/http/upload.ts,
 * which refuses to run on any other route). A multipart body sent anywhere else must carry the token in
 * its X-CSRF-Token header, or it is refused like any request without one.
 */
export const UPLOAD_ROUTES: ReadonlySet<string> = new Set([
  '/workspace/imports',
  '/api/v1/imports',
  '/registry/lists',
  '/api/v1/reference-lists',
  '/registry/import',
  '/api/v1/registry/imports',
]);
export const isUploadRoute = (req: Request): boolean => req.method === 'POST' && UPLOAD_ROUTES.has(req.path);

/**
 * Every state-changing request must carry the visitor's CSRF token (form field `_csrf` or header
 * `X-CSRF-Token`) and must not come from another site. Multipart uploads to the upload routes are
 * checked by the upload receiver once their fields are read.
 */
export function csrfProtection(req: Request, _res: Response, next: NextFunction): void {
  if (SAFE.has(req.method)) return next();
  if (isCrossSite(req)) return next(errors.csrf());
  if ((req.headers['content-type'] ?? '').startsWith('multipart/form-data') && isUploadRoute(req)) return next();
  if (!csrfTokenValid(req, req.body as Record<string, unknown> | undefined)) return next(errors.csrf());
  next();
}
