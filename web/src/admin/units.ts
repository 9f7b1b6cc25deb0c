// The API counts in seconds and bytes; people think in minutes, hours, days and megabytes.
// The forms show and accept those, and convert on the way in and out.

export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86_400;
export const MB = 1024 * 1024;

/** Up to two decimals, no trailing zeros: 90 s is "1.5" minutes, 300 s is "5". */
export function inUnit(value: number, unit: number): string {
	return String(Number((value / unit).toFixed(2)));
}

export const listInUnit = (values: number[], unit: number): string => values.map((v) => inUnit(v, unit)).join(", ");

/** A form entry the API never sees: it did not parse, so the field's label says what is wrong. */
export class EntryError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = "EntryError";
	}
}

function toNumber(text: string, field: string, label: string): number {
	const n = Number(text.trim().replace(",", "."));
	if (text.trim() === "" || !Number.isFinite(n)) throw new EntryError(field, `${label}: enter a number.`);
	return n;
}

/** A number in `unit`, as whole API units (seconds, bytes): the API accepts integers only. */
export function fromUnit(text: string, unit: number, field: string, label: string): number {
	return Math.round(toNumber(text, field, label) * unit);
}

/** "5, 15, 30, 60" (or spaces, or semicolons) in `unit`, as whole API units. */
export function listFromUnit(text: string, unit: number, field: string, label: string): number[] {
	const parts = text.split(/[\s,;]+/).filter(Boolean);
	if (parts.length === 0) throw new EntryError(field, `${label}: enter at least one number.`);
	return parts.map((p) => {
		const n = Number(p);
		if (!Number.isFinite(n)) throw new EntryError(field, `${label}: “${p}” is not a number. Separate numbers with commas.`);
		return Math.round(n * unit);
	});
}

export const wholeNumber = (text: string, field: string, label: string): number => toNumber(text, field, label);
