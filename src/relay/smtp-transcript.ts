// The session as an admin reads it: "S: 250 ok", "C: MAIL FROM:<a@b>". Credentials and
// message bodies never enter it (the client writes placeholders instead).

/** Enough for a session's commands; a long drain keeps only its end, where failures are. */
export const TRANSCRIPT_LINES = 200;
/** A server can send a 64 KiB line; the admin's log needs its start only. */
const LINE_CHARS = 512;

export class Transcript {
	private lines: string[] = [];
	private dropped = 0;

	constructor(private readonly limit = TRANSCRIPT_LINES) {}

	server(line: string): void {
		this.add(`S: ${line}`);
	}

	client(line: string): void {
		this.add(`C: ${line}`);
	}

	/** What happened locally: connect, TLS, timeouts, lost connections. */
	note(line: string): void {
		this.add(`* ${line}`);
	}

	toArray(): string[] {
		return this.dropped > 0 ? [`* ${this.dropped} earlier lines dropped`, ...this.lines] : [...this.lines];
	}

	private add(line: string): void {
		this.lines.push(line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS)}…` : line);
		if (this.lines.length > this.limit) {
			this.lines.shift();
			this.dropped++;
		}
	}
}
