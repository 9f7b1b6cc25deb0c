CREATE TABLE `aliases` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`user_id` text NOT NULL,
	`address` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `aliases_address_uq` ON `aliases` (`address`);--> statement-breakpoint
CREATE INDEX `aliases_user_idx` ON `aliases` (`user_id`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`partner_id` text,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `customers_partner_idx` ON `customers` (`partner_id`,`name`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`domain_id` text NOT NULL,
	`recipient` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`last_attempt_at` integer,
	`last_code` integer,
	`last_enhanced_code` text,
	`last_text` text,
	`warnings_sent` text DEFAULT '[]' NOT NULL,
	`delivered_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`domain_id`) REFERENCES `domains`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_message_rcpt_uq` ON `deliveries` (`message_id`,`recipient`);--> statement-breakpoint
CREATE INDEX `deliveries_due_idx` ON `deliveries` (`domain_id`,`state`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `domains` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`name` text NOT NULL,
	`display_name` text NOT NULL,
	`verified_at` integer,
	`delivery_host` text,
	`delivery_port` integer,
	`delivery_tls` text DEFAULT 'opportunistic' NOT NULL,
	`delivery_auth_user` text,
	`delivery_auth_secret` text,
	`unknown_recipients` text DEFAULT 'reject' NOT NULL,
	`max_message_bytes` integer DEFAULT 26214400 NOT NULL,
	`retry_schedule` text DEFAULT '[300,900,1800,3600]' NOT NULL,
	`delay_warnings` text DEFAULT '[14400,86400,259200]' NOT NULL,
	`lifetime_seconds` integer DEFAULT 2592000 NOT NULL,
	`retain_delivered_seconds` integer DEFAULT 0 NOT NULL,
	`retain_held_seconds` integer DEFAULT 2592000 NOT NULL,
	`held` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `domains_name_uq` ON `domains` (`name`);--> statement-breakpoint
CREATE INDEX `domains_customer_idx` ON `domains` (`customer_id`,`name`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text,
	`partner_id` text,
	`domain_id` text,
	`message_id` text,
	`actor_user_id` text,
	`kind` text NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL,
	`ip` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_customer_idx` ON `events` (`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `events_message_idx` ON `events` (`message_id`,`id`);--> statement-breakpoint
CREATE INDEX `events_kind_idx` ON `events` (`kind`,`id`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`domain_id` text NOT NULL,
	`user_id` text,
	`folder` text DEFAULT 'inbox' NOT NULL,
	`envelope_from` text NOT NULL,
	`envelope_to` text NOT NULL,
	`from_header` text DEFAULT '' NOT NULL,
	`to_header` text DEFAULT '' NOT NULL,
	`cc_header` text DEFAULT '' NOT NULL,
	`subject` text DEFAULT '' NOT NULL,
	`message_id_header` text,
	`sent_at` integer,
	`received_at` integer NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`r2_key` text,
	`has_attachments` integer DEFAULT false NOT NULL,
	`parse_error` text,
	`seen` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'received' NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`domain_id`) REFERENCES `domains`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_redelivery_uq` ON `messages` (`domain_id`,`envelope_to`,`sha256`);--> statement-breakpoint
CREATE INDEX `messages_mailbox_idx` ON `messages` (`user_id`,`folder`,`id`);--> statement-breakpoint
CREATE INDEX `messages_status_idx` ON `messages` (`status`,`received_at`);--> statement-breakpoint
CREATE TABLE `partners` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	`ip` text,
	`user_agent` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text,
	`partner_id` text,
	`email` text NOT NULL,
	`display_name` text DEFAULT '' NOT NULL,
	`role` text DEFAULT 'user' NOT NULL,
	`password_hash` text,
	`alternate_email` text,
	`disabled_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_uq` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_customer_idx` ON `users` (`customer_id`,`email`);