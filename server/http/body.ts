// Reading request bodies (forms and JSON) within limits: a form or JSON body over 200 KB is refused with
// 413, a form with more than 200 fields or JSON nested deeper than 32 levels with 400, in Chinese (the
// error middleware words them). No form of the product comes near these limits; uploads have their own.
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../errors.js';
import { REQUEST_ERRORS } from '../domain/labels.js';

export const BODY_LIMITS = { bytes: 200 * 1024, fields: 200, jsonDepth: 32 } as const;

export const formBody = express.urlencoded({ extended: false, limit: BODY_LIMITS.bytes, parameterLimit: BODY_LIMITS.fields });
export const jsonBody = express.json({ limit: BODY_LIMITS.bytes });

/** JSON nested deeper than the limit is refused before any handler walks it (recursion there could overflow). */
export function jsonDepthLimit(req: Request, _res: Response, next: NextFunction): void {
  if (typeof req.body === 'object' && req.body !== null && depthExceeds(req.body, BODY_LIMITS.jsonDepth)) {
    next(new AppError('input.too_deep', 400, REQUEST_ERRORS.jsonTooDeep(BODY_LIMITS.jsonDepth)));
    return;
  }
  next();
}

/** Whether `value` nests objects or arrays more than `limit` levels deep; walked without recursion. */
export function depthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}
