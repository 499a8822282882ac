DROP INDEX `item_revisions_open_idx`;--> statement-breakpoint
CREATE INDEX `item_revisions_open_idx` ON `item_revisions` (`to_version`,`code`,`content_hash`);