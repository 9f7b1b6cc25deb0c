-- A second factor per user (issue #12): an authenticator app's TOTP secret, sealed; its recovery
-- codes and the short-lived challenge between password and code are user_tokens.
CREATE TABLE `second_factors` (
	`user_id` text PRIMARY KEY NOT NULL,
	`totp_secret` text,
	`pending_secret` text,
	`enabled_at` integer,
	`last_step` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
