CREATE TABLE `notices` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`recipient` text NOT NULL,
	`kind` text NOT NULL,
	`mark` integer DEFAULT 0 NOT NULL,
	`sent_at` integer,
	`skipped` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notices_once_uq` ON `notices` (`message_id`,`recipient`,`kind`,`mark`);--> statement-breakpoint
DROP INDEX `messages_mailbox_idx`;--> statement-breakpoint
ALTER TABLE `messages` ADD `held_at` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `delivered_at` integer;--> statement-breakpoint
CREATE INDEX `messages_held_mailbox_idx` ON `messages` (`user_id`,`folder`,`id`) WHERE "messages"."held_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `messages_retention_idx` ON `messages` (`delivered_at`) WHERE "messages"."r2_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `messages_domain_status_idx` ON `messages` (`domain_id`,`status`);--> statement-breakpoint
ALTER TABLE `domains` ADD `failures_to_down` integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE `domains` ADD `probes_to_up` integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE `domains` ADD `drain_connections` integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE `domains` ADD `messages_per_connection` integer DEFAULT 20 NOT NULL;