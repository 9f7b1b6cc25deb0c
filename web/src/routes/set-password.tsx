// /set-password?token=…: the welcome email's link. The person chooses a password (the worker
// wants at least 12 characters), which spends the link, and is then signed in with it. The page
// needs no session, so it sits outside the shell, in its own small chunk.
import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import { ApiError, api } from "../api";
import { Field } from "../components/field";
import { SubmitButton } from "../components/form-buttons";
import { forgetSession, reloadSession } from "../session";
import { APP_NAME, useTitle } from "../title";

const MIN_PASSWORD = 12;

export default function SetPassword() {
	useTitle(() => "Choose your password");
	const navigate = useNavigate();
	const [search] = useSearchParams();
	const token = () => (typeof search.token === "string" ? search.token : "");
	const [error, setError] = createSignal("");
	const [dead, setDead] = createSignal(false);
	const [invalid, setInvalid] = createSignal<"password" | "confirm" | null>(null);
	const [pending, setPending] = createSignal(false);
	const [saved, setSaved] = createSignal<string | null>(null);

	async function submit(event: SubmitEvent) {
		event.preventDefault();
		const form = new FormData(event.currentTarget as HTMLFormElement);
		const password = String(form.get("password") ?? "");
		setError("");
		setInvalid(null);
		if ([...password].length < MIN_PASSWORD) {
			setInvalid("password");
			setError(`Use at least ${MIN_PASSWORD} characters.`);
			document.getElementById("new-password")?.focus();
			return;
		}
		if (password !== String(form.get("confirm") ?? "")) {
			setInvalid("confirm");
			setError("The two passwords are not the same.");
			document.getElementById("confirm-password")?.focus();
			return;
		}
		setPending(true);
		try {
			const { email } = await api.setPassword(token(), password);
			setSaved(email);
			// The link is spent; sign in with what was just chosen.
			const answer = await api.signIn(email, password);
			// An account with an authenticator app signs in with it too: on the sign-in page.
			if ("secondFactor" in answer) {
				navigate("/login", { replace: true });
				return;
			}
			forgetSession();
			await reloadSession();
			navigate("/", { replace: true });
		} catch (err) {
			if (saved()) {
				setError(`Your password is set, but signing in failed: ${err instanceof Error ? err.message : "try again"}.`);
			} else {
				setDead(err instanceof ApiError && err.status === 410);
				if (err instanceof ApiError && err.status === 422) setInvalid("password");
				setError(err instanceof Error ? err.message : "Could not set the password.");
			}
		} finally {
			setPending(false);
		}
	}

	return (
		<main class="page narrow login" id="main">
			<h1>Choose your password</h1>
			<p class="muted">For your {APP_NAME} account, where you read and answer held mail while your company's mail server is unreachable.</p>
			<Show
				when={token()}
				fallback={
					<p role="alert" class="notice notice-error">
						This page needs the link from your welcome email. Open the link in that email, or ask your administrator to send it again.
					</p>
				}
			>
				<form class="stack" novalidate onSubmit={submit}>
					{/* Lets password managers file the new password under the right account once it is known. */}
					<input type="hidden" name="username" autocomplete="username" value={saved() ?? ""} />
					<Field
						id="new-password"
						label="New password"
						hint={`At least ${MIN_PASSWORD} characters. A few unrelated words make a good one.`}
						invalid={invalid() === "password"}
					>
						{(control) => (
							<input {...control} name="password" type="password" autocomplete="new-password" required minLength={MIN_PASSWORD} />
						)}
					</Field>
					<Field id="confirm-password" label="Confirm the password" invalid={invalid() === "confirm"}>
						{(control) => <input {...control} name="confirm" type="password" autocomplete="new-password" required />}
					</Field>
					<Show when={error()}>
						<div role="alert" class="notice notice-error">
							<p>{error()}</p>
							<Show when={dead() || saved()}>
								<p>
									<A href="/login">Go to sign in</A>
								</p>
							</Show>
						</div>
					</Show>
					<SubmitButton busy={pending()} busyText="Saving…" disabled={dead()}>
						Set password and sign in
					</SubmitButton>
				</form>
			</Show>
		</main>
	);
}
