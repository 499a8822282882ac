CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `expert_reviews_unhandled_idx` ON `expert_reviews` (`submission_item_id`) WHERE "expert_reviews"."answered_at" IS NOT NULL AND "expert_reviews"."handled_at" IS NULL;--> statement-breakpoint
CREATE INDEX `submission_items_submission_state_idx` ON `submission_items` (`submission_id`,`state`);