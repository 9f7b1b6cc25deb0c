DROP INDEX `deliveries_due_idx`;--> statement-breakpoint
ALTER TABLE `deliveries` DROP COLUMN `next_attempt_at`;--> statement-breakpoint
ALTER TABLE `deliveries` DROP COLUMN `warnings_sent`;