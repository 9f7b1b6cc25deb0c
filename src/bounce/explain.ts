// The human-readable part of a DSN. Most people who read it are not mail administrators:
// say what happened, whether they must act, and what to do, before any technical detail.
import type { Report, ReportRecipient } from "./dsn-input";
import { rfc5322Date } from "./encode";

const WIDTH = 72;
const INDENT = "    ";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Plain-text paragraphs wrapped at WIDTH; words longer than a line stay whole. */
function wrap(text: string, indent = ""): string[] {
	const lines: string[] = [];
	let current = "";
	for (const word of text.split(/\s+/).filter(Boolean)) {
		if (current && indent.length + current.length + 1 + word.length > WIDTH) {
			lines.push(indent + current);
			current = word;
		} else current = current ? `${current} ${word}` : word;
	}
	if (current) lines.push(indent + current);
	return lines;
}

function span(ms: number): string {
	if (ms < 90 * MINUTE) {
		const minutes = Math.max(1, Math.round(ms / MINUTE));
		return minutes === 1 ? "1 minute" : `${minutes} minutes`;
	}
	const hours = Math.round(ms / HOUR);
	return hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
}

const plural = (n: number, one: string, many: string): string => (n === 1 ? one : many);

/** RFC 3463 subject.detail codes a sender can do something about. */
function advice(status: string): string | null {
	const [, subject, detail] = status.split(".");
	switch (`${subject}.${detail}`) {
		case "1.1":
			return "The address does not exist: it may be misspelled or no longer in use. Please check it before you send your message again.";
		case "1.2":
		case "1.10":
			return "The recipient's domain does not accept mail. Please check the part of the address after the @.";
		case "2.1":
			return "The recipient's mailbox is disabled.";
		case "2.2":
			return "The recipient's mailbox is full. You could send your message again later.";
		case "2.3":
		case "3.4":
			return "Your message is larger than the recipient's server accepts. Send it again with smaller attachments, or share them as a link.";
	}
	if (subject === "7") return "The recipient's server did not accept it for security or policy reasons.";
	return null;
}

/** The recipients as an indented list, each followed by what its server said. */
function recipientList(recipients: ReportRecipient[]): string[] {
	const lines: string[] = [];
	for (const r of recipients) {
		if (lines.length > 0 && recipients.some((x) => x.diagnostic)) lines.push("");
		lines.push(INDENT + r.address);
		if (!r.diagnostic) continue;
		const who = r.diagnostic.smtp ? `${r.remoteHost ?? "The server"} said:` : "Reason:";
		lines.push(...wrap(`${who} ${r.diagnostic.text}`, INDENT));
	}
	return lines;
}

type Group = "refused" | "expired" | "delayed" | "delivered" | "relayed" | "expanded";
const ORDER: Group[] = ["refused", "expired", "delayed", "delivered", "relayed", "expanded"];

function groupOf(r: ReportRecipient): Group {
	if (r.action === "failed") return r.status.startsWith("5") ? "refused" : "expired";
	return r.action;
}

function paragraphs(group: Group, rs: ReportRecipient[], report: Report, yours: string): string[][] {
	const them = plural(rs.length, "the recipient below", "the recipients below");
	const list = recipientList(rs);
	const waited = span(report.date.getTime() - report.arrivalDate.getTime());
	switch (group) {
		case "refused": {
			const tips = [...new Set(rs.map((r) => advice(r.status)).filter((a) => a !== null))];
			return [
				wrap(`${yours} could not be delivered to ${them}. The recipient's mail server refused it, so we will not try again.`),
				list,
				...(tips.length > 0 ? tips : ["Please check the address, or reach the recipient another way."]).map((t) => wrap(t)),
			];
		}
		case "expired":
			return [
				wrap(
					`${yours} could not be delivered to ${them} within ${waited}, so we have given up. ` +
						"The recipient's mail server did not accept mail during that time.",
				),
				list,
				wrap("Your message was not delivered. Please send it again later, or reach the recipient another way."),
			];
		case "delayed": {
			// Recipients may be retried for different lengths of time: one promise per deadline.
			const byDeadline = Map.groupBy(rs, (r) => (r.willRetryUntil ? rfc5322Date(r.willRetryUntil) : ""));
			return [...byDeadline].flatMap(([until, group]) => [
				wrap(
					`${yours} has not been delivered yet to ${plural(group.length, "the recipient below", "the recipients below")}. ` +
						`We received it ${waited} ago, but the recipient's mail server is not accepting mail at the moment; ` +
						(until ? `we will keep trying until ${until}.` : "we will keep trying."),
				),
				recipientList(group),
				wrap("You do not need to resend it."),
			]);
		}
		case "delivered":
			return [wrap(`${yours} was delivered to ${them}.`), list];
		case "relayed":
			return [wrap(`${yours} was passed on to ${them}, whose mail system will not report on its delivery.`), list];
		case "expanded":
			return [wrap(`${yours} was delivered to ${them}, which passes it on to further recipients.`), list];
	}
}

/** The text/plain part, lines separated by LF. */
export function explain(report: Report): string {
	const yours = report.originalSubject ? `Your message "${report.originalSubject}"` : "Your message";
	const groups = Map.groupBy(report.recipients, groupOf);
	const blocks: string[][] = [wrap(`This is an automatically generated message from ${report.reportingHost}.`)];
	for (const group of ORDER) {
		const rs = groups.get(group);
		if (rs) blocks.push(...paragraphs(group, rs, report, yours));
	}
	blocks.push(
		wrap(
			report.originalHeaders.length > 0
				? "The technical report for your mail administrator is attached, with the headers of your message."
				: "The technical report for your mail administrator is attached.",
		),
	);
	return `${blocks.map((b) => b.join("\n")).join("\n\n")}\n`;
}
