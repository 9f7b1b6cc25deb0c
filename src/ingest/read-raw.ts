export class TooLargeError extends Error {}

/**
 * Reads the whole message into memory, stopping as soon as it passes `limit` so an
 * oversized (or lying `rawSize`) message cannot exhaust the isolate's 128 MB.
 */
export async function readRaw(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
	const chunks: Uint8Array[] = [];
	let total = 0;
	const reader = stream.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > limit) {
			await reader.cancel();
			throw new TooLargeError(`message exceeds ${limit} bytes`);
		}
		chunks.push(value);
	}
	const raw = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		raw.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return raw;
}
