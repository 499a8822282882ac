-- Facets of the revisions published before the table existed, read once from their JSON.
INSERT INTO revision_facets (revision_id, from_version, code, name, category, department_code, department_name, level, parent_code, has_basis, basis_titles)
SELECT r.id, r.from_version, r.code, r.name, r.category, r.department_code,
       coalesce(json_extract(r.content, '$.department.name'), r.department_code),
       json_extract(r.content, '$.level'), json_extract(r.content, '$.parent.code'),
       EXISTS (SELECT 1 FROM json_each(r.content, '$.citations') c WHERE json_extract(c.value, '$.role') = 'setting'),
       coalesce((SELECT group_concat(json_extract(c.value, '$.title'), char(10)) FROM json_each(r.content, '$.citations') c), '')
  FROM item_revisions r ORDER BY r.id;
--> statement-breakpoint
-- Like the revisions they describe: written only by a publish in progress, never changed or removed.
CREATE TRIGGER revision_facets_no_update BEFORE UPDATE ON revision_facets
BEGIN
  SELECT RAISE(ABORT, 'published revision facets are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER revision_facets_no_delete BEFORE DELETE ON revision_facets
BEGIN
  SELECT RAISE(ABORT, 'published revision facets are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER revision_facets_insert_only_when_publishing BEFORE INSERT ON revision_facets
WHEN NEW.from_version IS NOT (SELECT CAST(value AS INTEGER) FROM app_meta WHERE key = 'publishing')
BEGIN
  SELECT RAISE(ABORT, 'revision facets are written only by a publish');
END;
