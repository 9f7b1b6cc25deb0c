CREATE TABLE `background_jobs` (
	`name` text PRIMARY KEY NOT NULL,
	`cursor` text DEFAULT '' NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`finished_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
-- The search index's rebuild from R2 (migration 0014): every held message, once.
INSERT INTO `background_jobs` (`name`, `cursor`, `done`, `updated_at`) VALUES ('search-rebuild', '', 0, 0) ON CONFLICT DO NOTHING;
