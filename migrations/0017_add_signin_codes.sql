ALTER TABLE `customers` ADD `signin_codes` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `user_tokens` ADD `attempts` integer DEFAULT 0 NOT NULL;