// The domain's health with the two things an admin does about it: ask for a retry now
// (after fixing the server), or hold delivery (before maintenance on it).
import { createSignal, Show } from "solid-js";
import type { AdminDomain, DomainActionResult } from "../../../src/api/domain-types";
import { adminApi } from "../api";
import { useSessionGuard } from "../session";
import { errorText } from "./errors";
import { Counts, DestinationText, HealthFacts } from "./health";
import { createResult, ResultLine } from "./result";

function retryText(r: DomainActionResult): string {
	const detail = r.text ? `: ${r.text}` : "";
	if (r.outcome === "delivered")
		return r.held
			? `Your server answered${detail}. Delivery is still on hold; release it to deliver.`
			: `Your server answered${detail}. Health: ${r.health}. Held mail is on its way, oldest first.`;
	return `Your server did not answer${detail}. Health: ${r.health}. Mail stays held; we keep retrying on the schedule.`;
}

export function HealthPanel(props: { domain: AdminDomain; onChanged: () => Promise<void> }) {
	const guard = useSessionGuard();
	const result = createResult();
	const [busy, setBusy] = createSignal<"retry" | "hold" | "release" | null>(null);

	async function act(action: "retry" | "hold" | "release") {
		setBusy(action);
		result.clear();
		try {
			const r = await adminApi.domainAction(props.domain.id, action);
			if (action === "retry") result[r.outcome === "delivered" ? "ok" : "error"](retryText(r));
			else if (action === "hold") result.ok("Delivery is on hold. Mail is kept here until you release it.");
			else result.ok(`Delivery released. Health: ${r.health}.`);
			await props.onChanged();
		} catch (err) {
			if (!guard(err)) result.error(errorText(err, "That did not work."));
		} finally {
			setBusy(null);
		}
	}

	return (
		<section class="card admin-section" aria-labelledby="health-title">
			<h2 id="health-title">Health</h2>
			<HealthFacts domain={props.domain} />
			<Counts domain={props.domain} />
			<p class="destination-line">
				<span class="muted">Delivery to </span>
				<DestinationText domain={props.domain} />
			</p>
			<div class="form-actions">
				<button type="button" class="button button-primary" disabled={busy() !== null} onClick={() => void act("retry")}>
					{busy() === "retry" ? "Retrying…" : "Retry now"}
				</button>
				<Show
					when={props.domain.policy.held}
					fallback={
						<button type="button" class="button" disabled={busy() !== null} onClick={() => void act("hold")} aria-describedby="hold-help">
							{busy() === "hold" ? "Holding…" : "Hold delivery"}
						</button>
					}
				>
					<button type="button" class="button" disabled={busy() !== null} onClick={() => void act("release")} aria-describedby="hold-help">
						{busy() === "release" ? "Releasing…" : "Release"}
					</button>
				</Show>
			</div>
			<p class="field-help" id="hold-help">
				While held, mail is kept here and shown in users' Emergency Inbox; nothing is delivered to your server.
			</p>
			<ResultLine id="health-result" result={result.result()} />
		</section>
	);
}
