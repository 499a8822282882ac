CREATE TABLE `feedback` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_code` text NOT NULL,
	`item_name` text NOT NULL,
	`kind` text NOT NULL,
	`body` text NOT NULL,
	`contact` text,
	`address` text,
	`answer` text,
	`answer_public` integer DEFAULT false NOT NULL,
	`answered_by` text,
	`answered_at` text,
	`row_version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `feedback_item_idx` ON `feedback` (`item_code`,`answer_public`);--> statement-breakpoint
CREATE INDEX `feedback_open_idx` ON `feedback` (`answered_at`);