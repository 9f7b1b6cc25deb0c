// How a drain fills its connections: pure, so the ordering promise is unit-tested.

export interface Due {
	id: string;
	recipient: string;
}

/**
 * Splits due messages (oldest first, none of whose recipients is in flight) into at most
 * `slots` batches of at most `perBatch`. A recipient's messages all go into one batch, in
 * arrival order; once that batch is full the recipient's later mail waits for the next
 * round, never overtaking it on another connection. New recipients join the emptiest
 * batch, so two connections share the work even when only two people have mail.
 */
export function planBatches(due: Due[], slots: number, perBatch: number): string[][] {
	const batches: { ids: string[]; recipients: Set<string> }[] = [];
	const waiting = new Set<string>();
	for (const m of due) {
		if (waiting.has(m.recipient)) continue;
		let batch = batches.find((b) => b.recipients.has(m.recipient));
		if (!batch) {
			if (batches.length < slots) {
				batch = { ids: [], recipients: new Set() };
				batches.push(batch);
			} else {
				batch = batches.filter((b) => b.ids.length < perBatch).sort((a, b) => a.ids.length - b.ids.length)[0];
			}
		}
		if (!batch || batch.ids.length >= perBatch) {
			waiting.add(m.recipient);
			continue;
		}
		batch.ids.push(m.id);
		batch.recipients.add(m.recipient);
	}
	return batches.map((b) => b.ids).filter((ids) => ids.length > 0);
}
