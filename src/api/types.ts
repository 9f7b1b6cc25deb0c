// The API's wire format: what the worker sends and the SPA (web/src/api.ts) and tests read.
// One definition, so a change here fails the typecheck on both sides.
import type { MessageStatus, Role } from "../db/schema";

export type { MessageStatus, Role };

export interface User {
	id: string;
	email: string;
	displayName: string;
	role: Role;
}

export interface MessageSummary {
	id: string;
	from: string;
	to: string;
	subject: string;
	/** The Date: header as ISO, when it parsed. */
	date: string | null;
	receivedAt: string;
	size: number;
	hasAttachments: boolean;
	seen: boolean;
	status: MessageStatus;
	parseError: boolean;
}

export interface MessagePage {
	messages: MessageSummary[];
	nextCursor: string | null;
}

export interface MessageHeaders {
	from: string;
	to: string;
	cc: string;
	replyTo: string;
	subject: string;
	/** ISO when it parses, otherwise the raw header value. */
	date: string | null;
	messageId: string | null;
	inReplyTo: string | null;
	references: string | null;
}

export interface Attachment {
	index: number;
	filename: string | null;
	contentType: string;
	disposition: string | null;
	contentId: string | null;
	size: number;
}

export interface MessageDetail {
	id: string;
	status: MessageStatus;
	receivedAt: string;
	size: number;
	envelope: { from: string; to: string };
	parseError: string | null;
	headers: MessageHeaders | null;
	text: string | null;
	/** Sanitised by the worker; still only ever shown in a sandboxed frame. */
	html: string | null;
	attachments: Attachment[];
}
