// Why this inbox exists right now. Shown on every signed-in page; a live region so a change
// (the server coming back) is announced without stealing focus.
import { Match, Switch } from "solid-js";
import { plural, sinceText } from "../format";
import { mailboxStatus } from "../state/mailbox-status";
import { AlertIcon } from "./icons";

export function OutageBanner() {
	const s = mailboxStatus;
	return (
		<div role="status" class="banner-slot">
			<Switch>
				<Match when={s()?.state === "down"}>
					<p class="banner banner-down">
						<AlertIcon />
						<span>
							Your mail server has been unreachable since{" "}
							<time datetime={s()?.since ?? undefined}>{s()?.since ? sinceText(s()?.since ?? "") : "recently"}</time>; new mail is held
							here.
						</span>
					</p>
				</Match>
				<Match when={s()?.state === "draining"}>
					<p class="banner banner-draining">
						<span>Your server is back; held mail is being delivered ({plural(s()?.waiting ?? 0, "message")} left).</span>
					</p>
				</Match>
				<Match when={s()?.state === "held"}>
					<p class="banner banner-down">
						<AlertIcon />
						<span>Delivery to your server is paused by your administrator; new mail is held here.</span>
					</p>
				</Match>
				<Match when={s()?.state === "up" && (s()?.waiting ?? 0) > 0}>
					<p class="banner banner-quiet">{plural(s()?.waiting ?? 0, "message")} still on the way to your server.</p>
				</Match>
			</Switch>
		</div>
	);
}
