-- Published versions are immutable in the database itself, not only in code.
-- A version row is never changed or removed.
CREATE TRIGGER catalogue_versions_no_update BEFORE UPDATE ON catalogue_versions
BEGIN
  SELECT RAISE(ABORT, 'published catalogue versions are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER catalogue_versions_no_delete BEFORE DELETE ON catalogue_versions
BEGIN
  SELECT RAISE(ABORT, 'published catalogue versions are immutable');
END;
--> statement-breakpoint
-- Item revisions are written only by a publish in progress (app_meta 'publishing' = the version being
-- published, set and cleared inside the publish transaction): new revisions start at that version,
-- and an open revision is closed at it. Nothing else about a revision ever changes; none is removed.
CREATE TRIGGER item_revisions_no_delete BEFORE DELETE ON item_revisions
BEGIN
  SELECT RAISE(ABORT, 'published item revisions are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER item_revisions_insert_only_when_publishing BEFORE INSERT ON item_revisions
WHEN NEW.from_version IS NOT (SELECT CAST(value AS INTEGER) FROM app_meta WHERE key = 'publishing') OR NEW.to_version IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'item revisions are written only by a publish');
END;
--> statement-breakpoint
CREATE TRIGGER item_revisions_close_only BEFORE UPDATE ON item_revisions
WHEN OLD.to_version IS NOT NULL
  OR NEW.to_version IS NOT (SELECT CAST(value AS INTEGER) FROM app_meta WHERE key = 'publishing')
  OR NEW.id IS NOT OLD.id OR NEW.code IS NOT OLD.code OR NEW.from_version IS NOT OLD.from_version
  OR NEW.name IS NOT OLD.name OR NEW.category IS NOT OLD.category OR NEW.department_code IS NOT OLD.department_code
  OR NEW.content IS NOT OLD.content OR NEW.content_hash IS NOT OLD.content_hash
BEGIN
  SELECT RAISE(ABORT, 'published item revisions are immutable');
END;
