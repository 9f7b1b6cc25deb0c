// Layout for every signed-in page: checks the session once, then shows the header, whose
// mailbox this is (while an admin views a user's), the folders, the outage banner and the
// page; owns the global shortcuts and the status line.
import { A, type RouteSectionProps, useLocation, useNavigate } from "@solidjs/router";
import { createEffect, createResource, createSignal, Match, onCleanup, Show, Switch } from "solid-js";
import { ApiError, api } from "../api";
import { forgetSession, homePath, loadUser, mustEnrol, readOnly, useSessionGuard } from "../session";
import { listenForShortcuts, useShortcuts } from "../state/keyboard";
import { watchStatus } from "../state/mailbox-status";
import { APP_NAME } from "../title";
import { FolderNav } from "./folder-nav";
import { HelpDialog } from "./help-dialog";
import { KeyboardIcon, MailIcon, ShieldIcon } from "./icons";
import { Loading } from "./loading";
import { OutageBanner } from "./outage-banner";
import { focusSearch, SearchBox } from "./search-box";
import { ToastRegion } from "./toast-region";
import { ViewingBanner } from "./viewing-banner";

export default function Shell(props: RouteSectionProps) {
	const navigate = useNavigate();
	const guard = useSessionGuard();
	const [me, { refetch }] = createResource(loadUser);
	const [signOutError, setSignOutError] = createSignal("");
	let help: HTMLDialogElement | undefined;

	createEffect(() => {
		if (me.state === "errored") guard(me.error);
	});
	// A 401 is not a failure to show: the guard is already on its way to /login.
	const failed = () => me.state === "errored" && !(me.error instanceof ApiError && me.error.status === 401);

	createEffect(() => {
		if (me.state === "ready") onCleanup(watchStatus());
	});
	// An operator has no mailbox at all: the start page is the partner list, not an empty inbox.
	const location = useLocation();
	// A role that needs a second factor and has none: the Security page first (the worker refuses the rest).
	createEffect(() => {
		if (me.state === "ready" && mustEnrol() && location.pathname !== "/account/security") navigate("/account/security", { replace: true });
	});
	createEffect(() => {
		if (me.state === "ready" && me()?.role === "operator" && location.pathname === "/") navigate(homePath(me() ?? null), { replace: true });
	});
	onCleanup(listenForShortcuts());
	useShortcuts({
		compose: () => navigate("/compose"),
		search: focusSearch,
		help: () => help?.showModal(),
	});

	async function signOut() {
		setSignOutError("");
		try {
			await api.signOut();
		} catch (err) {
			// Staying "signed in" on screen after a failed sign-out would mislead on a shared computer.
			setSignOutError(err instanceof Error ? err.message : "Sign-out failed.");
			return;
		}
		forgetSession();
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
					<div class="app" classList={{ "app-read-only": readOnly() }}>
						<a href="#main" class="skip-link">
							Skip to content
						</a>
						<header class="app-header">
							<A href={homePath(user())} class="app-name" end>
								<MailIcon />
								<span>{APP_NAME}</span>
							</A>
							{/* Operators have no mailbox to search. */}
							<Show when={user().role !== "operator"}>
								<SearchBox />
							</Show>
							<div class="account">
								<button
									type="button"
									class="button button-icon"
									title="Keyboard shortcuts (?)"
									aria-label="Keyboard shortcuts"
									onClick={() => help?.showModal()}
								>
									<KeyboardIcon />
								</button>
								<span class="account-email" title={user().email}>
									{user().email}
								</span>
								<A href="/account/security" class="button button-icon account-security" title="Security" aria-label="Security">
									<ShieldIcon />
								</A>
								<button type="button" class="button button-quiet" onClick={signOut}>
									Sign out
								</button>
							</div>
						</header>
						<Show when={signOutError()}>
							<p role="alert" class="notice notice-error flat">
								{signOutError()}
							</p>
						</Show>
						<ViewingBanner />
						<div class="app-body">
							<FolderNav />
							<main id="main" class="app-main" tabindex="-1">
								<OutageBanner />
								{props.children}
							</main>
						</div>
						<ToastRegion />
						<HelpDialog ref={(el) => (help = el)} />
					</div>
				)}
			</Match>
			<Match when={me.loading}>
				<Loading />
			</Match>
		</Switch>
	);
}
