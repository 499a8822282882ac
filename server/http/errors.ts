// The one error middleware: AppErrors become a page (re-rendering the failed form when there is one)
// or, for API calls, JSON {error: {code, message, fields}}. Errors raised by express and its body parsers
// (bad %-encoding, bodies too large or with too many fields, unknown charsets, missing static files) are
// told in Chinese with their 4xx status. Anything else is a 500 with no details leaked. The handler itself
// cannot fail: when a page cannot be rendered (a template fault, a visitor not yet loaded) it answers a
// plain Chinese page, never express's default page with its stack trace.
import type { NextFunction, Request, Response } from 'express';
import type { Duplex } from 'node:stream';
import { AppError } from '../errors.js';
import { isBusy } from '../../db/client.js';
import { storageFault } from '../storage-faults.js';
import { MESSAGES, REQUEST_ERRORS } from '../domain/labels.js';
import { urls } from '../urls.js';
import type { ViewEngine } from '../views/engine.js';
import { BODY_LIMITS } from './body.js';
import { renderPage } from './render.js';

/** An API path, a caller asking for JSON first, or one that sent JSON: answered in JSON. */
export const wantsJson = (req: Request) =>
  req.path.startsWith('/api/') ||
  (req.headers.accept ?? '').split(',')[0]?.trim() === 'application/json' ||
  (req.headers['content-type'] ?? '').startsWith('application/json');

export function errorHandler(views: ViewEngine) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const error = asAppError(err);
    try {
      if (res.headersSent) {
        // Part of the answer is already on its way: nothing sensible can follow it.
        res.destroy();
        return;
      }
      // Errors raised before the visitor is loaded (static files) are shown as to an anonymous visitor.
      req.ctx ??= { session: null, user: null, csrfToken: '' };
      respond(views, error, req, res);
    } catch (renderError) {
      console.error(renderError);
      plainAnswer(error, req, res);
    }
  };
}

function respond(views: ViewEngine, error: AppError, req: Request, res: Response): void {
  if (wantsJson(req)) {
    res.status(error.status).json({ error: { code: error.code, message: error.message, fields: error.fields } });
    return;
  }
  if (error.status === 401 && req.method === 'GET') {
    res.redirect(303, urls.login(req.originalUrl));
    return;
  }
  const form = req.ctx.formView;
  if (form && (error.status === 400 || error.status === 409 || error.status === 429)) {
    renderPage(views, req, res, form.page, { ...form.model, formError: error.message, fieldErrors: error.fields }, {
      title: form.title,
      status: error.status,
    });
    return;
  }
  renderPage(views, req, res, 'error', { status: error.status, message: error.message }, { title: REQUEST_ERRORS.errorTitle, status: error.status });
}

/** A full disk, a read-only or damaged database, an I/O error: a Chinese 503 naming the cause (server/storage-faults.ts). */
function storageFaultAnswer(err: unknown): AppError {
  console.error(`storage fault: ${(err as { code?: string }).code ?? ''} ${(err as Error).message ?? ''}`);
  return storageFault(err)!;
}

/** The last resort: a page (or JSON) built without templates, when rendering the error page failed. */
function plainAnswer(error: AppError, req: Request, res: Response): void {
  try {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (wantsJson(req)) {
      res.status(error.status).json({ error: { code: error.code, message: error.message, fields: {} } });
      return;
    }
    const text = error.message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    res
      .status(error.status)
      .type('html')
      .send(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${REQUEST_ERRORS.errorTitle}</title></head>` +
        `<body><h1>${REQUEST_ERRORS.errorTitle}（${error.status}）</h1><p role="alert">${text}</p><p><a href="${urls.home()}">${REQUEST_ERRORS.backHome}</a></p></body></html>`);
  } catch {
    res.destroy();
  }
}

/**
 * Requests node cannot even parse (headers over 16 KB, a broken request line) never reach express: the
 * server's 'clientError' listener answers them with a short Chinese page instead of node's bare status line.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  const response = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || response?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, reason, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', REQUEST_ERRORS.headersTooLarge]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', REQUEST_ERRORS.timeout]
        : [400, 'Bad Request', REQUEST_ERRORS.badRequest];
  const body = Buffer.from(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${REQUEST_ERRORS.errorTitle}</title></head><body><h1>${REQUEST_ERRORS.errorTitle}（${status}）</h1><p role="alert">${message}</p></body></html>`);
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.toString('latin1')}`, 'latin1');
}

/** Every thrown thing as an AppError with a Chinese message; unknown faults are logged and become a 500. */
export function asAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const fromExpress = httpError(err);
  if (fromExpress) return fromExpress;
  if (isBusy(err)) return new AppError('unavailable.busy', 503, MESSAGES.databaseBusy);
  if (storageFault(err)) return storageFaultAnswer(err);
  console.error(err);
  return new AppError('internal', 500, REQUEST_ERRORS.internal);
}

/** Errors raised by express itself and its body parsers carry a 4xx status and, for bodies, a type. */
function httpError(err: unknown): AppError | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; limit?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : null;
  if (status === null || status < 400 || status >= 500) return null;
  switch (e.type) {
    case 'entity.too.large':
      return new AppError('input.too_large', 413, REQUEST_ERRORS.bodyTooLarge(sizeOf(e.limit)));
    case 'parameters.too.many':
      return new AppError('input.too_many_fields', 400, REQUEST_ERRORS.tooManyFields(BODY_LIMITS.fields));
    case 'charset.unsupported':
      return new AppError('input.charset', 415, REQUEST_ERRORS.charsetUnsupported);
    case 'encoding.unsupported':
      return new AppError('input.encoding', 415, REQUEST_ERRORS.encodingUnsupported);
    case undefined:
      break;
    default:
      return new AppError('input.unreadable', 400, REQUEST_ERRORS.bodyUnreadable);
  }
  if (err instanceof URIError) return new AppError('input.bad_address', 400, REQUEST_ERRORS.badAddress);
  if (status === 404) return new AppError('not_found', 404, REQUEST_ERRORS.pageNotFound);
  if (status === 403) return new AppError('auth.forbidden', 403, REQUEST_ERRORS.forbiddenPath);
  if (status === 405) return new AppError('method_not_allowed', 405, REQUEST_ERRORS.methodNotAllowed);
  return new AppError('input.bad_request', status, REQUEST_ERRORS.badRequest);
}

const sizeOf = (limit: unknown) =>
  typeof limit === 'number' ? (limit >= 1024 * 1024 ? `${Math.round(limit / 1048576)} MB` : `${Math.round(limit / 1024)} KB`) : '200 KB';
