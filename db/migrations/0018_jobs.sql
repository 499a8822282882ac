CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`state` text NOT NULL,
	`params` text DEFAULT '{}' NOT NULL,
	`result` text,
	`error` text,
	`created_by` text NOT NULL,
	`created_by_id` integer,
	`started_at` text NOT NULL,
	`finished_at` text
);
--> statement-breakpoint
CREATE INDEX `jobs_started_idx` ON `jobs` (`started_at`);