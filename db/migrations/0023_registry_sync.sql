CREATE TABLE `registry_files` (
	`file` text PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`applied_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `registry_imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`file_name` text NOT NULL,
	`rows` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`result` text
);
--> statement-breakpoint
ALTER TABLE `legal_instruments` ADD `repealed_on` text;--> statement-breakpoint
ALTER TABLE `legal_instruments` ADD `shipped_hash` text;--> statement-breakpoint
ALTER TABLE `legal_instruments` ADD `edited_at` text;--> statement-breakpoint
ALTER TABLE `legal_instruments` ADD `edited_by` text;