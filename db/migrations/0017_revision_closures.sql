-- A revision is closed by adding a row to a small table instead of rewriting the revision: a publish of
-- ten thousand changes no longer rewrites ten thousand pages of the large revisions table (and moves
-- ten thousand entries of its open-revisions index). Revisions become append-only.
CREATE TABLE `revision_closures` (
	`revision_id` integer PRIMARY KEY NOT NULL,
	`to_version` integer NOT NULL,
	FOREIGN KEY (`revision_id`) REFERENCES `item_revisions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `revision_closures` (`revision_id`, `to_version`) SELECT `id`, `to_version` FROM `item_revisions` WHERE `to_version` IS NOT NULL ORDER BY `id`;
--> statement-breakpoint
CREATE INDEX `revision_closures_to_idx` ON `revision_closures` (`to_version`);--> statement-breakpoint
DROP INDEX `item_revisions_open_idx`;--> statement-breakpoint
DROP TRIGGER `item_revisions_closed_only_by_publish`;--> statement-breakpoint
ALTER TABLE `item_revisions` DROP COLUMN `to_version`;--> statement-breakpoint
CREATE INDEX `item_revisions_bucket_idx` ON `item_revisions` (`bucket`,`code`,`from_version`,`content_hash`);--> statement-breakpoint
CREATE TRIGGER item_revisions_no_update BEFORE UPDATE ON item_revisions
BEGIN
  SELECT RAISE(ABORT, 'published item revisions are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER revision_closures_no_update BEFORE UPDATE ON revision_closures
BEGIN
  SELECT RAISE(ABORT, 'published revision closures are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER revision_closures_no_delete BEFORE DELETE ON revision_closures
BEGIN
  SELECT RAISE(ABORT, 'published revision closures are immutable');
END;
--> statement-breakpoint
-- Lifted by a publish inside its own transaction, like the others of migration 0016.
CREATE TRIGGER revision_closures_written_only_by_publish BEFORE INSERT ON revision_closures
BEGIN
  SELECT RAISE(ABORT, 'revision closures are written only by a publish');
END;
--> statement-breakpoint
-- Each revision with the version that closed it (null while open): what the readers of versions query.
CREATE VIEW revision_spans AS
SELECT r.id, r.code, r.from_version, c.to_version, r.name, r.category, r.department_code, r.bucket, r.content, r.content_hash
  FROM item_revisions r LEFT JOIN revision_closures c ON c.revision_id = r.id;
