// The domain list, which is also where a single domain's page gets its data (the API has no
// GET for one domain). Plain signals rather than createResource: a failed refresh must keep
// the last answer on screen, and a resource re-throws its error on every read.
import { createSignal } from "solid-js";
import type { AdminDomain } from "../../../src/api/domain-types";
import { adminApi } from "../api";
import { useSessionGuard } from "../session";
import { usePolling } from "./poll";

export function useDomains() {
	const guard = useSessionGuard();
	const [domains, setDomains] = createSignal<AdminDomain[]>();
	const [error, setError] = createSignal<unknown>();
	const [pending, setPending] = createSignal(0);
	// After a save the page refreshes while a poll may be in flight: the newest request wins.
	let generation = 0;

	async function refresh(): Promise<void> {
		const gen = ++generation;
		setPending((n) => n + 1);
		try {
			const { domains: fresh } = await adminApi.domains();
			if (gen !== generation) return;
			setDomains(fresh);
			setError(undefined);
		} catch (err) {
			if (gen === generation && !guard(err)) setError(err);
		} finally {
			setPending((n) => n - 1);
		}
	}

	void refresh();
	usePolling(() => void refresh());
	return { domains, error, loading: () => pending() > 0, refresh };
}
