CREATE TABLE `revision_facets` (
	`revision_id` integer PRIMARY KEY NOT NULL,
	`from_version` integer NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`category` text NOT NULL,
	`department_code` text NOT NULL,
	`department_name` text NOT NULL,
	`level` text,
	`parent_code` text,
	`has_basis` integer NOT NULL,
	`basis_titles` text NOT NULL,
	FOREIGN KEY (`revision_id`) REFERENCES `item_revisions`(`id`) ON UPDATE no action ON DELETE no action
);
