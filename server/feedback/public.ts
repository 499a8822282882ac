// Feedback as the service guide shows it: the public answers (no contact, no address, no staff name)
// and the link to leave one.
import type { Db } from '../../db/client.js';
import { createFeedbackRepository } from '../../db/queries/feedback.js';
import { FEEDBACK_KINDS, label, localTime } from '../domain/labels.js';
import { urls } from '../urls.js';

export function guideFeedback(db: Db, code: string) {
  const answers = createFeedbackRepository(db).publicAnswers(code);
  return {
    formUrl: urls.itemFeedback(code),
    answers: answers.map((a) => ({
      id: a.id,
      kindName: label(FEEDBACK_KINDS, a.kind),
      body: a.body,
      answer: a.answer,
      askedOn: localTime(a.createdAt).slice(0, 10),
      answeredOn: localTime(a.answeredAt).slice(0, 10),
    })),
  };
}

/** What makes the guide's feedback part differ: part of a published page's ETag. */
export const guideFeedbackStamp = (db: Db, code: string): string => createFeedbackRepository(db).publicStamp(code);
