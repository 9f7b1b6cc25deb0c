-- The activity log is append-only: the audit trail of who did what (inbox access with its
-- reason, setting changes, sign-ins) cannot be edited or erased through the database either.
CREATE TRIGGER `events_no_update` BEFORE UPDATE ON `events`
BEGIN
	SELECT RAISE(ABORT, 'events are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `events_no_delete` BEFORE DELETE ON `events`
BEGIN
	SELECT RAISE(ABORT, 'events are append-only');
END;
