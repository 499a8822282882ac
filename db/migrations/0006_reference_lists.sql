CREATE TABLE `reference_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`list_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`name` text NOT NULL,
	`department_text` text,
	`decision_number` text,
	`remarks` text,
	FOREIGN KEY (`list_id`) REFERENCES `reference_lists`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `reference_entries_list_idx` ON `reference_entries` (`list_id`,`seq`);--> statement-breakpoint
CREATE TABLE `reference_lists` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`decision_number` text,
	`issued_by` text,
	`issued_on` text,
	`source` text NOT NULL,
	`entry_count` integer DEFAULT 0 NOT NULL,
	`created_by` text NOT NULL,
	`created_by_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `reference_lists_kind_idx` ON `reference_lists` (`kind`);--> statement-breakpoint
CREATE TABLE `reference_matches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entry_id` integer NOT NULL,
	`item_id` integer NOT NULL,
	`score_permille` integer NOT NULL,
	`status` text DEFAULT 'proposed' NOT NULL,
	`decided_by` text,
	`decided_at` text,
	`reason` text,
	FOREIGN KEY (`entry_id`) REFERENCES `reference_entries`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reference_matches_uq` ON `reference_matches` (`entry_id`,`item_id`);--> statement-breakpoint
CREATE INDEX `reference_matches_item_idx` ON `reference_matches` (`item_id`,`status`);