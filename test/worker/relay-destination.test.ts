import { describe, expect, it } from "vitest";
import { checkDestination } from "../../src/relay/destination";

const prod = (host: string, port = 2525) => checkDestination({ host, port }, "production");

describe("checkDestination in production", () => {
	it("allows a public name or address on a non-25 port", () => {
		expect(prod("mail.customer.example")).toBeNull();
		expect(prod("mail.customer.example", 587)).toBeNull();
		expect(prod("203.0.113.10")).toBeNull();
		expect(prod("2001:db8::25")).toBeNull();
		expect(prod("[2001:db8::25]")).toBeNull();
	});

	it("refuses port 25, saying why and what to do instead", () => {
		const why = prod("mail.customer.example", 25);
		expect(why).toContain("Cloudflare blocks outbound connections to port 25");
		expect(why).toContain("2525");
		expect(why).toContain("587 with AUTH");
	});

	it.each([
		["127.0.0.1", "loopback"],
		["127.8.9.10", "loopback"],
		["localhost", "loopback"],
		["mx.localhost", "loopback"],
		["LOCALHOST.", "loopback"],
		["::1", "loopback"],
		["[::1]", "loopback"],
		["10.1.2.3", "private"],
		["172.16.0.1", "private"],
		["172.31.255.255", "private"],
		["192.168.1.1", "private"],
		["100.64.0.1", "carrier-grade NAT"],
		["fd00::1", "private"],
		["fc00::1", "private"],
		["169.254.169.254", "link-local"],
		["169.254.1.1", "link-local"],
		["fe80::1", "link-local"],
		["0.0.0.0", "unspecified"],
		["::", "unspecified"],
		["metadata.google.internal", "metadata"],
		["metadata", "metadata"],
		["db.corp.internal", "internal"],
		["mailhost", "fully qualified"],
		// Other spellings of the same addresses, as a resolver would read them.
		["127.1", "loopback"],
		["2130706433", "loopback"],
		["0x7f000001", "loopback"],
		["0251.0376.0251.0376", "link-local"],
		["::ffff:127.0.0.1", "loopback"],
		["::ffff:169.254.169.254", "link-local"],
		["64:ff9b::a9fe:a9fe", "link-local"],
		["2002:7f00:1::", "loopback"],
		["224.0.0.1", "multicast"],
	])("refuses %s (%s)", (host, kind) => {
		const why = prod(host);
		expect(why).not.toBeNull();
		expect(why).toContain(kind);
	});

	it("does not refuse public lookalikes", () => {
		expect(prod("172.32.0.1")).toBeNull();
		expect(prod("100.128.0.1")).toBeNull();
		expect(prod("localhost.example.com")).toBeNull();
		expect(prod("internal.example.com")).toBeNull();
	});
});

describe("checkDestination everywhere", () => {
	it.each(["production", "local", "test"])("refuses invalid ports and hosts in %s", (environment) => {
		for (const port of [0, -1, 65536, 2.5, Number.NaN]) {
			expect(checkDestination({ host: "mail.customer.example", port }, environment)).toContain("not a valid TCP port");
		}
		for (const host of ["", " ", "mail customer.example", "a/b", "user@host", "mail.example\r\nRSET"]) {
			expect(checkDestination({ host, port: 2525 }, environment)).toContain("not a valid host");
		}
	});
});

describe("checkDestination in local and test", () => {
	it.each(["local", "test"])("allows loopback, private and port 25 in %s", (environment) => {
		expect(checkDestination({ host: "127.0.0.1", port: 25 }, environment)).toBeNull();
		expect(checkDestination({ host: "localhost", port: 2525 }, environment)).toBeNull();
		expect(checkDestination({ host: "::1", port: 1025 }, environment)).toBeNull();
		expect(checkDestination({ host: "169.254.169.254", port: 2525 }, environment)).toBeNull();
	});
});
