CREATE TABLE `catalogue_versions` (
	`number` integer PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`effective_on` text NOT NULL,
	`note` text,
	`published_at` text NOT NULL,
	`published_by` text NOT NULL,
	`item_count` integer NOT NULL,
	`added` integer NOT NULL,
	`changed` integer NOT NULL,
	`removed` integer NOT NULL,
	`content_hash` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `item_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`from_version` integer NOT NULL,
	`to_version` integer,
	`name` text NOT NULL,
	`category` text NOT NULL,
	`department_code` text NOT NULL,
	`content` text NOT NULL,
	`content_hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `item_revisions_code_idx` ON `item_revisions` (`code`,`from_version`);--> statement-breakpoint
CREATE INDEX `item_revisions_open_idx` ON `item_revisions` (`to_version`,`code`);--> statement-breakpoint
CREATE INDEX `item_revisions_from_idx` ON `item_revisions` (`from_version`);--> statement-breakpoint
CREATE INDEX `items_updated_idx` ON `items` (`updated_at`);