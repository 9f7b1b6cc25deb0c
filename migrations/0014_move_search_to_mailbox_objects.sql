-- The full-text index moves out of D1 into one Durable Object per mailbox
-- (src/domain/mailbox-index.ts, docs/decisions/sharding.md). The D1 index is derived data: every
-- entry can be made again from the message's body in R2, which the rebuild job does
-- (src/queue/reindex.ts, started by the row 0015 inserts). Until it has passed a mailbox, a
-- search there finds only mail held since the upgrade.
DROP TABLE IF EXISTS `messages_fts`;
