// Where `wrangler dev --persist-to <stateDir>` keeps a Durable Object's SQLite: miniflare puts each
// class under <stateDir>/v3/do/<script name>-<class name>/ and names each object's file by its
// id in hex (<64 hex>.sqlite). The id of idFromName(name) is a keyed hash workerd computes, so
// rather than recompute it we let the service create the object (one call to it) and then find
// the object's file: the one .sqlite in that folder that was not there before.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** The folder of a Durable Object class's persisted objects. */
export function durableObjectDir(stateDir: string, scriptName: string, className: string): string {
	return join(stateDir, "v3", "do", `${scriptName}-${className}`);
}

/** The object files (<64 hex>.sqlite) in that folder now; none when it does not exist yet. */
export function durableObjectFiles(stateDir: string, scriptName: string, className: string): string[] {
	const dir = durableObjectDir(stateDir, scriptName, className);
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((f) => /^[0-9a-f]{64}\.sqlite$/.test(f))
		.map((f) => join(dir, f));
}

/**
 * The SQLite file of the one object of `className` created since `before` was listed (by
 * durableObjectFiles); throws unless exactly one is new. Read or write it only while no
 * workerd has it open (stop `wrangler dev` first).
 */
export function newDurableObjectFile(stateDir: string, scriptName: string, className: string, before: string[]): string {
	const added = durableObjectFiles(stateDir, scriptName, className).filter((f) => !before.includes(f));
	if (added.length !== 1)
		throw new Error(`expected one new ${className} object in ${durableObjectDir(stateDir, scriptName, className)}, found ${added.length}`);
	return added[0] as string;
}
