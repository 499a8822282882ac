CREATE TABLE `import_layouts` (
	`import_id` integer PRIMARY KEY NOT NULL,
	`sheets` text DEFAULT '[]' NOT NULL,
	`unrecognised` text DEFAULT '{}' NOT NULL,
	`mapping` text DEFAULT '{}' NOT NULL,
	`department_choices` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`import_id`) REFERENCES `imports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `upload_mappings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`scope` text NOT NULL,
	`header_key` text NOT NULL,
	`columns` text DEFAULT '{}' NOT NULL,
	`values` text DEFAULT '{}' NOT NULL,
	`updated_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `upload_mappings_scope_header_uq` ON `upload_mappings` (`scope`,`header_key`);