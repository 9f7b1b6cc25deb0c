// US-ASCII tests for protocol text: SMTP paths need SMTPUTF8 beyond it (RFC 6531), header
// and DSN fields need encoding beyond it (RFC 2047, RFC 6533).

/** Every character is US-ASCII (U+0000–U+007F). */
export const isAscii = (s: string): boolean => /^\p{ASCII}*$/u.test(s);
