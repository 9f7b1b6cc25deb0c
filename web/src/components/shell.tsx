// Layout for every signed-in page: checks the session once, then shows the header and the page.
import { A, type RouteSectionProps, useNavigate } from "@solidjs/router";
import { createEffect, createResource, createSignal, Match, Show, Switch } from "solid-js";
import { ApiError, api } from "../api";
import { loadUser, setUser, useSessionGuard } from "../session";
import { APP_NAME } from "../title";

export default function Shell(props: RouteSectionProps) {
	const navigate = useNavigate();
	const guard = useSessionGuard();
	const [me, { refetch }] = createResource(loadUser);
	const [signOutError, setSignOutError] = createSignal("");

	createEffect(() => {
		if (me.state === "errored") guard(me.error);
	});
	// A 401 is not a failure to show: the guard is already on its way to /login.
	const failed = () => me.state === "errored" && !(me.error instanceof ApiError && me.error.status === 401);

	async function signOut() {
		setSignOutError("");
		try {
			await api.signOut();
		} catch (err) {
			// Staying "signed in" on screen after a failed sign-out would mislead on a shared computer.
			setSignOutError(err instanceof Error ? err.message : "Sign-out failed.");
			return;
		}
		setUser(null);
		navigate("/login", { replace: true });
	}

	return (
		<Switch>
			<Match when={failed()}>
				<main class="page narrow">
					<p role="alert" class="notice notice-error">
						Could not check your session. {me.error instanceof Error ? me.error.message : ""}
					</p>
					<button type="button" class="button" onClick={() => refetch()}>
						Try again
					</button>
				</main>
			</Match>
			<Match when={me.state === "ready" && me()}>
				{(user) => (
					<>
						<header class="app-header">
							<A href="/" class="app-name" end>
								{APP_NAME}
							</A>
							<div class="account">
								<span class="account-email" title={user().email}>
									{user().email}
								</span>
								<button type="button" class="button button-quiet" onClick={signOut}>
									Sign out
								</button>
							</div>
						</header>
						<Show when={signOutError()}>
							<p role="alert" class="notice notice-error banner">
								{signOutError()}
							</p>
						</Show>
						<main class="page">{props.children}</main>
					</>
				)}
			</Match>
			<Match when={me.loading}>
				<p class="loading" role="status">
					Loading…
				</p>
			</Match>
		</Switch>
	);
}
