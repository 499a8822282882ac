ALTER TABLE `items` ADD `service_place` text;--> statement-breakpoint
ALTER TABLE `items` ADD `service_hours` text;--> statement-breakpoint
ALTER TABLE `items` ADD `on_site_visits` integer;--> statement-breakpoint
ALTER TABLE `items` ADD `online_depth` text;--> statement-breakpoint
ALTER TABLE `items` ADD `result_name` text;