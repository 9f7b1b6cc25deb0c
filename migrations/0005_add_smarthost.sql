ALTER TABLE `domains` ADD `smarthost_host` text;--> statement-breakpoint
ALTER TABLE `domains` ADD `smarthost_port` integer;--> statement-breakpoint
ALTER TABLE `domains` ADD `smarthost_tls` text DEFAULT 'required' NOT NULL;--> statement-breakpoint
ALTER TABLE `domains` ADD `smarthost_auth_user` text;--> statement-breakpoint
ALTER TABLE `domains` ADD `smarthost_auth_secret` text;