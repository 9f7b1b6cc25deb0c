// CSV for spreadsheets and auditors (the activity log, reports). Values come from mail and
// from people (subjects, error texts, reasons), so a cell must never be read as a formula:
// a leading = + - @ tab or CR gets a ' in front (OWASP "CSV injection"), and every cell is quoted.

/** One formula-safe, quoted CSV cell; null and undefined are empty. */
export function csvCell(value: unknown): string {
	return `"${String(value ?? "")
		.replace(/^([=+\-@\t\r])/, "'$1")
		.replaceAll('"', '""')}"`;
}

/** Rows of cells as a CSV document: CRLF line ends (RFC 4180), a final line end included. */
export function csvDocument(rows: unknown[][]): string {
	return `${rows.map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

/** A Content-Disposition filename: letters, digits, dot, dash and underscore only. */
export const csvFilename = (name: string) => `${name.replace(/[^A-Za-z0-9._-]+/g, "_")}.csv`;
