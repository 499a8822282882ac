DROP INDEX `items_department_idx`;--> statement-breakpoint
CREATE INDEX `items_department_idx` ON `items` (`department_id`,`category`) WHERE "items"."removed_at" IS NULL;