// The one error middleware: AppErrors become a page (re-rendering the failed form when there is one)
// or, for API calls, JSON {error: {code, message, fields}}. Anything else is a 500 with no details leaked.
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors.js';
import { isBusy } from '../../db/client.js';
import { storageFault } from '../storage-faults.js';
import { MESSAGES } from '../domain/labels.js';
import { urls } from '../urls.js';
import type { ViewEngine } from '../views/engine.js';
import { renderPage } from './render.js';

export const wantsJson = (req: Request) =>
  req.path.startsWith('/api/') || (req.headers.accept ?? '').split(',')[0]?.trim() === 'application/json';

export function errorHandler(views: ViewEngine) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    let error: AppError;
    if (err instanceof AppError) error = err;
    else if (isBodyError(err)) error = new AppError('input.unreadable', 400, '请求内容无法读取（格式错误或过大）。');
    else if (httpStatus(err) === 404) error = new AppError('not_found', 404, '找不到该页面。');
    else if (isBusy(err)) error = new AppError('unavailable.busy', 503, MESSAGES.databaseBusy);
    else if (storageFault(err)) error = storageFaultAnswer(err);
    else {
      console.error(err);
      error = new AppError('internal', 500, '服务器内部错误，操作未完成，数据未被改动。请稍后重试。');
    }
    if (wantsJson(req)) {
      res.status(error.status).json({ error: { code: error.code, message: error.message, fields: error.fields } });
      return;
    }
    if (error.status === 401 && req.method === 'GET') {
      res.redirect(303, urls.login(req.originalUrl));
      return;
    }
    const form = req.ctx?.formView;
    if (form && (error.status === 400 || error.status === 409)) {
      renderPage(views, req, res, form.page, { ...form.model, formError: error.message, fieldErrors: error.fields }, {
        title: form.title,
        status: error.status,
      });
      return;
    }
    renderPage(views, req, res, 'error', { status: error.status, message: error.message }, { title: '出错了', status: error.status });
  };
}

/** A full disk, a read-only or damaged database, an I/O error: a Chinese 503 naming the cause (server/storage-faults.ts). */
function storageFaultAnswer(err: unknown): AppError {
  console.error(`storage fault: ${(err as { code?: string }).code ?? ''} ${(err as Error).message ?? ''}`);
  return storageFault(err)!;
}

function isBodyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'type' in err && typeof (err as { type: unknown }).type === 'string' &&
    ['entity.parse.failed', 'entity.too.large', 'encoding.unsupported', 'parameters.too.many'].includes((err as { type: string }).type);
}

/** Errors raised by express itself (static files, body parsers) carry a status. */
function httpStatus(err: unknown): number | null {
  return typeof err === 'object' && err !== null && 'status' in err && typeof (err as { status: unknown }).status === 'number'
    ? (err as { status: number }).status
    : null;
}
