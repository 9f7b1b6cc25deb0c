CREATE TABLE `discovered_recipients` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`domain_id` text NOT NULL,
	`address` text NOT NULL,
	`outcome` text NOT NULL,
	`code` integer,
	`text` text,
	`checked_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`domain_id`) REFERENCES `domains`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discovered_domain_address_uq` ON `discovered_recipients` (`domain_id`,`address`);--> statement-breakpoint
CREATE INDEX `discovered_customer_idx` ON `discovered_recipients` (`customer_id`,`address`);--> statement-breakpoint
CREATE TABLE `group_members` (
	`group_id` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`group_id`, `user_id`),
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `group_members_user_idx` ON `group_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `groups` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`address` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `groups_address_uq` ON `groups` (`address`);--> statement-breakpoint
CREATE INDEX `groups_customer_idx` ON `groups` (`customer_id`,`address`);--> statement-breakpoint
CREATE TABLE `user_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`purpose` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `user_tokens_user_idx` ON `user_tokens` (`user_id`);--> statement-breakpoint
ALTER TABLE `customers` ADD `notify_users` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `domains` ADD `verification_token` text;--> statement-breakpoint
CREATE INDEX `messages_domain_received_idx` ON `messages` (`domain_id`,`received_at`);