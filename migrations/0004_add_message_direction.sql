DROP INDEX `messages_redelivery_uq`;--> statement-breakpoint
ALTER TABLE `messages` ADD `direction` text DEFAULT 'in' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `messages_redelivery_uq` ON `messages` (`domain_id`,`envelope_to`,`sha256`,`direction`);