-- A rename that does not also change name_key (the sqlite3 shell, any writer not in JS) leaves a stale key:
-- clear it, so the key is always either right or NULL (NULL keys are normalised on read and filled on the
-- next open by fillNameKeys). Pure SQL: an app-defined function here would break writes from the shell.
CREATE TRIGGER `items_name_key_stale` AFTER UPDATE OF `name` ON `items`
WHEN NEW.`name` IS NOT OLD.`name` AND NEW.`name_key` IS OLD.`name_key` AND NEW.`name_key` IS NOT NULL
BEGIN
  UPDATE `items` SET `name_key` = NULL WHERE `id` = NEW.`id`;
END;
