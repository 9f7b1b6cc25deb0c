/**
 * Runs `page` (which handles up to `pageSize` rows and says how many it did) until a page
 * comes back short, so nothing is left, or `maxPages` pages have run; returns the rows handled.
 * The cron's jobs page this way so a backlog drains in one run, within a bound per run.
 */
export async function drainPages(pageSize: number, maxPages: number, page: () => Promise<number>): Promise<number> {
	let total = 0;
	for (let i = 0; i < maxPages; i++) {
		const n = await page();
		total += n;
		if (n < pageSize) break;
	}
	return total;
}
