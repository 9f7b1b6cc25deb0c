CREATE TABLE `domain_summaries` (
	`domain_id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`health` text NOT NULL,
	`health_since` integer NOT NULL,
	`last_error` text,
	`waiting` integer DEFAULT 0 NOT NULL,
	`inflight` integer DEFAULT 0 NOT NULL,
	`deferred` integer DEFAULT 0 NOT NULL,
	`delivered` integer DEFAULT 0 NOT NULL,
	`bounced` integer DEFAULT 0 NOT NULL,
	`storage_bytes` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`domain_id`) REFERENCES `domains`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `domain_summaries_customer_idx` ON `domain_summaries` (`customer_id`);