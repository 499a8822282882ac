-- Data: instruments a person changed before edits were tracked (an instrument.update in the audit log)
-- are marked as edited, so an upgrade of the shipped registry leaves them alone.
UPDATE `legal_instruments`
   SET `edited_at` = (SELECT max(a.`at`) FROM `audit_log` a
                       WHERE a.`action` = 'instrument.update' AND a.`entity_type` = 'legal_instrument'
                         AND a.`entity_id` = CAST(`legal_instruments`.`id` AS TEXT)),
       `edited_by` = (SELECT a.`actor` FROM `audit_log` a
                       WHERE a.`action` = 'instrument.update' AND a.`entity_type` = 'legal_instrument'
                         AND a.`entity_id` = CAST(`legal_instruments`.`id` AS TEXT)
                       ORDER BY a.`seq` DESC LIMIT 1)
 WHERE `id` IN (SELECT CAST(`entity_id` AS INTEGER) FROM `audit_log`
                 WHERE `action` = 'instrument.update' AND `entity_type` = 'legal_instrument');
