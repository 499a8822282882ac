CREATE TABLE `campaign_deadlines` (
	`campaign_id` integer NOT NULL,
	`department_id` integer NOT NULL,
	`due_on` text NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_deadlines_uq` ON `campaign_deadlines` (`campaign_id`,`department_id`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`starts_on` text NOT NULL,
	`judged_at` text NOT NULL,
	`due_on` text,
	`note` text,
	`closed_at` text,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `expert_reviews` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`submission_item_id` integer NOT NULL,
	`expert_id` integer NOT NULL,
	`assigned_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`opinion` text,
	`notes` text,
	`answered_at` text,
	`handling` text,
	`handled_by` text,
	`handled_at` text,
	`row_version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`submission_item_id`) REFERENCES `submission_items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`expert_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `expert_reviews_uq` ON `expert_reviews` (`submission_item_id`,`expert_id`);--> statement-breakpoint
CREATE INDEX `expert_reviews_expert_idx` ON `expert_reviews` (`expert_id`,`answered_at`);--> statement-breakpoint
CREATE TABLE `flag_overrides` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`submission_item_id` integer NOT NULL,
	`rule` text NOT NULL,
	`reason` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`submission_item_id`) REFERENCES `submission_items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `flag_overrides_uq` ON `flag_overrides` (`submission_item_id`,`rule`);--> statement-breakpoint
CREATE TABLE `register_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer,
	`item_code` text,
	`item_name` text NOT NULL,
	`category` text,
	`department_id` integer NOT NULL,
	`disposition` text NOT NULL,
	`destination` text,
	`details` text,
	`reason` text NOT NULL,
	`legal_ground` text,
	`campaign_id` integer,
	`submission_item_id` integer,
	`decided_by` text NOT NULL,
	`effective_on` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submission_item_id`) REFERENCES `submission_items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `register_entries_department_idx` ON `register_entries` (`department_id`,`disposition`);--> statement-breakpoint
CREATE INDEX `register_entries_name_idx` ON `register_entries` (`item_name`);--> statement-breakpoint
ALTER TABLE `submission_items` ADD `name` text;--> statement-breakpoint
ALTER TABLE `submission_items` ADD `category` text;--> statement-breakpoint
ALTER TABLE `submission_items` ADD `flags` text;--> statement-breakpoint
ALTER TABLE `submission_items` ADD `disposition` text;--> statement-breakpoint
ALTER TABLE `submission_items` ADD `disposition_details` text;--> statement-breakpoint
ALTER TABLE `submission_items` ADD `reason` text;--> statement-breakpoint
ALTER TABLE `submission_items` ADD `legal_ground` text;--> statement-breakpoint
ALTER TABLE `submission_items` ADD `decided_by` text;--> statement-breakpoint
ALTER TABLE `submission_items` ADD `decided_at` text;--> statement-breakpoint
ALTER TABLE `submission_items` ADD `return_request` text;--> statement-breakpoint
ALTER TABLE `submission_items` ADD `department_answer` text;--> statement-breakpoint
ALTER TABLE `submission_items` ADD `expert_review_closed_reason` text;--> statement-breakpoint
ALTER TABLE `submission_items` ADD `finalised_by` text;--> statement-breakpoint
ALTER TABLE `submission_items` ADD `finalised_at` text;--> statement-breakpoint
CREATE INDEX `submission_items_state_idx` ON `submission_items` (`state`);--> statement-breakpoint
ALTER TABLE `submissions` ADD `campaign_id` integer REFERENCES campaigns(id);--> statement-breakpoint
ALTER TABLE `submissions` ADD `submitted_at` text;--> statement-breakpoint
CREATE INDEX `submissions_campaign_idx` ON `submissions` (`campaign_id`);