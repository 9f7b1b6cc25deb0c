// npm run dns -- list | set NAME TYPE VALUE… | add NAME TYPE VALUE | delete NAME [TYPE]
// Edits the DNS that `npm start`'s local resolver serves (.state/dns.json, or STATE_DIR/dns.json),
// so the domain setup flow (TXT verification, MX check) works with no Internet. The resolver
// reads the file on every query: changes count at once, no restart.
import { join } from "node:path";
import { canonicalName, isRecordType, readZone, setRecords, writeZone } from "./lib/fake-doh";
import { ROOT } from "./lib/local-service";

const file = join(process.env.STATE_DIR || join(ROOT, ".state"), "dns.json");
const usage = `usage: npm run dns -- list
       npm run dns -- set NAME TYPE VALUE [VALUE…]   (replaces NAME's TYPE records)
       npm run dns -- add NAME TYPE VALUE
       npm run dns -- delete NAME [TYPE]
TYPE is A, AAAA, CNAME, MX or TXT; an MX value is "PREFERENCE HOST", e.g. "10 route1.mx.cloudflare.net."
Example: npm run dns -- set _emergency-inbox.newco.test TXT emergency-inbox-verification=…`;

function fail(message: string): never {
	console.error(`${message}\n${usage}`);
	process.exit(2);
}

function print(): void {
	const zone = readZone(file);
	const names = Object.keys(zone).sort();
	if (names.length === 0) console.log(`(no records in ${file})`);
	for (const name of names)
		for (const [type, values] of Object.entries(zone[name] ?? {})) for (const v of values ?? []) console.log(`${name}\t${type}\t${v}`);
}

const [command, name, rawType, ...values] = process.argv.slice(2);
const type = rawType?.toUpperCase();
if (command === "list") print();
else if (command === "set" || command === "add") {
	if (!name || !type || values.length === 0) fail(`${command} needs NAME TYPE VALUE`);
	if (!isRecordType(type)) fail(`unknown record type ${rawType}`);
	if (command === "add" && values.length !== 1) fail("add takes one value (quote it if it has spaces)");
	const zone = readZone(file);
	const current = command === "add" ? (zone[canonicalName(name)]?.[type] ?? []) : [];
	writeZone(file, setRecords(zone, name, type, [...current, ...values]));
	print();
} else if (command === "delete") {
	if (!name) fail("delete needs NAME");
	if (type && !isRecordType(type)) fail(`unknown record type ${rawType}`);
	let zone = readZone(file);
	const types = type && isRecordType(type) ? [type] : Object.keys(zone[canonicalName(name)] ?? {}).filter(isRecordType);
	for (const t of types) zone = setRecords(zone, name, t, []);
	writeZone(file, zone);
	print();
} else fail(command ? `unknown command ${command}` : "no command");
