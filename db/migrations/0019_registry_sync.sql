CREATE TABLE `registry_files` (
	`file` text PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`applied_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `legal_instruments` ADD `shipped_hash` text;--> statement-breakpoint
ALTER TABLE `legal_instruments` ADD `edited_at` text;--> statement-breakpoint
ALTER TABLE `legal_instruments` ADD `edited_by` text;