-- Sign-in codes (issue #12): a company may let its users sign in with a one-time code mailed to
-- their alternate address (on by default), and a code counts the wrong tries made against it.
ALTER TABLE `customers` ADD `signin_codes` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `user_tokens` ADD `attempts` integer DEFAULT 0 NOT NULL;