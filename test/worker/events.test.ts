// The event builder every log entry goes through: id and time from the caller's clock, detail as JSON.
import { describe, expect, it } from "vitest";
import { event } from "../../src/db/events";

describe("event()", () => {
	it("fills id and createdAt from now and writes detail as JSON", () => {
		const now = Date.UTC(2026, 10, 27, 10, 0, 0);
		const row = event(now, { customerId: "c1", domainId: "d1", kind: "domain.down", detail: { error: "refused" } });
		expect(row).toMatchObject({ customerId: "c1", domainId: "d1", kind: "domain.down", detail: '{"error":"refused"}', createdAt: now });
		expect(row.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
		expect(event(now, { kind: "x" }).id > row.id).toBe(true);
	});

	it("leaves detail to the column's default when there is none", () => {
		expect("detail" in event(0, { kind: "auth.login", actorUserId: "u1", ip: null })).toBe(false);
	});
});
