CREATE TABLE `item_flags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`rule` text NOT NULL,
	`severity` text NOT NULL,
	`message` text NOT NULL,
	`suggestion` text NOT NULL,
	`suggestion_text` text NOT NULL,
	`ground` text NOT NULL,
	`checked_at` text NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `item_flags_item_idx` ON `item_flags` (`item_id`);--> statement-breakpoint
CREATE INDEX `item_flags_rule_idx` ON `item_flags` (`rule`,`severity`);