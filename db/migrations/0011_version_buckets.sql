CREATE TABLE `version_buckets` (
	`version` integer NOT NULL,
	`bucket` integer NOT NULL,
	`hash` text NOT NULL,
	PRIMARY KEY(`bucket`, `version`)
);
--> statement-breakpoint
DROP INDEX `item_revisions_open_idx`;--> statement-breakpoint
ALTER TABLE `item_revisions` ADD `bucket` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `item_revisions_open_idx` ON `item_revisions` (`to_version`,`bucket`,`code`,`content_hash`);