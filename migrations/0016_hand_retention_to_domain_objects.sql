-- Each domain's object drops its delivered bodies when their retention ends (its alarm), so
-- the cron no longer scans every company's delivered mail. The bodies delivered before this
-- are handed to their objects once by src/queue/retention-handover.ts.
INSERT INTO `background_jobs` (`name`, `cursor`, `done`, `updated_at`) VALUES ('retention-handover', '', 0, 0) ON CONFLICT DO NOTHING;
