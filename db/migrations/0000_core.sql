CREATE TABLE `app_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor_id` integer,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text,
	`before` text,
	`after` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE TABLE `citations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`seq` integer DEFAULT 0 NOT NULL,
	`instrument_id` integer,
	`title` text NOT NULL,
	`article` text,
	`document_number` text,
	`role` text DEFAULT 'setting' NOT NULL,
	`tag` text,
	`quoted_text` text,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`instrument_id`) REFERENCES `legal_instruments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `citations_item_idx` ON `citations` (`item_id`,`role`);--> statement-breakpoint
CREATE INDEX `citations_instrument_idx` ON `citations` (`instrument_id`);--> statement-breakpoint
CREATE TABLE `departments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`level` text DEFAULT 'district' NOT NULL,
	`parent_id` integer,
	`aliases` text DEFAULT '[]' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `departments_code_uq` ON `departments` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `departments_name_uq` ON `departments` (`name`);--> statement-breakpoint
CREATE TABLE `item_prerequisites` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`prerequisite_item_id` integer,
	`written_as` text NOT NULL,
	`cut` integer DEFAULT false NOT NULL,
	`cut_reason` text,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`prerequisite_item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `item_prerequisites_item_idx` ON `item_prerequisites` (`item_id`);--> statement-breakpoint
CREATE INDEX `item_prerequisites_prereq_idx` ON `item_prerequisites` (`prerequisite_item_id`);--> statement-breakpoint
CREATE TABLE `items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`parent_id` integer,
	`main_item_name` text,
	`category` text NOT NULL,
	`department_id` integer NOT NULL,
	`level` text,
	`service_objects` text DEFAULT '[]' NOT NULL,
	`statutory_limit_days` integer,
	`promised_limit_days` integer,
	`instant` integer DEFAULT false NOT NULL,
	`fee_charged` integer DEFAULT false NOT NULL,
	`fee_standard` text,
	`fee_basis` text,
	`conditions` text,
	`materials` text,
	`process_text` text,
	`contact_phone` text,
	`supervision_phone` text,
	`remarks` text,
	`disposition` text,
	`review_status` text DEFAULT 'none' NOT NULL,
	`removed_at` text,
	`row_version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `items_code_uq` ON `items` (`code`);--> statement-breakpoint
CREATE INDEX `items_department_idx` ON `items` (`department_id`,`category`);--> statement-breakpoint
CREATE INDEX `items_category_idx` ON `items` (`category`);--> statement-breakpoint
CREATE INDEX `items_parent_idx` ON `items` (`parent_id`);--> statement-breakpoint
CREATE INDEX `items_name_idx` ON `items` (`name`);--> statement-breakpoint
CREATE TABLE `legal_instruments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`normalized_title` text NOT NULL,
	`rank` text NOT NULL,
	`rank_inferred` integer DEFAULT false NOT NULL,
	`issuing_body` text,
	`region` text,
	`document_number` text,
	`published_on` text,
	`effective_on` text,
	`status` text DEFAULT 'in_force' NOT NULL,
	`replaced_by_id` integer,
	`source` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`replaced_by_id`) REFERENCES `legal_instruments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `legal_instruments_normalized_title_idx` ON `legal_instruments` (`normalized_title`);--> statement-breakpoint
CREATE INDEX `legal_instruments_status_idx` ON `legal_instruments` (`status`);--> statement-breakpoint
CREATE TABLE `process_steps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`name` text NOT NULL,
	`post` text,
	`limit_days` integer,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `process_steps_item_idx` ON `process_steps` (`item_id`,`seq`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`csrf_token` text NOT NULL,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`expires_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`department_id` integer,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "users_department_role_ck" CHECK(("users"."role" = 'department') = ("users"."department_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_uq` ON `users` (`username`);