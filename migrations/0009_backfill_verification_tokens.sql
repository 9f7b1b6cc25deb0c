-- Domains set up before ownership verification existed get their TXT token here, once, so
-- reading a domain's setup never has to write one.
UPDATE `domains` SET `verification_token` = lower(hex(randomblob(18))) WHERE `verification_token` IS NULL;
