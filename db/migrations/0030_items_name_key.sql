ALTER TABLE `items` ADD `name_key` text;--> statement-breakpoint
CREATE INDEX `items_name_key_idx` ON `items` (`name_key`,`removed_at`);
