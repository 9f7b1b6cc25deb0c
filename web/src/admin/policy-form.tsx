// The domain's delivery policy in the units people think in (minutes, hours, days, MB); the
// API counts in seconds and bytes. Only changed settings are sent, so the activity log's
// "domain.updated" entry names exactly what the admin changed.
import { For } from "solid-js";
import type { AdminDomain, DomainPolicy, PolicyPatch } from "../../../src/api/domain-types";
import { Field } from "../components/field";
import { SubmitButton } from "../components/form-buttons";
import { ResultLine } from "./result";
import { fieldId, useSave } from "./save";
import { DAY, fromUnit, HOUR, inUnit, listFromUnit, listInUnit, MB, MINUTE } from "./units";

type NumberKey = Exclude<keyof DomainPolicy, "unknownRecipients" | "held">;

interface NumberField {
	key: NumberKey;
	label: string;
	/** API units (seconds, bytes) per form unit. */
	unit: number;
	suffix: string;
	hint: string;
	/** What the API allows, in the form's units: shown up front and again with a refusal. */
	range: string;
	list?: boolean;
}

interface Group {
	legend: string;
	fields: NumberField[];
}

const GROUPS: Group[] = [
	{
		legend: "Retries and notices",
		fields: [
			{
				key: "retrySchedule",
				label: "Retry schedule",
				unit: MINUTE,
				suffix: "minutes",
				list: true,
				hint: "Minutes between attempts, separated by commas; the last one repeats.",
				range: "1 to 50 steps of 1 to 1440 minutes",
			},
			{
				key: "delayWarnings",
				label: "Delay warnings",
				unit: HOUR,
				suffix: "hours",
				list: true,
				hint: "Hours after arrival at which the sender is told the message is delayed, separated by commas.",
				range: "increasing, from 1 minute to 720 hours",
			},
			{
				key: "lifetimeSeconds",
				label: "Give up after",
				unit: DAY,
				suffix: "days",
				hint: "Mail still undelivered then goes back to its sender.",
				range: "1 hour (0.05 days) to 30 days",
			},
		],
	},
	{
		legend: "Keeping mail after delivery",
		fields: [
			{
				key: "retainHeldSeconds",
				label: "Mail held during an outage",
				unit: DAY,
				suffix: "days",
				hint: "How long it stays readable in the Emergency Inbox after it reaches your server.",
				range: "0 to 90 days",
			},
			{
				key: "retainDeliveredSeconds",
				label: "Other mail",
				unit: HOUR,
				suffix: "hours",
				hint: "How long mail relayed straight through keeps its body; 0 drops it at once.",
				range: "0 to 720 hours",
			},
		],
	},
	{
		legend: "Health checks and draining",
		fields: [
			{
				key: "failuresToDown",
				label: "Failures before down",
				unit: 1,
				suffix: "",
				hint: "Failed sessions in a row that mark your server down (an unreachable server is down at once).",
				range: "1 to 20",
			},
			{
				key: "probesToUp",
				label: "Good probes before up",
				unit: 1,
				suffix: "",
				hint: "Successful checks in a row that mark it up again.",
				range: "1 to 20",
			},
			{
				key: "drainConnections",
				label: "Drain connections",
				unit: 1,
				suffix: "",
				hint: "Parallel connections when delivering held mail after an outage.",
				range: "1 to 10",
			},
			{
				key: "messagesPerConnection",
				label: "Messages per connection",
				unit: 1,
				suffix: "",
				hint: "Messages sent over one connection before it is closed.",
				range: "1 to 100",
			},
		],
	},
];

const SIZE: NumberField = {
	key: "maxMessageBytes",
	label: "Largest message",
	unit: MB,
	suffix: "MB",
	hint: "Bigger messages are refused with 552 5.3.4.",
	range: "0.001 to 25 MB",
};

const ALL = [SIZE, ...GROUPS.flatMap((g) => g.fields)];

function shown(policy: DomainPolicy, f: NumberField): string {
	const v = policy[f.key];
	return Array.isArray(v) ? listInUnit(v, f.unit) : inUnit(v, f.unit);
}

function PolicyNumber(props: { field: NumberField; policy: DomainPolicy; invalid: string | null }) {
	const f = props.field;
	const id = fieldId(`policy.${f.key}`);
	const bad = () => props.invalid === `policy.${f.key}`;
	return (
		<Field id={id} label={f.label} hint={`${f.hint} Allowed: ${f.range}.`} invalid={bad()} errorId="policy-result">
			{(control) => (
				<div class="with-unit">
					<input
						{...control}
						name={f.key}
						type="text"
						inputmode={f.list ? "text" : "decimal"}
						autocomplete="off"
						value={shown(props.policy, f)}
					/>
					<span class="unit">{f.suffix}</span>
				</div>
			)}
		</Field>
	);
}

export function PolicyForm(props: { domain: AdminDomain; onSaved: () => Promise<void> }) {
	const { result, invalid, saving, save } = useSave(() => props.domain.id, props.onSaved);
	let form!: HTMLFormElement;

	function build(): PolicyPatch | null {
		const data = new FormData(form);
		const current = props.domain.policy;
		const patch: PolicyPatch = {};
		const unknown = data.get("unknownRecipients");
		if ((unknown === "reject" || unknown === "accept") && unknown !== current.unknownRecipients) patch.unknownRecipients = unknown;
		for (const f of ALL) {
			const text = String(data.get(f.key) ?? "");
			// Untouched: the shown value is rounded, and must not be saved back as a change.
			if (text.trim() === shown(current, f)) continue;
			const field = `policy.${f.key}`;
			const value = f.list ? listFromUnit(text, f.unit, field, f.label) : fromUnit(text, f.unit, field, f.label);
			if (JSON.stringify(value) !== JSON.stringify(current[f.key])) Object.assign(patch, { [f.key]: value });
		}
		return Object.keys(patch).length > 0 ? patch : null;
	}

	function submit(event: SubmitEvent) {
		event.preventDefault();
		void save(
			() => {
				const policy = build();
				return policy ? { policy } : null;
			},
			"Policy saved.",
			form,
			(field) => {
				const f = ALL.find((x) => `policy.${x.key}` === field);
				return f ? ` In this form: ${f.range}.` : "";
			},
		);
	}

	return (
		<section class="card admin-section" aria-labelledby="policy-title">
			<h2 id="policy-title">Policy</h2>
			<form ref={form} class="stack" novalidate onSubmit={submit}>
				<fieldset class="policy-group">
					<legend>Receiving</legend>
					<Field
						id="policy-unknownRecipients"
						label="Unknown recipients"
						hint="Reject: the sender gets 550 5.1.1 at once. Accept: we relay it to your server, which decides."
					>
						{(control) => (
							<select {...control} name="unknownRecipients">
								<option value="reject" selected={props.domain.policy.unknownRecipients === "reject"}>
									Reject
								</option>
								<option value="accept" selected={props.domain.policy.unknownRecipients === "accept"}>
									Accept and relay
								</option>
							</select>
						)}
					</Field>
					<PolicyNumber field={SIZE} policy={props.domain.policy} invalid={invalid()} />
				</fieldset>
				<For each={GROUPS}>
					{(group) => (
						<fieldset class="policy-group">
							<legend>{group.legend}</legend>
							<For each={group.fields}>{(f) => <PolicyNumber field={f} policy={props.domain.policy} invalid={invalid()} />}</For>
						</fieldset>
					)}
				</For>
				<div class="form-actions">
					<SubmitButton busy={saving()} busyText="Saving…">
						Save policy
					</SubmitButton>
				</div>
				<ResultLine id="policy-result" result={result()} />
			</form>
		</section>
	);
}
