ALTER TABLE `sessions` ADD `viewing_user_id` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `sessions` ADD `viewing_reason` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `viewing_can_act` integer DEFAULT false NOT NULL;