// Whether a message may be answered with a DSN at all. Two mail systems that bounce each
// other's bounces loop forever; the hard rules below are what keep every MTA out of that.
//
// Not checked, on purpose: `Precedence: bulk|list|junk`. RFC 3834 §2 asks automatic
// *responders* (vacation replies) to stay quiet for those, but DSNs are not responses in
// its sense: a list's envelope sender is its bounce processor (often VERP), which needs
// our failure reports to unsubscribe dead addresses.
import { type HeaderField, parseHeaderFields } from "./headers";

export { headerBlock } from "./headers";

export type NotifyVerdict = { ok: true } | { ok: false; reason: string };

/** Report types whose messages are themselves delivery reports (RFC 3464, RFC 6533). */
const DSN_REPORT_TYPES = new Set(["delivery-status", "global-delivery-status"]);

/** Local parts that mail systems send their own reports from (RFC 5321 §4.5.1, RFC 2142). */
const MAIL_SYSTEM_SENDERS = new Set(["mailer-daemon", "postmaster"]);

/** RFC 5322 §3.2.2 comments, non-nested is enough for the short fields read here. */
const stripComments = (value: string): string => value.replace(/\([^()]*\)/g, " ").trim();

const fieldValues = (fields: HeaderField[], name: string): string[] => fields.filter((f) => f.name === name).map((f) => f.value);

function isNullSender(envelopeFrom: string): boolean {
	const value = envelopeFrom.trim();
	return value === "" || /^<\s*>$/.test(value);
}

function contentType(value: string): { type: string; reportType: string | null } {
	const type = (value.split(";")[0] ?? "").trim().toLowerCase();
	const m = /;\s*report-type\s*=\s*"?([^";\s]*)/i.exec(value);
	return { type, reportType: m?.[1]?.toLowerCase() ?? null };
}

function fromMailSystem(fields: HeaderField[]): boolean {
	return fieldValues(fields, "from").some((value) => {
		const address = (/<([^<>]*)>/.exec(value)?.[1] ?? stripComments(value)).trim();
		const at = address.lastIndexOf("@");
		return MAIL_SYSTEM_SENDERS.has((at === -1 ? address : address.slice(0, at)).toLowerCase());
	});
}

/** Whether a DSN may be sent to `envelopeFrom` about the message with these headers. */
export function mayNotify(envelopeFrom: string, originalHeaders: string): NotifyVerdict {
	// RFC 5321 §4.5.5 and §6.1, RFC 3464 §2: the null reverse-path never gets a DSN.
	if (isNullSender(envelopeFrom)) return { ok: false, reason: "null reverse-path <>" };

	const fields = parseHeaderFields(originalHeaders);

	// RFC 3834 §2 and §5: anything but "no" marks automatic mail, which must not be answered
	// automatically. Keywords may carry parameters (RFC 5436: "auto-notified; owner-email=...").
	for (const value of fieldValues(fields, "auto-submitted")) {
		const keyword = (stripComments(value).split(";")[0] ?? "").trim().toLowerCase();
		if (keyword !== "no") return { ok: false, reason: `Auto-Submitted: ${keyword || "(empty)"}` };
	}

	// RFC 3464 §2: a DSN is never issued for a DSN. Old MTAs omit Auto-Submitted, so the
	// structure is what gives them away.
	for (const value of fieldValues(fields, "content-type")) {
		const { type, reportType } = contentType(value);
		if (type !== "multipart/report") continue;
		if (reportType !== null && DSN_REPORT_TYPES.has(reportType))
			return { ok: false, reason: "the message is a delivery status notification" };
		if (fromMailSystem(fields)) return { ok: false, reason: "the message is a report from a mail system" };
	}

	return { ok: true };
}
