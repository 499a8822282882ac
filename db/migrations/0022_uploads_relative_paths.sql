-- Data migration: the upload archive's paths become relative to the uploads folder
-- (<sha256[0..2]>/<sha256>.<format>), so a database restored or moved to another machine still finds its files.
UPDATE `uploads` SET `stored_path` = substr(`sha256`, 1, 2) || '/' || `sha256` || '.' || `format`
WHERE `stored_path` <> substr(`sha256`, 1, 2) || '/' || `sha256` || '.' || `format`;
