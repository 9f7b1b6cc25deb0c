/** RFC 5322 §3.3 date-time in UTC, e.g. "Fri, 27 Nov 2026 13:05:00 +0000". */
export const rfc5322Date = (d: Date): string => d.toUTCString().replace(/GMT$/, "+0000");
