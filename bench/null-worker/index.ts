// The least an email() handler can do on this wrangler: read message.raw to the end and
// return. bench/ingest.ts runs it beside ours, on the same local Email Routing endpoint, so
// our msg/s reads as a fraction of what the endpoint itself allows at the same concurrency.
export default {
	async fetch(): Promise<Response> {
		return new Response("null worker");
	},
	async email(message: { raw: ReadableStream<Uint8Array> }): Promise<void> {
		const reader = message.raw.getReader();
		for (;;) if ((await reader.read()).done) return;
	},
};
