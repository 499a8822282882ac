CREATE TABLE `item_theme_tags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_code` text NOT NULL,
	`theme` text NOT NULL,
	`tag` text NOT NULL,
	`tagged_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `item_theme_tags_item_theme_uq` ON `item_theme_tags` (`item_code`,`theme`);