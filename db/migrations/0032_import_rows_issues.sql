-- The staged rows' errors and warnings in file order, with where each is: the report reads them from this
-- index alone, without the rows' proposals.
CREATE INDEX `import_rows_issues_idx` ON `import_rows` (`import_id`,`id`,`sheet`,`row_number`,`errors`,`warnings`) WHERE "import_rows"."errors" IS NOT NULL OR "import_rows"."warnings" IS NOT NULL;
