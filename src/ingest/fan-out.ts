// Mail to a group address: one stored copy per enabled member, each with the member's own
// address as its envelope recipient and the member as its mailbox, so every member sees it in
// their Emergency Inbox during an outage and gets exactly one copy delivered downstream. The
// copies share the redelivery key of mail sent to the member directly (domain, recipient,
// bytes), so someone addressed both ways gets one. docs/decisions/groups.md says why.

import { putRaw } from "../bodies/store";
import { batchAtomically, openDb } from "../db/client";
import type { DomainRow } from "../db/domains";
import { findRedeliveries, isFinal, receivedStatement } from "../db/messages";
import type { GroupMember } from "../db/recipients";
import type { MessageStatus } from "../db/schema";
import type { Searchable } from "../domain/domain-relay";
import { indexEntry } from "../domain/mailbox-index";
import type { Clock } from "../lib/clock";
import { newId } from "../lib/ids";
import { summarize } from "../mail/parse";
import { handOverMany } from "./hand-over";
import { type ReceiveResult, receivedColumns } from "./received";

interface Stored {
	id: string;
	domainId: string;
	envelopeTo: string;
	receivedAt: number;
	/** Of a copy stored before: where it stands (a copy done with is not handed over again). */
	status?: MessageStatus;
	/** A copy stored by this call: its search entry, for its domain's object to index if held. */
	search?: Searchable;
}

export interface GroupDelivery {
	from: string;
	/** The group's own domain: its customer owns every copy. */
	domain: DomainRow;
	groupAddress: string;
	/** At least one. */
	members: GroupMember[];
	raw: Uint8Array;
	sha256: string;
}

/**
 * Stores one copy per member in R2 and then in ONE D1 batch, and hands them to their domains'
 * objects, before returning. Copies already stored (a redelivery, or the member reached directly
 * with the same bytes) are not stored again. Any failure throws and leaves no copy of this
 * attempt visible: the sender retries and the retry stores what is missing.
 */
export async function storeForGroup(env: Env, clock: Clock, input: GroupDelivery): Promise<ReceiveResult> {
	const db = openDb(env.DB);
	const { domain, members, raw, sha256 } = input;
	const keys = members.map((m) => ({ domainId: m.domainId, envelopeTo: m.email }));
	const before = await findRedeliveries(db, sha256, keys);
	const have = new Set(before.map(keyOf));
	const todo = members.filter((m) => !have.has(keyOf({ domainId: m.domainId, envelopeTo: m.email })));
	if (todo.length === 0) return settle(env, input, before, "duplicate");

	const now = clock.now();
	const summary = await summarize(raw);
	const ids = todo.map(() => newId(now));
	// One R2 object per copy: each copy is delivered, and its body dropped, on its own.
	const puts = await Promise.allSettled(ids.map((id) => putRaw(env.MAIL, domain.customerId, id, raw, sha256)));
	const written = puts.flatMap((p) => (p.status === "fulfilled" ? [p.value] : []));
	const failed = puts.find((p): p is PromiseRejectedResult => p.status === "rejected");
	if (failed) {
		await env.MAIL.delete(written);
		throw failed.reason;
	}

	const columns = receivedColumns(input.from, summary, raw, sha256, now);
	const rows: Stored[] = todo.map((m, i) => {
		const id = ids[i] as string;
		return {
			id,
			domainId: m.domainId,
			envelopeTo: m.email,
			receivedAt: now,
			search: { userId: m.userId, entry: indexEntry(id, columns, summary.bodyText) },
		};
	});
	const statements = todo.map((m, i) =>
		receivedStatement(db, {
			...columns,
			id: ids[i] as string,
			customerId: domain.customerId,
			domainId: m.domainId,
			userId: m.userId,
			envelopeTo: m.email,
			r2Key: written[i] as string,
		}),
	);
	try {
		await batchAtomically(db, statements);
	} catch (err) {
		// Did the batch commit even though we saw an error? As for a single message: ask before
		// removing the bodies; if this lookup fails too, the objects stay as invisible orphans.
		const after = await findRedeliveries(db, sha256, keys);
		const ours = new Set(ids);
		if (!after.some((r) => ours.has(r.id))) {
			await env.MAIL.delete(written);
			// A concurrent delivery of the same message may have stored every copy meanwhile.
			if (after.length < members.length) throw err;
			return settle(env, input, after, "duplicate");
		}
	}
	return settle(env, input, [...before, ...rows], "stored");
}

async function settle(env: Env, input: GroupDelivery, stored: Stored[], outcome: "stored" | "duplicate"): Promise<ReceiveResult> {
	const domainNames = new Map(input.members.map((m) => [m.domainId, m.domainName]));
	await handOverMany(
		env,
		stored
			.filter((r) => !(r.status && isFinal(r.status)))
			.map((r) => ({
				domainName: domainNames.get(r.domainId) as string,
				message: {
					id: r.id,
					receivedAt: r.receivedAt,
					recipient: r.envelopeTo,
					group: input.groupAddress,
					...(r.search ? { search: r.search } : {}),
				},
			})),
	);
	const messageIds = stored.map((r) => r.id);
	// At least one: every group delivery has a member.
	return { outcome, messageId: messageIds[0] as string, messageIds };
}

function keyOf(k: { domainId: string; envelopeTo: string }): string {
	return `${k.domainId} ${k.envelopeTo}`;
}
