// Demo data says so: when the database holds the generated demo district, every page carries a notice
// saying which of its data is real (item names, departments and codes of a real district) and which is
// made up (legal bases, limits, fees, materials, phones). Asked of the database once, when the app is built.
import type { RequestHandler } from 'express';
import type { Db } from '../../db/client.js';
import { holdsDemoDistrict } from '../../db/queries/demo-data.js';
import { DEMO_NOTICE } from '../domain/labels.js';

/** What the layouts show: the notice, or null for a real catalogue. */
export const demoNoticeFor = (db: Db): typeof DEMO_NOTICE | null => (holdsDemoDistrict(db) ? DEMO_NOTICE : null);

/** Marks each request of an app over the demo district (after loadVisitor, which creates req.ctx). */
export function demoNotice(db: Db): RequestHandler {
  const demo = holdsDemoDistrict(db);
  return (req, _res, next) => {
    if (demo) req.ctx.demoData = true;
    next();
  };
}
