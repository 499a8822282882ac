ALTER TABLE `import_rows` ADD `reverts` text;--> statement-breakpoint
ALTER TABLE `imports` ADD `complete` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `submission_items` ADD `proposed_disposition` text;--> statement-breakpoint
ALTER TABLE `submission_items` ADD `proposed_reason` text;