// Company settings → Users → Import: paste CSV or choose a file, Check it (the worker validates
// every row and creates nothing), then Import. The results table gives each row's line as a
// spreadsheet numbers it, so a refused row is easy to find and fix; the valid rows are created
// together and the file can be sent again once the others are fixed (created ones then say so).
import { A } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import { adminApi, type ImportResult } from "../api";
import { useSessionGuard } from "../session";
import { useTitle } from "../title";
import { BackLink } from "./back-link";
import { errorText, isForbidden } from "./errors";
import { Forbidden } from "./forbidden";
import { createResult, ResultLine } from "./result";
import { useAdminHref } from "./scope";
import "./users.css";
import { Field } from "../components/field";

const SAMPLE = `email,name,role,alternate_email,aliases
alice@example.com,Alice Liddell,user,alice.liddell@gmail.example,billing@example.com
bob@example.com,Bob Stone,admin,bob.stone@outlook.example,
carol@example.com,,,,sales@example.com;info@example.com
`;

/** What the page shows: the last answer, and whether it was a check or the import itself. */
interface Shown {
	result: ImportResult;
	imported: boolean;
}

export default function UsersImport() {
	useTitle(() => "Import users");
	const guard = useSessionGuard();
	const to = useAdminHref();
	const outcome = createResult();
	const [text, setText] = createSignal("");
	const [checkedText, setCheckedText] = createSignal<string | null>(null);
	const [shown, setShown] = createSignal<Shown | null>(null);
	const [pending, setPending] = createSignal<"check" | "import" | null>(null);
	const [forbidden, setForbidden] = createSignal<unknown>();
	let invite!: HTMLInputElement;

	async function choose(file: File | undefined) {
		if (!file) return;
		setText(await file.text());
		setCheckedText(null);
		setShown(null);
		outcome.info(`${file.name} loaded: check it before importing.`);
	}

	async function run(dryRun: boolean) {
		const csv = text();
		outcome.clear();
		setPending(dryRun ? "check" : "import");
		try {
			const result = await adminApi.importUsers(csv, { dryRun, invite: !dryRun && invite.checked });
			setShown({ result, imported: !dryRun });
			setCheckedText(dryRun ? csv : null);
			const created = result.created.length;
			const bad = result.errors.length;
			const rows = (n: number) => `${n} ${n === 1 ? "row" : "rows"}`;
			if (dryRun)
				outcome.info(
					`${created} ${created === 1 ? "user" : "users"} can be created. ${bad ? `${rows(bad)} ${bad === 1 ? "has" : "have"} errors and will be skipped.` : "No errors."}`,
				);
			else
				outcome.ok(
					`Created ${created} ${created === 1 ? "user" : "users"}.${bad ? ` ${rows(bad)} skipped.` : ""}${result.invited?.length ? ` Welcome email on its way to ${result.invited.length}.` : ""}`,
				);
		} catch (err) {
			if (guard(err)) return;
			if (isForbidden(err)) setForbidden(err);
			outcome.error(errorText(err, "Could not read this file."));
		} finally {
			setPending(null);
		}
	}

	/** Created and refused rows together, in file order. */
	const rows = () => {
		const s = shown();
		if (!s) return [];
		const ok = s.result.created.map((c) => ({
			line: c.line,
			email: c.email,
			text: s.imported ? "Created" : "Will be created",
			error: false,
		}));
		const bad = s.result.errors.map((e) => ({ line: e.line, email: e.email, text: e.error, error: true }));
		return [...ok, ...bad].sort((a, b) => a.line - b.line);
	};

	return (
		<Show when={!forbidden()} fallback={<Forbidden detail={errorText(forbidden(), "")} />}>
			<section class="admin-page" aria-labelledby="import-title">
				<BackLink list="/users" listName="All users" />
				<h1 id="import-title">Import users</h1>
				<p class="muted">
					One user per line. Only <code>email</code> is required; <code>role</code> is <code>user</code> or <code>admin</code>;{" "}
					<code>aliases</code> are separated by spaces or semicolons; the alternate address (outside your company) is where the welcome
					email goes. At most 5,000 users or 1 MiB per file.
				</p>
				<details class="csv-sample">
					<summary>Sample CSV</summary>
					<pre role="document" aria-label="Sample CSV">
						{SAMPLE}
					</pre>
				</details>
				<form
					class="stack"
					novalidate
					onSubmit={(e) => {
						e.preventDefault();
						void run(true);
					}}
				>
					<Field id="import-file" label="Choose a CSV file">
						{(control) => (
							<input {...control} type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void choose(e.currentTarget.files?.[0])} />
						)}
					</Field>
					<Field id="import-csv" label="Or paste the CSV">
						{(control) => (
							<textarea
								{...control}
								class="csv-text"
								rows="8"
								spellcheck={false}
								value={text()}
								onInput={(e) => {
									setText(e.currentTarget.value);
									setCheckedText(null);
								}}
							/>
						)}
					</Field>
					<label class="check">
						<input ref={invite} type="checkbox" />
						<span>Send the welcome email to the new users that have an alternate address</span>
					</label>
					<div class="form-actions">
						<button type="submit" class="button" disabled={pending() !== null || text().trim() === ""}>
							{pending() === "check" ? "Checking…" : "Check"}
						</button>
						<button
							type="button"
							class="button button-primary"
							disabled={pending() !== null || checkedText() !== text() || (shown()?.result.created.length ?? 0) === 0}
							onClick={() => void run(false)}
						>
							{pending() === "import" ? "Importing…" : "Import"}
						</button>
					</div>
					<Show when={checkedText() !== text() && text().trim() !== ""}>
						<p class="field-help">Check the file first; Import creates the rows the check found valid.</p>
					</Show>
					<ResultLine result={outcome.result()} />
				</form>
				<Show when={shown()}>
					<div class="import-table-wrap">
						<table class="data-table import-results">
							<caption>{shown()?.imported ? "Import results" : "Check results"}</caption>
							<thead>
								<tr>
									<th scope="col">Line</th>
									<th scope="col">Address</th>
									<th scope="col">Result</th>
								</tr>
							</thead>
							<tbody>
								<For each={rows()}>
									{(r) => (
										<tr class={r.error ? "import-error" : undefined}>
											<td>{r.line}</td>
											<td>{r.email}</td>
											<td>{r.text}</td>
										</tr>
									)}
								</For>
							</tbody>
						</table>
					</div>
					<Show when={shown()?.imported}>
						<p>
							<A href={to("/users")}>See the users</A>
						</p>
					</Show>
				</Show>
			</section>
		</Show>
	);
}
