// The ingest floor for bench/scale.ts: a worker whose email() handler only reads the bytes,
// served by the same `wrangler dev` endpoint as ours, so the difference is our handler's work.
export default {
	async email(message: { raw: ReadableStream<Uint8Array> }): Promise<void> {
		await new Response(message.raw).arrayBuffer();
	},
};
