-- Administrators must use a second factor unless their company turns it off (issue #12);
-- partners and operators always must (src/db/sessions.ts, mustEnrol).
ALTER TABLE `customers` ADD `require_admin_second_factor` integer DEFAULT true NOT NULL;