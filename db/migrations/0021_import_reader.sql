ALTER TABLE `imports` ADD `reader_pid` integer;--> statement-breakpoint
ALTER TABLE `imports` ADD `temp_path` text;