// A domain's "Recipient discovery": ask the company's own mail server which addresses it takes
// (one SMTP session, RCPT TO only, never a message), then add the accepted ones that are not
// users here yet in one step, through the users' CSV import.
import { createSignal, For, Show } from "solid-js";
import type { AdminDomain } from "../../../src/api/domain-types";
import { adminApi } from "../api";
import { Field } from "../components/field";
import { plural } from "../format";
import { useSessionGuard } from "../session";
import { type DiscoveredRecipient, type DiscoveryRunResult, discoveryApi } from "./directory-api";
import { errorText } from "./errors";
import { createResult, ResultLine } from "./result";

const KNOWN = { user: "already a user", alias: "already an alias", group: "already a group" } as const;

/** RFC 4180 cell: quoted when it holds a comma, a quote or a line break. */
const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

export function usersCsv(addresses: string[]): string {
	return ["email,name,role,alternate_email,aliases", ...addresses.map((a) => [cell(a), "", "user", "", ""].join(","))].join("\n");
}

/** "550 5.1.1": the reply code and the enhanced status code the server gave. */
function codes(r: DiscoveredRecipient): string {
	const enhanced = /^\d\.\d{1,3}\.\d{1,3}\b/.exec(r.text ?? "")?.[0];
	return [r.code, enhanced].filter(Boolean).join(" ");
}

function answer(r: DiscoveredRecipient): string {
	if (r.outcome === "accepted") return r.known ? `accepted; ${KNOWN[r.known]}` : "accepted by your server";
	if (r.outcome === "refused") return `refused by your server (${codes(r)})`;
	return `no clear answer (${r.code ? `${r.code} ` : ""}${(r.text ?? "").replace(/^\d\.\d{1,3}\.\d{1,3}\s*/, "")})`;
}

function summary(run: DiscoveryRunResult): string {
	const parts = [`${run.accepted} accepted`, `${run.refused} refused`, `${run.unknown} without a clear answer`];
	const asked = run.candidates - run.notAsked;
	const from = run.source === "recent-mail" ? " (recipients of recent mail that are not users here)" : "";
	return `Asked your server about ${plural(asked, "address", "addresses")}${from}: ${parts.join(", ")}.`;
}

export function DiscoveryPanel(props: { domain: AdminDomain }) {
	const guard = useSessionGuard();
	const runResult = createResult();
	const addResult = createResult();
	const [rows, setRows] = createSignal<DiscoveredRecipient[]>([]);
	const [run, setRun] = createSignal<DiscoveryRunResult | null>(null);
	const [picked, setPicked] = createSignal<Set<string>>(new Set());
	const [busy, setBusy] = createSignal<"discover" | "add" | null>(null);

	async function refresh() {
		try {
			setRows((await discoveryApi.list(props.domain.id, null)).recipients);
		} catch (err) {
			if (!guard(err)) runResult.error(errorText(err, "Could not load earlier discovery results."));
		}
	}
	void refresh();

	const addable = () => rows().filter((r) => r.outcome === "accepted" && r.known === null);

	async function discover(event: SubmitEvent) {
		event.preventDefault();
		const text = String(new FormData(event.currentTarget as HTMLFormElement).get("addresses") ?? "");
		const addresses = text
			.split(/[\s,;]+/)
			.map((a) => a.trim())
			.filter(Boolean);
		runResult.clear();
		addResult.clear();
		setBusy("discover");
		try {
			const result = await discoveryApi.run(props.domain.id, addresses.length > 0 ? { addresses } : {});
			setRun(result);
			const asked = result.candidates - result.notAsked;
			if (result.stoppedBy && asked === 0) runResult.error(`Could not ask your server: ${result.stoppedBy.text}. Nothing was recorded.`);
			else if (result.stoppedBy)
				runResult.error(`${summary(result)} The run ended early, ${result.notAsked} not asked: ${result.stoppedBy.text}`);
			else runResult.ok(summary(result));
			await refresh();
			setPicked(new Set(addable().map((r) => r.address)));
		} catch (err) {
			if (!guard(err)) runResult.error(errorText(err, "Discovery did not run."));
		} finally {
			setBusy(null);
		}
	}

	async function addUsers() {
		const chosen = addable()
			.map((r) => r.address)
			.filter((a) => picked().has(a));
		addResult.clear();
		if (chosen.length === 0) return addResult.info("Tick the addresses to add first.");
		setBusy("add");
		try {
			const result = await adminApi.importUsers(usersCsv(chosen));
			const errors = result.errors.map((e) => `${e.email}: ${e.error}`).join("; ");
			const created = `Added ${plural(result.created.length, "user")}.`;
			if (errors) addResult.error(`${created} Not added: ${errors}`);
			else addResult.ok(`${created} Invite them from Users when you are ready.`);
			await refresh();
		} catch (err) {
			if (!guard(err)) addResult.error(errorText(err, "Could not add these users."));
		} finally {
			setBusy(null);
		}
	}

	const toggle = (address: string, on: boolean) =>
		setPicked((old) => {
			const next = new Set(old);
			if (on) next.add(address);
			else next.delete(address);
			return next;
		});

	return (
		<section class="card admin-section discovery" aria-label="Recipient discovery">
			<h2>Recipient discovery</h2>
			<p class="muted">
				Ask your mail server which addresses it accepts, the way any sender finds out: we connect once to your delivery destination, ask
				RCPT TO for each address and never send a message. At most 500 addresses and 60 seconds a run. Leave the box empty to check the
				addresses that got mail here in the last 30 days but are not users yet.
			</p>
			<form class="stack" onSubmit={discover}>
				<Field
					id="discovery-addresses"
					label="Addresses to check"
					hint={<>One per line (or separated by commas), all on {props.domain.displayName}.</>}
				>
					{(control) => <textarea {...control} name="addresses" rows="4" spellcheck={false} />}
				</Field>
				<div class="form-actions">
					<button type="submit" class="button button-primary" disabled={busy() !== null}>
						{busy() === "discover" ? "Asking your server…" : "Discover"}
					</button>
				</div>
			</form>
			<ResultLine id="discovery-result" result={runResult.result()} />
			<Show when={rows().length > 0}>
				<div class="discovery-table-wrap">
					<table class="discovery-table" aria-label="Discovery results">
						<thead>
							<tr>
								<th scope="col">Address</th>
								<th scope="col">Your server's answer</th>
								<th scope="col">Checked</th>
							</tr>
						</thead>
						<tbody>
							<For each={rows()}>
								{(r) => (
									<tr>
										<td>
											<Show
												when={r.outcome === "accepted" && r.known === null}
												fallback={<span class="discovery-address">{r.address}</span>}
											>
												<label class="check">
													<input
														type="checkbox"
														checked={picked().has(r.address)}
														onChange={(e) => toggle(r.address, e.currentTarget.checked)}
													/>
													<span class="discovery-address">{r.address}</span>
												</label>
											</Show>
										</td>
										<td class={`discovery-${r.outcome}`}>{answer(r)}</td>
										<td class="muted small">{new Date(r.checkedAt).toLocaleString()}</td>
									</tr>
								)}
							</For>
						</tbody>
					</table>
				</div>
				<Show when={addable().length > 0}>
					<div class="form-actions">
						<button type="button" class="button button-primary" disabled={busy() !== null} onClick={() => void addUsers()}>
							{busy() === "add" ? "Adding…" : "Add as users"}
						</button>
					</div>
				</Show>
				<ResultLine id="discovery-add-result" result={addResult.result()} />
			</Show>
			<Show when={run()}>
				{(r) => (
					<div class="transcript-box">
						<h3 id="discovery-transcript-title">SMTP transcript</h3>
						<pre class="transcript" role="log" aria-labelledby="discovery-transcript-title" tabindex="0">
							{r().transcript.join("\n")}
						</pre>
					</div>
				)}
			</Show>
		</section>
	);
}
