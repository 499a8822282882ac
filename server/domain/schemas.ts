// zod pieces shared by every form, query string, API body and spreadsheet row that takes them.
import { z } from 'zod';
import { MESSAGES } from './labels.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date written 2026-01-31, as date inputs send it. */
export const isoDate = (message: string = MESSAGES.dateFormat) => z.string().trim().regex(ISO_DATE, message);

/** Whether a text is a date written 2026-01-31. */
export const isIsoDate = (text: string): boolean => ISO_DATE.test(text);
