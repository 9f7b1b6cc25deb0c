// An instrument on the real R2 binding: every get() and head() goes through to it unchanged,
// and is written down (key, range asked for, bytes handed back) so a test can see how much
// of a body was read, and when. `before` runs ahead of each get, e.g. to look at a server.

export interface R2Read {
	key: string;
	range: { offset: number; length: number } | null;
	/** What the object body handed back, whichever way it was read. */
	bytes: number;
}

export interface CountingBucket {
	bucket: R2Bucket;
	gets: R2Read[];
	heads: string[];
	/** Bytes handed back by all gets so far. */
	bytesRead(): number;
}

export function countingBucket(target: R2Bucket, before?: (key: string) => Promise<void>): CountingBucket {
	const gets: R2Read[] = [];
	const heads: string[] = [];
	const get = async (key: string, options?: R2GetOptions) => {
		await before?.(key);
		const obj = await target.get(key, options);
		const range =
			options?.range && "offset" in options.range ? { offset: options.range.offset ?? 0, length: options.range.length ?? 0 } : null;
		const read: R2Read = { key, range, bytes: 0 };
		gets.push(read);
		if (!obj) return null;
		return new Proxy(obj, {
			get(body, prop) {
				if (prop === "arrayBuffer")
					return async () => {
						const buf = await body.arrayBuffer();
						read.bytes += buf.byteLength;
						return buf;
					};
				if (prop === "body")
					return body.body.pipeThrough(
						new TransformStream<Uint8Array, Uint8Array>({
							transform(chunk, controller) {
								read.bytes += chunk.byteLength;
								controller.enqueue(chunk);
							},
						}),
					);
				const value = Reflect.get(body, prop);
				return typeof value === "function" ? value.bind(body) : value;
			},
		});
	};
	const head = async (key: string) => {
		heads.push(key);
		return target.head(key);
	};
	const bucket = new Proxy(target, {
		get(bucket, prop) {
			if (prop === "get") return get;
			if (prop === "head") return head;
			const value = Reflect.get(bucket, prop);
			return typeof value === "function" ? value.bind(bucket) : value;
		},
	});
	return { bucket, gets, heads, bytesRead: () => gets.reduce((n, g) => n + g.bytes, 0) };
}
