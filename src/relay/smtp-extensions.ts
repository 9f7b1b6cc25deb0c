// What the server's EHLO reply offers (RFC 5321 §4.1.1.1), reduced to what the client uses.
import type { Reply } from "./smtp-reply";

export interface Extensions {
	/** False after a HELO fallback: no ESMTP, so no parameters on MAIL FROM at all. */
	esmtp: boolean;
	pipelining: boolean;
	starttls: boolean;
	eightBitMime: boolean;
	smtpUtf8: boolean;
	/** RFC 1870 SIZE limit in bytes; null when not advertised or advertised without a limit. */
	sizeLimit: number | null;
	/** Whether SIZE is advertised at all (then MAIL FROM carries SIZE=n). */
	size: boolean;
	/** AUTH mechanisms, upper case. */
	auth: string[];
}

export const NO_EXTENSIONS: Extensions = {
	esmtp: false,
	pipelining: false,
	starttls: false,
	eightBitMime: false,
	smtpUtf8: false,
	sizeLimit: null,
	size: false,
	auth: [],
};

/** The first line of an EHLO reply is the server's greeting; each later line one keyword. */
export function parseExtensions(reply: Reply): Extensions {
	const ext: Extensions = { ...NO_EXTENSIONS, esmtp: true, auth: [] };
	for (const line of reply.lines.slice(1)) {
		// "AUTH=PLAIN LOGIN" is the pre-RFC 4954 spelling some servers still send.
		const [keyword = "", ...params] = line.trim().split(/[\s=]+/);
		switch (keyword.toUpperCase()) {
			case "PIPELINING":
				ext.pipelining = true;
				break;
			case "STARTTLS":
				ext.starttls = true;
				break;
			case "8BITMIME":
				ext.eightBitMime = true;
				break;
			case "SMTPUTF8":
				ext.smtpUtf8 = true;
				break;
			case "SIZE": {
				ext.size = true;
				const limit = Number(params[0]);
				ext.sizeLimit = Number.isSafeInteger(limit) && limit > 0 ? limit : null;
				break;
			}
			case "AUTH":
				for (const mech of params) if (!ext.auth.includes(mech.toUpperCase())) ext.auth.push(mech.toUpperCase());
				break;
		}
	}
	return ext;
}
