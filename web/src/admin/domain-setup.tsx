// A domain's Setup: the TXT record that proves it is the company's (with copy buttons and
// "Verify now"), the checklist the API checks live (MX, catch-all rule, destination, connection)
// and removing the domain, confirmed in the page itself (script dialogs are not used anywhere).
import { useNavigate } from "@solidjs/router";
import { createEffect, createMemo, createSignal, For, on, Show } from "solid-js";
import type { AdminDomain, ChecklistItem, ChecklistState, DomainChecklist } from "../../../src/api/domain-types";
import { CancelButton } from "../components/form-buttons";
import { useSessionGuard } from "../session";
import { errorText } from "./errors";
import { createResult, ResultLine } from "./result";
import { useAdminHref } from "./scope";
import { setupApi } from "./setup-api";

const STATE_LABELS: Record<ChecklistState, string> = { done: "Done", todo: "To do", unknown: "Not checked" };

/** Items that an admin fixes in the Delivery destination form just below. */
const FIXED_IN_DESTINATION: ChecklistItem["id"][] = ["destination", "connection"];

function CopyField(props: { label: string; value: string; id: string }) {
	const [said, setSaid] = createSignal("");
	let code!: HTMLElement;
	async function copy() {
		try {
			await navigator.clipboard.writeText(props.value);
			setSaid("Copied.");
		} catch {
			// No clipboard (permissions, an older browser): select the text for Ctrl+C instead.
			const range = document.createRange();
			range.selectNodeContents(code);
			const selection = window.getSelection();
			selection?.removeAllRanges();
			selection?.addRange(range);
			setSaid("Selected: press Ctrl+C (⌘C) to copy.");
		}
	}
	return (
		<div class="copy-field">
			<dt id={`${props.id}-label`}>{props.label}</dt>
			<dd>
				<code ref={code} id={props.id} class="record-value">
					{props.value}
				</code>
				<button type="button" class="button button-quiet copy-button" aria-describedby={`${props.id}-label`} onClick={() => void copy()}>
					Copy {props.label.toLowerCase()}
				</button>
				<span class="muted small" aria-live="polite">
					{said()}
				</span>
			</dd>
		</div>
	);
}

export function DomainSetup(props: { domain: AdminDomain; onChanged: () => Promise<void> }) {
	const guard = useSessionGuard();
	const navigate = useNavigate();
	const to = useAdminHref();
	const [checklist, setChecklist] = createSignal<DomainChecklist | null>(null);
	const [checking, setChecking] = createSignal(false);
	const [verifying, setVerifying] = createSignal(false);
	const [confirming, setConfirming] = createSignal(false);
	const [removing, setRemoving] = createSignal(false);
	const checkResult = createResult();
	const verifyResult = createResult();
	const removeResult = createResult();
	const [verifiedNow, setVerifiedNow] = createSignal(false);
	const verified = () => verifiedNow() || props.domain.verification.verified || checklist()?.verification.verified === true;
	// A domain made before verification existed gets its token from its first checklist.
	const recordValue = () => props.domain.verification.recordValue ?? checklist()?.verification.recordValue ?? null;

	async function check() {
		setChecking(true);
		checkResult.clear();
		try {
			setChecklist(await setupApi.checklist(props.domain.id));
		} catch (err) {
			if (!guard(err)) checkResult.error(errorText(err, "Could not run the checks."));
		} finally {
			setChecking(false);
		}
	}

	// Memos, so that each effect runs when its value changes and not whenever the domain list is
	// refreshed (a poll, or the refresh right after "Verify now", hands over new objects).
	const domainId = createMemo(() => props.domain.id);
	const checkedFacts = createMemo(() => {
		const d = props.domain;
		return [d.id, d.verification.verified, d.delivery.host, d.delivery.port, d.health.state, d.policy.held].join("|");
	});

	// The page stays mounted when the admin goes from one domain to another.
	createEffect(
		on(domainId, () => {
			setChecklist(null);
			setVerifiedNow(false);
			setConfirming(false);
			verifyResult.clear();
			removeResult.clear();
		}),
	);

	// Again whenever what the checks depend on changes (a saved destination, a verification, a
	// recovery), not on every poll of the domain list.
	createEffect(on(checkedFacts, () => void check()));

	async function verify() {
		setVerifying(true);
		verifyResult.clear();
		try {
			const v = await setupApi.verify(props.domain.id);
			setVerifiedNow(true);
			verifyResult.ok(`Verified: ${v.verification.recordName} holds the value we gave you. Mail for ${v.displayName} is accepted now.`);
			await props.onChanged();
		} catch (err) {
			if (!guard(err)) verifyResult.error(errorText(err, "Could not verify the domain."));
		} finally {
			setVerifying(false);
		}
	}

	async function remove() {
		setRemoving(true);
		removeResult.clear();
		try {
			await setupApi.remove(props.domain.id);
			await props.onChanged();
			navigate(to("/domains"));
		} catch (err) {
			if (!guard(err)) removeResult.error(errorText(err, "Could not remove the domain."));
			setConfirming(false);
		} finally {
			setRemoving(false);
		}
	}

	return (
		<section class="card admin-section domain-setup" aria-labelledby="setup-title">
			<h2 id="setup-title">Setup</h2>
			<div class="verification">
				<p class="health-line">
					<Show when={verified()} fallback={<span class="tag tag-failed">Not verified</span>}>
						<span class="tag tag-delivered">Verified</span>
					</Show>
					<span>
						{verified()
							? "This domain is proved to be your company's."
							: `Prove that ${props.domain.displayName} is your company's: publish this TXT record in its DNS, then press “Verify now”. Until then its mail is refused for now (senders retry; nothing is lost).`}
					</span>
				</p>
				<Show when={!verified()}>
					<Show when={recordValue()} fallback={<p class="muted">Loading the record to publish…</p>}>
						{(value) => (
							<dl class="record">
								<CopyField label="Name" id="setup-record-name" value={props.domain.verification.recordName} />
								<div class="copy-field">
									<dt>Type</dt>
									<dd>
										<code class="record-value">TXT</code>
									</dd>
								</div>
								<CopyField label="Value" id="setup-record-value" value={value()} />
							</dl>
						)}
					</Show>
					<div class="form-actions">
						<button type="button" class="button button-primary" disabled={verifying()} onClick={() => void verify()}>
							{verifying() ? "Verifying…" : "Verify now"}
						</button>
					</div>
				</Show>
				<ResultLine id="setup-verify-result" result={verifyResult.result()} />
			</div>

			<div class="list-head setup-head">
				<h3 id="setup-checklist-title">Checklist</h3>
				<button type="button" class="button button-quiet" disabled={checking()} onClick={() => void check()}>
					{checking() ? "Checking…" : "Check again"}
				</button>
			</div>
			<ResultLine id="setup-check-result" result={checkResult.result()} />
			<Show when={checklist()} fallback={<p class="loading">{checking() ? "Checking DNS and your server…" : ""}</p>}>
				{(list) => (
					<ol class="setup-checklist" aria-labelledby="setup-checklist-title">
						<For each={list().items}>
							{(item) => (
								<li class={`setup-item setup-${item.state}`} data-item={item.id}>
									<p class="setup-item-head">
										<span class={`tag setup-state-${item.state}`}>{STATE_LABELS[item.state]}</span>
										<strong>{item.title}</strong>
									</p>
									<p class="setup-detail">{item.detail}</p>
									{/* The ownership steps are the record block above. */}
									<Show when={item.state !== "done" && item.id !== "ownership" && item.steps?.length}>
										<ol class="setup-steps">
											<For each={item.steps}>{(step) => <li>{step}</li>}</For>
										</ol>
									</Show>
									<Show when={item.state !== "done" && FIXED_IN_DESTINATION.includes(item.id)}>
										<p class="small">
											<a href="#delivery-title">Go to Delivery destination</a>
										</p>
									</Show>
								</li>
							)}
						</For>
					</ol>
				)}
			</Show>

			<div class="remove-domain">
				<h3 id="remove-domain-title">Remove domain</h3>
				<p class="muted small">
					Only a domain that has carried no mail and has no addresses can be removed; the API says what is in the way.
				</p>
				<Show
					when={confirming()}
					fallback={
						<button type="button" class="button" onClick={() => setConfirming(true)} aria-describedby="remove-domain-title">
							Remove domain
						</button>
					}
				>
					<fieldset class="confirm" aria-labelledby="remove-confirm-text">
						<p id="remove-confirm-text">
							Remove {props.domain.displayName}? Its settings go; this cannot be undone. Mail sent to it afterwards is refused as not served
							here.
						</p>
						<div class="form-actions">
							<button type="button" class="button button-danger" disabled={removing()} onClick={() => void remove()}>
								{removing() ? "Removing…" : `Yes, remove ${props.domain.displayName}`}
							</button>
							<CancelButton disabled={removing()} onClick={() => setConfirming(false)} />
						</div>
					</fieldset>
				</Show>
				<ResultLine id="setup-remove-result" result={removeResult.result()} />
			</div>
		</section>
	);
}
