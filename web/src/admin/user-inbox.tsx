// A link to a user's Emergency Inbox inside the admin area (…/users/:userId/inbox). In a
// partner's drill-down the app still asks the API, which refuses (403) and records the attempt
// in the customer's activity log; the answer becomes a full page that says what partners may
// and may not do, with the ways back, never a blank window. A company's own admins open
// inboxes from the Users page, where they are asked why, so for them this leads there.
import { A, Navigate, useNavigate, useParams } from "@solidjs/router";
import { createSignal, Match, Show, Switch } from "solid-js";
import { ApiError, adminApi } from "../api";
import { Loading } from "../components/loading";
import { switchMailbox, useSessionGuard } from "../session";
import { useTitle } from "../title";
import { errorText } from "./errors";
import { useAdminHref, useAdminScope } from "./scope";

/** The API's title for a partner reaching for a customer's mail (src/api/middleware/customer-scope.ts). */
const MAIL_REFUSED = "Partners cannot open a customer's mail";

/** What the attempt is recorded as wanting; the API refuses partners before it reads it. */
const REASON = "Followed a link to this user's Emergency Inbox";

export default function UserInbox() {
	const scope = useAdminScope();
	const to = useAdminHref();
	return (
		<Show when={scope.customer} fallback={<Navigate href={to("/users")} />}>
			<Refused />
		</Show>
	);
}

function Refused() {
	const params = useParams<{ userId: string }>();
	const scope = useAdminScope();
	const to = useAdminHref();
	const navigate = useNavigate();
	const guard = useSessionGuard();
	const [error, setError] = createSignal<ApiError | Error>();
	const name = () => scope.customer?.name ?? "this customer";
	useTitle(() => (error() ? "Not allowed" : "Opening…"));

	async function ask() {
		setError(undefined);
		try {
			const { viewing } = await adminApi.viewInbox(params.userId, REASON, false);
			// Only reached if the API let this session in: then it shows that inbox, like the Users page would.
			switchMailbox(viewing);
			navigate("/");
		} catch (err) {
			if (!guard(err)) setError(err instanceof Error ? err : new Error(String(err)));
		}
	}
	void ask();

	const refused = () => {
		const err = error();
		return err instanceof ApiError && err.status === 403 ? err : undefined;
	};

	return (
		<Switch>
			<Match when={refused()}>
				{(err) => (
					<section class="admin-forbidden inbox-refused" aria-labelledby="inbox-refused-title">
						<h1 id="inbox-refused-title">{err().title}</h1>
						<Show when={err().title === MAIL_REFUSED} fallback={<p class="lead">{err().detail ?? ""}</p>}>
							<p class="lead">
								As {scope.customer?.partnerName ?? "a partner"} you manage {name()}'s settings — its domains, delivery and users — but you
								cannot read its mail: {name()}'s Emergency Inboxes are open only to {name()}'s own administrators.
							</p>
							<p>This attempt has been recorded in {name()}'s activity log.</p>
						</Show>
						<p class="inbox-refused-links">
							<A href={to("/users")}>Back to {name()}'s users</A>
							<A href="/partner">All customers</A>
						</p>
					</section>
				)}
			</Match>
			<Match when={error()}>
				{(err) => (
					<section class="admin-page" aria-labelledby="inbox-error-title">
						<h1 id="inbox-error-title">{err() instanceof ApiError ? (err() as ApiError).title : "Could not open this inbox"}</h1>
						<div role="alert" class="notice notice-error">
							<p>{errorText(err(), "Could not open this inbox.")}</p>
							<button type="button" class="button" onClick={() => void ask()}>
								Try again
							</button>
						</div>
						<p>
							<A href={to("/users")}>Back to {name()}'s users</A>
						</p>
					</section>
				)}
			</Match>
			<Match when={true}>
				<Loading>Checking…</Loading>
			</Match>
		</Switch>
	);
}
