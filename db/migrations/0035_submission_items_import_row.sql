DROP INDEX `submission_items_removals_idx`;--> statement-breakpoint
ALTER TABLE `submission_items` ADD `import_row_id` integer REFERENCES import_rows(id);--> statement-breakpoint
CREATE INDEX `submission_items_import_row_idx` ON `submission_items` (`import_row_id`);--> statement-breakpoint
CREATE INDEX `submission_items_removals_idx` ON `submission_items` (`submission_id`,`id`) WHERE "submission_items"."proposal" IS NULL AND "submission_items"."import_row_id" IS NULL;--> statement-breakpoint
-- A submitted upload's proposals are read from its staged rows: their proposals no longer change (the foreign
-- key keeps them from being deleted).
CREATE TRIGGER import_rows_submitted_proposal_fixed BEFORE UPDATE OF proposal ON import_rows
WHEN EXISTS (SELECT 1 FROM submission_items WHERE import_row_id = OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'the staged rows of a submitted upload are its proposals and do not change');
END;
