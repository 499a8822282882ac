CREATE TABLE `import_rows` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`import_id` integer NOT NULL,
	`sheet` text NOT NULL,
	`row_number` integer NOT NULL,
	`item_code` text,
	`name` text,
	`department_text` text,
	`department_id` integer,
	`item_id` integer,
	`kind` text NOT NULL,
	`proposal` text,
	`changes` text,
	`errors` text,
	`warnings` text,
	`no_basis` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`import_id`) REFERENCES `imports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `import_rows_import_idx` ON `import_rows` (`import_id`,`kind`);--> statement-breakpoint
CREATE INDEX `import_rows_item_idx` ON `import_rows` (`import_id`,`item_id`);--> statement-breakpoint
CREATE TABLE `imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`upload_id` integer,
	`original_name` text NOT NULL,
	`department_id` integer,
	`mode` text NOT NULL,
	`status` text DEFAULT 'reading' NOT NULL,
	`created_by` text NOT NULL,
	`created_by_id` integer,
	`refusal_code` text,
	`refusal_message` text,
	`counts` text DEFAULT '{}' NOT NULL,
	`unknown_departments` text DEFAULT '[]' NOT NULL,
	`progress_rows` integer DEFAULT 0 NOT NULL,
	`submission_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`finished_at` text,
	FOREIGN KEY (`upload_id`) REFERENCES `uploads`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `imports_department_idx` ON `imports` (`department_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `submission_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`submission_id` integer NOT NULL,
	`item_id` integer,
	`kind` text NOT NULL,
	`proposal` text,
	`changes` text,
	`state` text DEFAULT 'submitted' NOT NULL,
	`row_version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`submission_id`) REFERENCES `submissions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `submission_items_submission_idx` ON `submission_items` (`submission_id`);--> statement-breakpoint
CREATE INDEX `submission_items_item_idx` ON `submission_items` (`item_id`);--> statement-breakpoint
CREATE TABLE `submissions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`department_id` integer NOT NULL,
	`source` text NOT NULL,
	`import_id` integer,
	`state` text DEFAULT 'submitted' NOT NULL,
	`created_by` text NOT NULL,
	`created_by_id` integer,
	`row_version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`import_id`) REFERENCES `imports`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `submissions_department_idx` ON `submissions` (`department_id`,`state`);--> statement-breakpoint
CREATE TABLE `uploads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sha256` text NOT NULL,
	`size` integer NOT NULL,
	`original_name` text NOT NULL,
	`format` text NOT NULL,
	`stored_path` text NOT NULL,
	`first_uploaded_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `uploads_sha256_uq` ON `uploads` (`sha256`);