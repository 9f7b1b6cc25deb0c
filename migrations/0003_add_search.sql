-- Full-text search over the Emergency Inbox (hand-written: drizzle-kit does not model FTS5).
-- `owner` holds one token naming the mailbox ("o" + hex of the user id), so every search is
-- `owner:<token> AND (…)` inside the index itself; the query also joins messages on user_id.
-- The body is indexed as text only (HTML stripped), at most 100 KB per message.
CREATE VIRTUAL TABLE `messages_fts` USING fts5(
	`owner`,
	`subject`,
	`addresses`,
	`body`,
	`message_id` UNINDEXED,
	tokenize = 'unicode61 remove_diacritics 2'
);
