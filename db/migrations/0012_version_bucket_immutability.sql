-- Bucket hashes are written only by a publish in progress and never changed or removed.
CREATE TRIGGER version_buckets_no_update BEFORE UPDATE ON version_buckets
BEGIN
  SELECT RAISE(ABORT, 'published version buckets are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER version_buckets_no_delete BEFORE DELETE ON version_buckets
BEGIN
  SELECT RAISE(ABORT, 'published version buckets are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER version_buckets_insert_only_when_publishing BEFORE INSERT ON version_buckets
WHEN NEW.version IS NOT (SELECT CAST(value AS INTEGER) FROM app_meta WHERE key = 'publishing')
BEGIN
  SELECT RAISE(ABORT, 'version buckets are written only by a publish');
END;
--> statement-breakpoint
-- A revision's bucket is part of what may never change once published.
DROP TRIGGER item_revisions_close_only;
--> statement-breakpoint
CREATE TRIGGER item_revisions_close_only BEFORE UPDATE ON item_revisions
WHEN OLD.to_version IS NOT NULL
  OR NEW.to_version IS NOT (SELECT CAST(value AS INTEGER) FROM app_meta WHERE key = 'publishing')
  OR NEW.id IS NOT OLD.id OR NEW.code IS NOT OLD.code OR NEW.from_version IS NOT OLD.from_version
  OR NEW.name IS NOT OLD.name OR NEW.category IS NOT OLD.category OR NEW.department_code IS NOT OLD.department_code
  OR NEW.bucket IS NOT OLD.bucket OR NEW.content IS NOT OLD.content OR NEW.content_hash IS NOT OLD.content_hash
BEGIN
  SELECT RAISE(ABORT, 'published item revisions are immutable');
END;
