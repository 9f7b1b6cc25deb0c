// Every API error is RFC 9457 problem+json: a machine-readable `type`, a human `title`,
// and a `detail` that says what to do about it. docs/error-codes.md lists them.

import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface ProblemBody {
	type: string;
	title: string;
	status: number;
	detail?: string;
}

export function problemResponse(status: ContentfulStatusCode, title: string, detail?: string, headers?: HeadersInit): Response {
	const body: ProblemBody = { type: `https://emergency-inbox.dev/problems/${slug(title)}`, title, status, detail };
	const res = new Response(JSON.stringify(body), { status, headers });
	res.headers.set("Content-Type", "application/problem+json");
	return res;
}

/** Throw from a handler; app.onError turns it into the response. */
export function problem(status: ContentfulStatusCode, title: string, detail?: string, headers?: HeadersInit): HTTPException {
	return new HTTPException(status, { res: problemResponse(status, title, detail, headers), message: title });
}

const slug = (s: string) =>
	s
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, "-")
		.replace(/^-|-$/g, "");
