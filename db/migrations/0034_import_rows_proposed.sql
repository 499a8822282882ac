ALTER TABLE `import_rows` ADD `proposed_name` text;--> statement-breakpoint
ALTER TABLE `import_rows` ADD `proposed_category` text;--> statement-breakpoint
ALTER TABLE `import_rows` ADD `proposed_disposition` text;--> statement-breakpoint
ALTER TABLE `import_rows` ADD `proposed_reason` text;--> statement-breakpoint
CREATE INDEX `submission_items_removals_idx` ON `submission_items` (`submission_id`,`id`) WHERE "submission_items"."proposal" IS NULL;--> statement-breakpoint
-- Rows staged before these columns, of imports that can still be confirmed: filled from their proposals.
UPDATE `import_rows` SET
  `proposed_name` = json_extract(`proposal`, '$.fields.name'),
  `proposed_category` = json_extract(`proposal`, '$.fields.category'),
  `proposed_disposition` = json_extract(`proposal`, '$.disposition'),
  `proposed_reason` = json_extract(`proposal`, '$.dispositionReason')
WHERE `proposal` IS NOT NULL AND `import_id` IN (SELECT `id` FROM `imports` WHERE `status` IN ('reading', 'ready'));
