// A domain's health at a glance: state in colour and words (never colour alone), since when,
// what went wrong last, the message counts and where mail goes.
import { Show } from "solid-js";
import type { AdminDomain, EndpointView, TlsMode } from "../../../src/api/domain-types";
import { longDate, sinceText } from "../format";

/** "unset" is ours: a domain without a destination (the API calls it down: its mail is held). */
export type ShownState = "up" | "down" | "draining" | "held" | "unset";

export function shownState(d: AdminDomain): ShownState {
	if (d.health.state === "held") return "held";
	if (!d.delivery.host || !d.delivery.port) return "unset";
	return d.health.state;
}

const STATE_LABELS: Record<ShownState, string> = {
	up: "Up",
	down: "Down",
	draining: "Delivering held mail",
	held: "On hold",
	unset: "Not configured",
};

const STATE_HINTS: Record<ShownState, string> = {
	up: "Mail goes straight to your server.",
	down: "Your server is unreachable: mail is held here and shown in users' Emergency Inbox.",
	draining: "Your server is back: the mail held here is being delivered, oldest first.",
	held: "Delivery is paused: mail is held here and shown in users' Emergency Inbox.",
	unset: "No delivery destination: mail is held here until you set one.",
};

export const TLS_LABELS: Record<TlsMode, string> = {
	required: "TLS required",
	opportunistic: "TLS when offered",
	off: "TLS off",
};

/** `host:port (tls)`, with an IPv6 address bracketed as in a URL. */
export function endpointText(e: EndpointView): string {
	const host = e.host?.includes(":") ? `[${e.host}]` : e.host;
	const auth = e.authUser ? `, AUTH as ${e.authUser}` : "";
	return `${host}:${e.port} (${TLS_LABELS[e.tls]}${auth})`;
}

export function HealthBadge(props: { domain: AdminDomain }) {
	const state = () => shownState(props.domain);
	return <span class={`health health-${state()}`}>{STATE_LABELS[state()]}</span>;
}

export function HealthFacts(props: { domain: AdminDomain }) {
	const d = () => props.domain;
	const state = () => shownState(d());
	return (
		<div class="health-facts">
			<p class="health-line">
				<HealthBadge domain={d()} />
				<span>{STATE_HINTS[state()]}</span>
			</p>
			<dl class="facts">
				{/* The hold does not move `since`: it dates the server's own state, so it is only shown for up and down. */}
				<Show when={state() === "up" || state() === "down"}>
					<dt>{state() === "down" ? "Down since" : "Up since"}</dt>
					<dd>
						<time datetime={d().health.since} title={longDate(d().health.since)}>
							{sinceText(d().health.since)}
						</time>
					</dd>
				</Show>
				<Show when={state() !== "up" && d().health.lastError}>
					<dt>Last error</dt>
					<dd class="health-error">{d().health.lastError}</dd>
				</Show>
				<dt>Last check</dt>
				<dd>
					<Show when={d().health.lastProbeAt} fallback="Not checked yet">
						{(at) => (
							<time datetime={at()} title={longDate(at())}>
								{sinceText(at())}
							</time>
						)}
					</Show>
				</dd>
			</dl>
		</div>
	);
}

export function Counts(props: { domain: AdminDomain }) {
	const c = () => props.domain.counts;
	return (
		<dl class="counts">
			<div>
				<dt>Held</dt>
				<dd>{c().spooled}</dd>
			</div>
			<div>
				<dt>Deferred</dt>
				<dd>{c().deferred}</dd>
			</div>
			<div>
				<dt>Delivered</dt>
				<dd>{c().delivered}</dd>
			</div>
			<div>
				<dt>Bounced</dt>
				<dd>{c().bounced}</dd>
			</div>
		</dl>
	);
}

export function DestinationText(props: { domain: AdminDomain }) {
	const e = () => props.domain.delivery;
	return (
		<Show when={e().host && e().port} fallback={<span class="destination-unset">Not set — mail is held</span>}>
			<code class="destination">{endpointText(e())}</code>
		</Show>
	);
}
